// Helpers for tests through the cutting proxy (test/support/cut-proxy.ts) to the real resumable backend.
import { fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { messageText } from '../../../src/widget/types.js';
import { untilIdle } from './dom.js';

let counter = 0;

/** A fresh test id and the endpoint for `plan` under it. */
export function cutEndpoint(plan: string, id = `c${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 8)}`) {
  return { id, endpoint: `/api/cut/${id}/${plan}` };
}

export interface CutStats {
  requests: { method: string; path: string; status: number; lastEventId: string | null; idempotencyKey: string | null }[];
  frames: number[];
  cuts: number;
}

export async function cutStats(id: string): Promise<CutStats> {
  return (await (await fetch(`/api/cut/_stats/${id}`)).json()) as CutStats;
}

/** How many runs the backend started for `threadId`. */
export async function upstreamRuns(threadId: string): Promise<number> {
  return ((await (await fetch(`/api/cut/_runs/${encodeURIComponent(threadId)}`)).json()) as { runs: number }).runs;
}

export async function cutChat(endpoint: string, persist = 'none'): Promise<IcSupportChat> {
  const wrapper = await fixture<HTMLDivElement>(html`<div style="height: 420px"><ic-support-chat endpoint=${endpoint} persist=${persist}></ic-support-chat></div>`);
  const chat = wrapper.querySelector('ic-support-chat')!;
  await chat.updateComplete;
  return chat;
}

/** The transcript as the visitor reads it: role, status and text of each message. */
export function transcript(chat: IcSupportChat): [string, string, string][] {
  return chat.store.messages.map((m) => [m.role, m.status, messageText(m)]);
}

/** Sends `question` and waits until the turn is over (finished, failed or stopped). */
export async function ask(chat: IcSupportChat, question: string): Promise<void> {
  await chat.store.connect();
  const sent = chat.store.send(question);
  await sent;
  await untilIdle(chat.store);
}
