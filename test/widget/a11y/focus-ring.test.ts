// The focus indicator must stand out (WCAG 1.4.11: ≥ 3:1 against the colours next to it) in both
// themes: the painted colour of each focused control's ring is read from the computed box-shadow,
// composited over the surface, and its contrast computed against its neighbours.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { headerMenuButton, parts } from '../support/dom.js';
import { ScriptedTransport } from '../support/scripted-transport.js';

type Rgba = [number, number, number, number];

/** An rgb()/rgba()/color(srgb …) computed colour as 0–255 channels and alpha. */
function parseColor(text: string): Rgba {
  const rgb = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(text.trim());
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
  const srgb = /^color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)(?:\s*\/\s*([\d.]+))?\)$/.exec(text.trim());
  if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
  throw new Error(`Unparsed colour: ${text}`);
}

function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i]! * a + bottom[i]! * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

interface Shadow {
  color: string;
  spread: number;
  inset: boolean;
}

/** Chromium's computed box-shadow: `COLOR Xpx Ypx BLURpx SPREADpx [inset]`, comma-separated. */
function parseShadows(value: string): Shadow[] {
  if (value === 'none') return [];
  return value.split(/,(?![^(]*\))/).map((layer) => {
    const color = /^(rgba?\([^)]*\)|color\([^)]*\))/.exec(layer.trim())?.[1];
    const lengths = [...layer.matchAll(/(-?[\d.]+)px/g)].map((m) => Number(m[1]));
    if (!color || lengths.length !== 4) throw new Error(`Unparsed shadow: ${layer}`);
    return { color, spread: lengths[3]!, inset: /\binset\b/.test(layer) };
  });
}

/**
 * The rings the shadows paint, from the element's edge outwards: each band's painted colour and
 * width. The first shadow is on top, so a band is the part of a shadow that no earlier one covers.
 */
function bands(shadows: Shadow[], behind: Rgba): { color: Rgba; width: number }[] {
  const result: { color: Rgba; width: number }[] = [];
  let covered = 0;
  for (const shadow of shadows) {
    if (shadow.spread <= covered) continue;
    result.push({ color: over(parseColor(shadow.color), behind), width: shadow.spread - covered });
    covered = shadow.spread;
  }
  return result;
}

/** The colour at the element's own edge: its border when it has one, else its background. */
function edgeColor(element: Element, behind: Rgba): Rgba {
  const style = getComputedStyle(element);
  const border = parseColor(style.borderTopColor);
  if (parseFloat(style.borderTopWidth) > 0 && border[3] > 0) return over(border, behind);
  return over(parseColor(style.backgroundColor), behind);
}

async function chat(theme: 'light' | 'dark'): Promise<IcSupportChat> {
  const wrapper = await fixture(
    html`<div style="height: 520px">
      <ic-support-chat persist="none" theme=${theme} .transport=${new ScriptedTransport()} .suggestions=${['How do I reset my password?']}></ic-support-chat>
    </div>`,
  );
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  return el;
}

/** Moves focus to `target` with the keyboard (so `:focus-visible` applies), by Tab from the page start. */
async function tabTo(el: IcSupportChat, target: Element): Promise<void> {
  const deepActive = () => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active;
  };
  // Starts from a control at the top of the page: after blur(), Firefox goes on from where focus
  // was, not from the start.
  const start = document.createElement('button');
  start.textContent = 'Start';
  document.body.prepend(start);
  try {
    start.focus();
    for (let i = 0; i < 12 && deepActive() !== target; i++) await sendKeys({ press: 'Tab' });
  } finally {
    start.remove();
  }
  expect(deepActive(), 'focus reached the control').to.equal(target);
  expect(target.matches(':focus-visible')).to.equal(true);
  await el.updateComplete;
}

for (const theme of ['light', 'dark'] as const) {
  describe(`focus ring, ${theme} theme`, () => {
    it('every focused control is ringed in a colour ≥ 3:1 against the surface and against the control', async () => {
      const el = await chat(theme);
      el.store.setDraft('Hello');
      await el.updateComplete;
      const p = parts(el);
      await p.composer.updateComplete;
      const surface = parseColor(getComputedStyle(el.shadowRoot!.querySelector('[part="panel"]')!).backgroundColor);
      const controls: [string, Element][] = [
        ['suggestion (secondary button)', p.list.shadowRoot!.querySelector('[part="suggestion"]')!],
        ['text area', p.textarea],
        ['send (primary button)', p.sendButton()!],
        ['header menu (icon button)', await headerMenuButton(el)],
      ];
      for (const [name, control] of controls) {
        await tabTo(el, control);
        const shadows = parseShadows(getComputedStyle(control).boxShadow);
        expect(
          shadows.every((s) => !s.inset),
          name,
        ).to.equal(true);
        const rings = bands(shadows, surface);
        // The outermost band meets the surface around the control.
        const ring = rings.at(-1);
        expect(ring, `${name} has a ring`).to.not.equal(undefined);
        expect(ring!.width, `${name} ring width`).to.be.at.least(2);
        expect(contrast(ring!.color, surface), `${name} ring vs surface`).to.be.at.least(3);
        // Its inner side meets either a gap band or the control's own edge.
        const inner = rings.length > 1 ? rings.at(-2)!.color : edgeColor(control, surface);
        expect(contrast(ring!.color, inner), `${name} ring vs what it surrounds`).to.be.at.least(3);
      }
    });

    it('the transcript log (ringed inside) is ≥ 3:1 against the surface', async () => {
      const el = await chat(theme);
      const log = parts(el).log();
      await tabTo(el, log);
      const surface = parseColor(
        getComputedStyle(log).backgroundColor === 'rgba(0, 0, 0, 0)'
          ? getComputedStyle(el.shadowRoot!.querySelector('[part="panel"]')!).backgroundColor
          : getComputedStyle(log).backgroundColor,
      );
      const shadows = parseShadows(getComputedStyle(log).boxShadow);
      expect(shadows[0]?.inset).to.equal(true);
      const ring = bands(shadows, surface)[0]!;
      expect(ring.width).to.be.at.least(2);
      expect(contrast(ring.color, surface)).to.be.at.least(3);
    });

    it('--ic-focus-ring still replaces the indicator', async () => {
      const el = await chat(theme);
      el.style.setProperty('--ic-focus-ring', '0 0 0 5px rgb(200, 0, 0)');
      const button = await headerMenuButton(el);
      await tabTo(el, button);
      expect(getComputedStyle(button).boxShadow).to.equal('rgb(200, 0, 0) 0px 0px 0px 5px');
    });
  });
}
