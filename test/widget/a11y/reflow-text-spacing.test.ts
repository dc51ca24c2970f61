// Reflow (WCAG 1.4.10) and text spacing (1.4.12) on a 320 px wide screen: nothing in the header or
// the message box may be cut off, with or without the WCAG text-spacing overrides
// (line height 1.5, letter spacing 0.12em, word spacing 0.16em, paragraph spacing 2em).
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { nextFrame, parts } from '../support/dom.js';
import { ScriptedTransport } from '../support/scripted-transport.js';

const TEXT_SPACING = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';

/** Applies the text-spacing overrides to the page and every shadow root, as the WCAG bookmarklet does. */
function applyTextSpacing(root: Document | ShadowRoot = document): void {
  const style = document.createElement('style');
  style.dataset['textSpacing'] = '';
  style.textContent = TEXT_SPACING;
  (root instanceof Document ? root.head : root).append(style);
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) applyTextSpacing(el.shadowRoot);
}

function removeTextSpacing(root: Document | ShadowRoot = document): void {
  for (const style of root.querySelectorAll('style[data-text-spacing]')) style.remove();
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) removeTextSpacing(el.shadowRoot);
}

interface Setup {
  mode: 'inline' | 'launcher';
  width: number;
  height: number;
  lang: string;
  heading: string;
}

async function chat({ mode, width, height, lang, heading }: Setup): Promise<IcSupportChat> {
  await setViewport({ width, height });
  const wrapper = await fixture(
    html`<div style=${mode === 'inline' ? `height: ${height}px` : ''} lang=${lang}>
      <ic-support-chat persist="none" mode=${mode} heading=${heading} .transport=${new ScriptedTransport()}></ic-support-chat>
    </div>`,
  );
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  await customElements.whenDefined('ic-header-menu');
  await el.shadowRoot!.querySelector('ic-header-menu')!.updateComplete;
  if (mode === 'launcher') {
    el.open();
    await el.updateComplete;
    const panel = el.shadowRoot!.querySelector<HTMLElement>('[part="panel"]')!;
    await Promise.all(panel.getAnimations().map((a) => a.finished));
  }
  return el;
}

/** The boxes of each line of `element`'s text. */
function lineBoxes(element: Element): DOMRect[] {
  const range = document.createRange();
  range.selectNodeContents(element);
  return [...range.getClientRects()].filter((r) => r.width > 0);
}

function inside(inner: DOMRect, outer: DOMRect, slack = 1): boolean {
  return inner.left >= outer.left - slack && inner.right <= outer.right + slack && inner.top >= outer.top - slack && inner.bottom <= outer.bottom + slack;
}

function overlap(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
}

/** Everything that would make the header unusable or its text unreadable, as readable strings. */
function headerProblems(el: IcSupportChat): string[] {
  const root = el.shadowRoot!;
  const problems: string[] = [];
  const header = root.querySelector('[part="header"]')!.getBoundingClientRect();
  const viewport = new DOMRect(0, 0, innerWidth, innerHeight);
  const heading = root.querySelector('[part="heading"]')!;
  const headingBox = heading.getBoundingClientRect();
  if (heading.scrollWidth > heading.clientWidth + 1) problems.push(`heading overflows: ${heading.scrollWidth} > ${heading.clientWidth}`);
  if (getComputedStyle(heading).textOverflow === 'ellipsis') problems.push('heading ends in an ellipsis');
  for (const line of lineBoxes(heading)) {
    if (!inside(line, headingBox)) problems.push(`a heading line is outside the heading: ${line.left}..${line.right} vs ${headingBox.left}..${headingBox.right}`);
    if (!inside(line, viewport)) problems.push('a heading line is off screen');
  }
  // The header's visible buttons: its menu's button (in the menu's shadow root), not the closed menu's items.
  const menuButton = root.querySelector('ic-header-menu')!.shadowRoot!.querySelector<HTMLButtonElement>('[part="menu-button"]')!;
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('[part="header"] button'), menuButton].filter((button) => button.checkVisibility());
  expect(buttons).to.include(menuButton);
  for (const button of buttons) {
    const name = button.getAttribute('part');
    const box = button.getBoundingClientRect();
    if (!inside(box, header) || !inside(box, viewport)) problems.push(`${name} is outside the header or the screen`);
    if (box.width < 24 || box.height < 24) problems.push(`${name} is smaller than 24×24: ${box.width}×${box.height}`);
    if (button.scrollWidth > button.clientWidth + 1) problems.push(`${name}'s label overflows`);
    if (overlap(box, headingBox)) problems.push(`${name} overlaps the heading`);
    for (const line of lineBoxes(button)) if (!inside(line, box)) problems.push(`${name}'s label sticks out of it`);
  }
  return problems;
}

