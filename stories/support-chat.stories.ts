import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import type { IcSupportChat } from '../src/widget/support-chat/support-chat.js';
import { chatArgs, chatArgTypes, renderChat, type ChatArgs } from './support/chat-story.js';
import { deepQuery, deepText } from './support/deep-query.js';
import { QUESTIONS } from './support/scripts.js';

/**
 * `<ic-support-chat>` in every state, replaying scripted streams through a mock transport (no
 * backend). Use the controls to change attributes; `question` and `files` are story-only inputs.
 */
const meta: Meta<ChatArgs> = {
  title: 'Elements/ic-support-chat',
  component: 'ic-support-chat',
  tags: ['autodocs'],
  args: chatArgs,
  argTypes: chatArgTypes,
  render: renderChat,
};
export default meta;

type Story = StoryObj<ChatArgs>;

const chatIn = (canvasElement: HTMLElement): IcSupportChat => {
  const chat = canvasElement.querySelector('ic-support-chat');
  if (!chat) throw new Error('no <ic-support-chat> in the story');
  return chat;
};

/** Resolves when the chat has gone back to idle (the reply ended), with its transcript text. */
async function settled(chat: IcSupportChat, timeout = 10_000): Promise<string> {
  await waitFor(() => expect(chat.store.status).toBe('idle'), { timeout });
  return deepText(chat);
}

// ---------------------------------------------------------------------------------------------
// Empty, greeting and suggestions

/** An empty chat with a greeting: type a question (try "password", "order", "ticket") and watch the reply stream. */
export const EmptyWithGreeting: Story = {};

/** Suggested questions under the greeting; each sends itself. */
export const Suggestions: Story = {
  args: { suggestions: [QUESTIONS.password, QUESTIONS.toolDone, QUESTIONS.approval] },
};

/** No greeting: the `empty` slot (here empty) is all there is. */
export const Empty: Story = { args: { greeting: '' } };

// ---------------------------------------------------------------------------------------------
// Replies

/** A reply streaming in word by word; this one never finishes, so Stop is shown (press it). */
export const Streaming: Story = {
  args: { question: QUESTIONS.streaming, 'idle-timeout': 0 },
  tags: ['streams-forever'],
};

/** Before the first word: animated typing dots (still dots under prefers-reduced-motion), and Stop as an icon in Send's place. */
export const Thinking: Story = {
  args: { question: QUESTIONS.thinking, 'idle-timeout': 0 },
  tags: ['streams-forever'],
};

/** A finished reply. */
export const Reply: Story = { args: { question: QUESTIONS.password } };

/** A long Markdown reply: headings, code blocks (with Copy), a table, a quote and lists. */
export const LongMarkdownReply: Story = { args: { question: QUESTIONS.markdown } };

// ---------------------------------------------------------------------------------------------
// Tools and approvals

/** A tool call still running (spinner, "Running"). */
export const ToolCallRunning: Story = { args: { question: QUESTIONS.toolRunning, 'idle-timeout': 0 }, tags: ['streams-forever'] };

/** A tool call that finished; expand it to see its arguments and result. */
export const ToolCallDone: Story = { args: { question: QUESTIONS.toolDone } };

/** A tool call that failed; the reply goes on. */
export const ToolCallError: Story = { args: { question: QUESTIONS.toolError } };

/** The assistant asks before opening a ticket: Approve / Deny, the composer is locked meanwhile. */
export const ApprovalPending: Story = { args: { question: QUESTIONS.approval } };

/** Interaction test: the visitor approves; the run continues into the same reply. */
export const ApprovalApproved: Story = {
  args: { question: QUESTIONS.approval },
  play: async ({ canvasElement, userEvent }) => {
    const chat = chatIn(canvasElement);
    const approve = await waitFor(
      () => {
        const button = deepQuery<HTMLButtonElement>(chat, '[part~="approve-button"]');
        expect(button).toBeTruthy();
        return button as HTMLButtonElement;
      },
      { timeout: 10_000 },
    );
    await userEvent.click(approve);
    await waitFor(() => expect(deepText(chat)).toContain('T-2291'), { timeout: 10_000 });
    expect(deepQuery(chat, '[part~="approve-button"]')).toBeNull();
    expect(deepQuery(chat, '[part~="decision"]')).toBeTruthy();
  },
};

/** The visitor denies: the decision is shown and the assistant carries on. */
export const ApprovalDenied: Story = {
  args: { question: QUESTIONS.approval },
  play: async ({ canvasElement, userEvent }) => {
    const chat = chatIn(canvasElement);
    const deny = await waitFor(
      () => {
        const button = deepQuery<HTMLButtonElement>(chat, '[part~="deny-button"]');
        expect(button).toBeTruthy();
        return button as HTMLButtonElement;
      },
      { timeout: 10_000 },
    );
    await userEvent.click(deny);
    await waitFor(() => expect(deepText(chat)).toContain('did not open a ticket'), { timeout: 10_000 });
  },
};

// ---------------------------------------------------------------------------------------------
// Errors

/** The server could not be reached: an error with Retry. */
export const NetworkError: Story = { args: { question: QUESTIONS.network } };

/** 429 with `Retry-After: 30`: Retry is disabled until then, with a countdown. */
export const RateLimited: Story = { args: { question: QUESTIONS.rateLimited } };

/**
 * A question that got no reply, after the visitor asked something else: it still says "Not
 * delivered" on its own bubble, with Retry (which sends it again as the newest question).
 */
export const NotDelivered: Story = {
  args: { question: QUESTIONS.network },
  play: async ({ canvasElement }) => {
    const chat = chatIn(canvasElement);
    await settled(chat);
    await chat.send(QUESTIONS.password);
    await settled(chat);
    await waitFor(() => expect(deepQuery(chat, '[part~="undelivered"]')?.textContent).toContain('Not delivered'));
  },
};

