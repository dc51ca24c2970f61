import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import type { ThreadSummary } from '../src/protocol/threads.js';
import type { ChatStore } from '../src/widget/state/chat-store.js';
// A value import: the package marks this module side-effect free, so a bare `import '…'` of it (which
// registers <ic-thread-list>) is dropped from the Storybook build.
import { IcThreadList } from '../src/widget/threads/thread-list.js';

/**
 * "Previous conversations" (issue 16.4): the list the header menu opens in the panel, in place of
 * the transcript. Each entry reopens its conversation; Delete asks to confirm in place.
 */
const THREADS: ThreadSummary[] = [
  { thread_id: 'chat_a', title: 'Where is my order 12345?', created_at: '2026-03-12T09:00:00Z', updated_at: '2026-03-12T09:04:00Z' },
  { thread_id: 'chat_b', title: 'How do I reset my password?', created_at: '2026-03-10T14:00:00Z', updated_at: '2026-03-10T14:02:00Z' },
  {
    thread_id: 'chat_c',
    title: 'My invoice from February shows the annual plan although I switched to monthly billing in Janu…',
    created_at: '2026-02-28T08:00:00Z',
    updated_at: '2026-02-28T08:10:00Z',
  },
];

/** Just what the list calls on the store; `pending`: a list that is never read. */
function storeWith(threads: ThreadSummary[] | Error | 'pending'): ChatStore {
  return {
    previousThreads: async () => {
      if (threads === 'pending') return new Promise<never>(() => undefined);
      if (threads instanceof Error) throw threads;
      return threads;
    },
    reopenThread: async () => true,
    deleteThread: async () => undefined,
  } as unknown as ChatStore;
}

interface Args {
  threads: ThreadSummary[] | Error | 'pending';
}

const meta: Meta<Args> = {
  title: 'Features/Previous conversations',
  component: 'ic-thread-list',
  render: ({ threads }) =>
    html`<div style="width: 380px; height: 420px; display: flex; border: 1px solid #ddd">
      <ic-thread-list .store=${storeWith(threads)} locale="en"></ic-thread-list>
    </div>`,
  play: async ({ canvasElement }) => {
    await listElement(canvasElement).show();
  },
};
export default meta;

type Story = StoryObj<Args>;

function listElement(canvasElement: HTMLElement): IcThreadList {
  const list = canvasElement.querySelector('ic-thread-list');
  if (!(list instanceof IcThreadList)) throw new Error('<ic-thread-list> is not registered');
  return list;
}

const listIn = (canvasElement: HTMLElement) => canvasElement.querySelector('ic-thread-list')!.shadowRoot!;

/** Nothing kept yet. */
export const Empty: Story = {
  args: { threads: [] },
  play: async ({ canvasElement }) => {
    await listElement(canvasElement).show();
    await expect(listIn(canvasElement).querySelector('[part="threads-empty"]')).toBeTruthy();
  },
};

/** A few conversations, newest first; a long title is cut. */
export const SomeEntries: Story = {
  args: { threads: THREADS },
  play: async ({ canvasElement }) => {
    await listElement(canvasElement).show();
    await waitFor(() => expect(listIn(canvasElement).querySelectorAll('[part="thread"]').length).toBe(3));
  },
};

/** Delete pressed: the entry asks to confirm, focus on Cancel. */
export const ConfirmDelete: Story = {
  args: { threads: THREADS },
  play: async ({ canvasElement }) => {
    await listElement(canvasElement).show();
    listIn(canvasElement).querySelector<HTMLElement>('[data-delete="chat_b"]')!.click();
    await waitFor(() => expect(listIn(canvasElement).textContent).toContain('This cannot be undone.'));
  },
};

/** The backend's list could not be read. */
export const LoadFailed: Story = {
  args: { threads: new Error('network') },
  play: async ({ canvasElement }) => {
    await listElement(canvasElement).show();
    await waitFor(() => expect(listIn(canvasElement).querySelector('[role="alert"]')).toBeTruthy());
  },
};

/** The list is being read (a slow backend): "Loading…", in a status region that stays. */
export const Loading: Story = {
  args: { threads: 'pending' },
  play: async ({ canvasElement }) => {
    void listElement(canvasElement).show();
    await waitFor(() => expect(listIn(canvasElement).querySelector('[part="threads-loading"]')?.textContent).toBe('Loading…'));
  },
};
