// Visual snapshots of the chat's key states in Chromium (light and dark, left-to-right and Arabic,
// a 375 px phone and a 1280 px desktop), replaying the Storybook stories' scripted conversations
// through their mock transport. Each is compared with test/visual/baselines/NAME.png by the
// `visual-snapshot` command (visual-plugin.ts); `npm run test:visual -- --update` rewrites them.
// Text is drawn in DejaVu Sans (a system font here, Arabic included), never a web font, and motion
// is reduced, so the pictures depend on the code alone. docs/development.md, "Visual snapshots".
import { expect } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import { html, render, type TemplateResult } from 'lit';
import '../../src/widget/define.js';
import type { IcSupportChat } from '../../src/widget/support-chat/support-chat.js';
import { MockTransport } from '../../stories/support/mock-transport.js';
import { QUESTIONS, SCRIPT } from '../../stories/support/scripts.js';
import type { SnapshotRequest, SnapshotResult } from './visual-plugin.ts';

const FONT = `'DejaVu Sans', sans-serif`;
const PHONE = { width: 375, height: 720 };
const DESKTOP = { width: 1280, height: 800 };
const ARABIC_REPLY = [{ text: 'افتح **الإعدادات ← الحساب** ثم اختر **إعادة تعيين كلمة المرور**. سنرسل إليك رابطًا صالحًا لمدة 30 دقيقة لطلب A-10482.' }];

interface Scene {
  viewport: { width: number; height: number };
  mode?: 'inline' | 'launcher';
  theme?: 'light' | 'dark';
  lang?: string;
  open?: boolean;
  /** Questions sent one after another, each answered before the next. */
  questions?: string[];
  replies?: typeof SCRIPT;
  suggestions?: string[];
  /** Close the panel before the last question's reply, then reopen: the "New" divider. */
  unreadOnReopen?: boolean;
}

let host: HTMLElement | null = null;

async function stage(scene: Scene): Promise<IcSupportChat> {
  await setViewport(scene.viewport);
  host?.remove();
  host = document.createElement('div');
  document.body.append(host);
  const dark = scene.theme === 'dark';
  document.body.style.cssText = `margin: 0; background: ${dark ? '#0f1115' : '#f6f7f9'}; font-family: ${FONT}`;
  const transport = new MockTransport({ replies: scene.replies ?? SCRIPT, delayMs: 0 });
  const mode = scene.mode ?? 'inline';
  const chat: TemplateResult = html`<ic-support-chat
    persist="none"
    mode=${mode}
    theme=${scene.theme ?? 'light'}
    lang=${scene.lang ?? 'en'}
    heading=${scene.lang === 'ar' ? 'الدعم' : 'Notably support'}
    greeting=${scene.lang === 'ar' ? 'مرحبًا! كيف يمكننا مساعدتك؟' : 'Hi! Ask me anything about Notably, for example how to reset your password.'}
    style="--ic-font-family: ${FONT}"
    .suggestions=${scene.suggestions ?? []}
    .transport=${transport}
  ></ic-support-chat>`;
  render(mode === 'inline' ? html`<div class="frame" style="height: 560px; width: 420px; padding: 8px">${chat}</div>` : chat, host);
  const el = host.querySelector('ic-support-chat')!;
  await el.updateComplete;
  // The header menu is a chunk loaded after the first render: the picture waits for it, however slow the machine.
  await customElements.whenDefined('ic-header-menu');
  await el.updateComplete;
  if (scene.open) el.open();
  const questions = scene.questions ?? [];
  for (const [i, question] of questions.entries()) {
    const last = i === questions.length - 1;
    if (last && scene.unreadOnReopen) {
      const sent = el.send(question);
      el.close();
      await sent;
      el.open();
    } else await el.send(question);
  }
  await el.updateComplete;
  // Replies render Markdown in animation frames; two more let the transcript settle its scroll.
  for (let i = 0; i < 4; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  // No caret blinking in the picture: focus leaves the message box.
  (document.activeElement as HTMLElement | null)?.blur();
  return el;
}

async function snapshot(name: string, selector?: string): Promise<void> {
  const result = await executeServerCommand<SnapshotResult, SnapshotRequest>('visual-snapshot', { name, ...(selector ? { selector } : {}) });
  expect(result.status, result.message).to.not.equal('different');
  expect(result.status, `${result.message}: run \`npm run test:visual\` again`).to.not.equal('new');
}

describe('visual snapshots (Chromium)', () => {
  before(async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    await document.fonts.load(`15px ${FONT}`);
  });
  after(() => host?.remove());

  const inline = '.frame';
  it('inline, empty with suggestions', async () => {
    await stage({ viewport: DESKTOP, suggestions: ['How do I reset my password?', 'Where is my order?'] });
    await snapshot('inline-empty-suggestions', inline);
  });
  it('inline, Markdown reply', async () => {
    await stage({ viewport: DESKTOP, questions: [QUESTIONS.password] });
    await snapshot('inline-reply', inline);
  });
  it('inline, dark, tool call done', async () => {
    await stage({ viewport: DESKTOP, theme: 'dark', questions: [QUESTIONS.toolDone] });
    await snapshot('inline-dark-tool-call', inline);
  });
  it('inline, approval pending', async () => {
    await stage({ viewport: DESKTOP, questions: [QUESTIONS.approval] });
    await snapshot('inline-approval', inline);
  });
  it('inline, network error', async () => {
    await stage({ viewport: DESKTOP, questions: [QUESTIONS.network] });
    await snapshot('inline-error', inline);
  });
  it('inline, Arabic (right to left)', async () => {
    await stage({ viewport: DESKTOP, lang: 'ar', replies: ARABIC_REPLY, questions: ['كيف أعيد تعيين كلمة المرور؟'] });
    await snapshot('inline-rtl-arabic', inline);
  });
  it('launcher closed, 1280 px', async () => {
    await stage({ viewport: DESKTOP, mode: 'launcher' });
    await snapshot('launcher-closed-desktop');
  });
  it('launcher open, 1280 px', async () => {
    await stage({ viewport: DESKTOP, mode: 'launcher', open: true, questions: [QUESTIONS.password] });
    await snapshot('launcher-open-desktop');
  });
  it('launcher open, 1280 px, dark', async () => {
    await stage({ viewport: DESKTOP, mode: 'launcher', theme: 'dark', open: true, questions: [QUESTIONS.toolDone] });
    await snapshot('launcher-open-desktop-dark');
  });
  it('launcher open, 375 px phone', async () => {
    await stage({ viewport: PHONE, mode: 'launcher', open: true, questions: [QUESTIONS.password] });
    await snapshot('launcher-open-phone');
  });
  it('launcher open, 375 px phone, Arabic', async () => {
    await stage({ viewport: PHONE, mode: 'launcher', open: true, lang: 'ar', replies: ARABIC_REPLY, questions: ['كيف أعيد تعيين كلمة المرور؟'] });
    await snapshot('launcher-open-phone-rtl');
  });
  it('launcher reopened with an unread reply under "New", 1280 px', async () => {
    await stage({ viewport: DESKTOP, mode: 'launcher', open: true, questions: [QUESTIONS.password, QUESTIONS.markdown], unreadOnReopen: true });
    await snapshot('launcher-new-divider');
  });
});