/** The stream dropped mid-reply: the partial reply is kept, marked "Interrupted", with Retry. */
export const Interrupted: Story = { args: { question: QUESTIONS.interrupted } };

/**
 * The connection broke mid-reply on a backend that resumes runs: the partial reply stays, the
 * composer says "Reconnecting…" (heard once by screen readers) and Stop still stops the reply.
 */
export const Reconnecting: Story = { args: { question: QUESTIONS.reconnecting } };

// ---------------------------------------------------------------------------------------------
// Attachments

/** Files in the composer's draft: an image thumbnail and a PDF chip, each removable. */
export const AttachmentDrafts: Story = { args: { files: 'drafts' } };

/** Refused files: a text file (wrong type by content) and a 12 MB PDF (too large), each named. */
export const AttachmentsRefused: Story = { args: { files: 'refused' } };

/** Files sent with the question: chips in the visitor's message. */
export const AttachmentsSent: Story = { args: { files: 'sent', question: QUESTIONS.attachments } };

// ---------------------------------------------------------------------------------------------
// Launcher mode

const launcherDocs = { docs: { story: { inline: false, height: '720px' } } };

/** Launcher mode, closed: the floating button. */
export const LauncherClosed: Story = { args: { mode: 'launcher' }, parameters: launcherDocs };

/** Launcher mode, open: the panel (full screen on narrow viewports). */
export const LauncherOpen: Story = { args: { mode: 'launcher', open: true }, parameters: launcherDocs };

/** A reply finished while the panel was closed: the launcher shows an unread badge and a preview of the reply (a click opens the chat). */
export const LauncherUnreadBadge: Story = {
  args: { mode: 'launcher', question: QUESTIONS.password },
  parameters: launcherDocs,
  play: async ({ canvasElement }) => {
    const chat = chatIn(canvasElement);
    await settled(chat);
    await waitFor(() => expect(deepQuery(chat, '[part~="badge"]')?.textContent?.trim()).toBe('1'));
    await waitFor(() => expect(deepQuery(chat, '[part~="preview"]')?.textContent).toContain('To reset your password'));
  },
};

/**
 * A reply finished while the panel was closed: reopening scrolls to it under a "New" divider. (While
 * a reply streams, the question stays at the top and "Jump to latest" is offered: see Streaming.)
 */
export const LauncherNewReplies: Story = {
  args: { mode: 'launcher', open: true },
  parameters: launcherDocs,
  play: async ({ canvasElement }) => {
    const chat = chatIn(canvasElement);
    await chat.updateComplete;
    await chat.send(QUESTIONS.password);
    const reply = chat.send(QUESTIONS.markdown);
    chat.close();
    await reply;
    chat.open();
    await waitFor(() => expect(deepQuery(chat, '[part~="new-divider"]')).toBeTruthy());
  },
};

// ---------------------------------------------------------------------------------------------
// Themes and direction

/** The dark theme. */
export const Dark: Story = { args: { theme: 'dark', question: QUESTIONS.toolDone } };

/** Right-to-left layout (Arabic strings, `dir` from the language). */
export const RightToLeft: Story = {
  args: {
    lang: 'ar',
    heading: 'الدعم',
    greeting: 'مرحبًا! كيف يمكننا مساعدتك؟',
    question: 'كيف أعيد تعيين كلمة المرور؟',
  },
  parameters: { replies: [{ text: 'افتح **الإعدادات ← الحساب** ثم اختر **إعادة تعيين كلمة المرور**. سنرسل إليك رابطًا صالحًا لمدة 30 دقيقة.' }] },
};

/** Arabic with Latin text: an id inside an Arabic question stays in order, an English question reads left to right (the message box too). */
export const RightToLeftMixedText: Story = {
  args: {
    lang: 'ar',
    heading: 'الدعم',
    greeting: 'مرحبًا! كيف يمكننا مساعدتك؟',
    question: 'أين طلبي A-1001؟',
  },
  parameters: { replies: [{ text: 'طلبك **A-1001** في الطريق، ويصل يوم الجمعة. You can track it at https://example.com/track.' }] },
  play: async ({ canvasElement }) => {
    const chat = chatIn(canvasElement);
    await settled(chat);
    chat.store.setDraft('How do I reset my password?');
  },
};

// ---------------------------------------------------------------------------------------------
// Interaction test: the main flow

/** Interaction test: type a question, send it, and the reply streams in (then `ic-run-complete`). */
export const TypeAndSend: Story = {
  play: async ({ canvasElement, userEvent, step }) => {
    const chat = chatIn(canvasElement);
    await chat.updateComplete;
    const completed = new Promise<CustomEvent>((resolve) => chat.addEventListener('ic-run-complete', resolve, { once: true }));
    const input = await waitFor(() => {
      const el = deepQuery<HTMLTextAreaElement>(chat, 'textarea');
      expect(el).toBeTruthy();
      return el as HTMLTextAreaElement;
    });
    await step('type and send', async () => {
      await userEvent.type(input, QUESTIONS.password);
      const send = deepQuery<HTMLButtonElement>(chat, '[part~="send-button"]');
      expect(send).toBeTruthy();
      await userEvent.click(send as HTMLButtonElement);
    });
    await step('the reply streams', async () => {
      await waitFor(() => expect(chat.store.status).toBe('streaming'), { timeout: 5_000 });
      const event = await completed;
      expect(event.detail.stopReason).toBe('end_turn');
      expect(deepText(chat)).toContain('Reset password');
      expect(input.value).toBe('');
    });
  },
};