afterEach(async () => {
  removeTextSpacing();
  await setViewport({ width: 800, height: 600 });
});

const cases: Setup[] = [
  { mode: 'inline', width: 320, height: 640, lang: 'en', heading: 'Acme Support' },
  { mode: 'launcher', width: 320, height: 640, lang: 'en', heading: 'Acme Support' },
  { mode: 'launcher', width: 320, height: 640, lang: 'de', heading: 'Acme Support' },
  { mode: 'launcher', width: 375, height: 640, lang: 'fr', heading: 'Assistance Acme' },
  { mode: 'launcher', width: 320, height: 640, lang: 'fr', heading: 'Assistance Acme' },
];

describe('the header on a narrow screen', () => {
  for (const setup of cases) {
    it(`${setup.mode}, ${setup.width} px, ${setup.lang}: the heading wraps, nothing is cut off, the buttons stay usable`, async () => {
      const el = await chat(setup);
      expect(headerProblems(el), 'as is').to.deep.equal([]);
      applyTextSpacing();
      await nextFrame();
      expect(headerProblems(el), 'with text spacing').to.deep.equal([]);
      // The whole heading is there (not shortened), on however many lines it needs.
      expect(el.shadowRoot!.querySelector('[part="heading"]')!.textContent).to.equal(setup.heading);
    });
  }
});

describe('the message box under text spacing', () => {
  const boxes: Setup[] = [
    { mode: 'launcher', width: 320, height: 256, lang: 'en', heading: 'Acme Support' },
    { mode: 'inline', width: 320, height: 640, lang: 'de', heading: 'Acme Support' },
    { mode: 'launcher', width: 320, height: 640, lang: 'fr', heading: 'Assistance Acme' },
  ];
  for (const setup of boxes) {
    it(`${setup.mode}, ${setup.width}×${setup.height}, ${setup.lang}: the placeholder is never cut off`, async () => {
      const el = await chat(setup);
      const { textarea } = parts(el);
      expect(textarea.value).to.equal('');
      applyTextSpacing();
      await nextFrame();
      // An empty text area's scroll height is its placeholder's: all of it must be in view.
      expect(textarea.scrollHeight, `placeholder "${textarea.placeholder}" fits`).to.be.at.most(textarea.clientHeight + 1);
      expect(textarea.scrollWidth).to.be.at.most(textarea.clientWidth + 1);
    });

    it(`${setup.mode}, ${setup.lang}: narrowed to ${setup.width} px after it was drawn, the placeholder still fits`, async () => {
      // The visitor rotates or resizes: the box follows without a re-render.
      const el = await chat({ ...setup, width: setup.width + 80 });
      applyTextSpacing();
      await nextFrame();
      await setViewport({ width: setup.width, height: setup.height });
      await nextFrame();
      const { textarea } = parts(el);
      expect(textarea.scrollHeight, `placeholder "${textarea.placeholder}" fits`).to.be.at.most(textarea.clientHeight + 1);
    });
  }

  it('typed text still grows the box up to its maximum and then scrolls', async () => {
    const el = await chat({ mode: 'inline', width: 320, height: 640, lang: 'en', heading: 'Acme Support' });
    const { textarea, composer } = parts(el);
    const empty = textarea.offsetHeight;
    el.store.setDraft('line\n'.repeat(3));
    await composer.updateComplete;
    await nextFrame();
    expect(textarea.offsetHeight).to.be.greaterThan(empty);
    expect(textarea.scrollHeight).to.be.at.most(textarea.clientHeight + 1);
    el.store.setDraft('line\n'.repeat(40));
    await composer.updateComplete;
    await nextFrame();
    const max = parseFloat(getComputedStyle(textarea).maxHeight);
    expect(textarea.offsetHeight).to.be.at.most(Math.ceil(max) + 1);
    expect(textarea.scrollHeight).to.be.greaterThan(textarea.clientHeight);
  });
});
