// Helpers for tests against the scripted fault server (test/support/fault-server.ts).
import { aTimeout, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcApproval } from '../../../src/widget/approval/approval.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { parts } from './dom.js';

let counter = 0;

/** A fresh endpoint for `scenario`, with an id the fault server counts this test's requests by. */
export function faultEndpoint(scenario: string): { endpoint: string; id: string } {
  const id = `t${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return { endpoint: `/api/faults/${scenario}/${id}`, id };
}

export interface FaultStats {
  sessions: number;
  runs: number;
  bodies: unknown[];
  cancels: string[];
  decisions: { run_id: string; approval_id: string; decision: unknown }[];
}

/** What the widget sent to the fault server under test id `id`. */
export async function faultStats(id: string): Promise<FaultStats> {
  const response = await fetch(`/api/faults/_stats/${id}`);
  return (await response.json()) as FaultStats;
}

/** Polls `check` (every 25 ms, up to `ms`) until it is truthy; throws with `what` when it never is. */
export async function until<T>(check: () => T | Promise<T>, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await aTimeout(25);
  }
}

export async function faultChat(endpoint: string, options: { idleTimeout?: number; persist?: string } = {}): Promise<IcSupportChat> {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style="height: 520px">
      <ic-support-chat endpoint=${endpoint} persist=${options.persist ?? 'none'} idle-timeout=${options.idleTimeout ?? 45000}></ic-support-chat>
    </div>`,
  );
  const chat = wrapper.querySelector('ic-support-chat')!;
  await chat.updateComplete;
  return chat;
}

/** The chat's approval element (in the assistant message), once rendered. */
export async function approvalOf(el: IcSupportChat): Promise<IcApproval> {
  const found = await until(() => {
    for (const message of parts(el).messages()) {
      const approval = message.shadowRoot?.querySelector('ic-approval');
      if (approval) return approval;
    }
    return null;
  }, 'the approval to render');
  // The approval card is an on-demand chunk: the tag may show before its definition arrives.
  await customElements.whenDefined('ic-approval');
  await found.updateComplete;
  return found;
}
