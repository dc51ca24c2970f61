/**
 * The core's side of "Talk to a person" (`features.handoff`, `POST /handoff`, and `ctx.handoff` for
 * an offer the visitor approved): one hook (the handler's `onHandoff`, else the backend's
 * `handoff()`), and who talked in which thread, remembered at each turn so a stranger's thread is
 * answered as absent.
 */
import { PROTOCOL_VERSION } from '../../protocol/types.js';
import { accountEmail, checkHandoffReply, handoffRecord, threadOwnerKey, validateHandoffBody, type HandoffHook } from './handoff.js';
import { json } from './run-streams.js';
import type { RunOwnerStore } from './stores.js';
import { SupportError } from './support-error.js';
import type { SupportBackend, TurnContext, Visitor } from './types.js';

const DEFAULT_WINDOW_MS = 7 * 24 * 3600_000;

export class HandoffDesk {
  readonly #hook: HandoffHook | undefined;
  readonly #owners: RunOwnerStore;
  readonly #windowMs: number;

  constructor(hook: HandoffHook | undefined, backend: SupportBackend, owners: RunOwnerStore, windowMs = DEFAULT_WINDOW_MS) {
    this.#hook = hook ?? backend.handoff?.bind(backend);
    this.#owners = owners;
    this.#windowMs = windowMs;
  }

  /** Whether `POST /session` announces `features.handoff`. */
  get open(): boolean {
    return this.#hook !== undefined;
  }

  /** `visitor.has_email` for the session reply: the account's address is used, none is asked for. */
  knowsEmailOf(visitor: Visitor): boolean {
    return accountEmail(visitor) !== undefined;
  }

  /** A turn of `owner` in `threadId` starts: theirs to hand over for the window. */
  async turnStarted(threadId: string, owner: string): Promise<void> {
    if (this.open) await this.#owners.remember(threadOwnerKey(threadId, owner), owner, this.#windowMs);
  }

  /** Gives `ctx` its `handoff()`: the assistant's offer, approved, goes to the same hook (no address typed). */
  equip(ctx: TurnContext): void {
    const hook = this.#hook;
    if (!hook) return;
    ctx.handoff = async (input) => {
      const record = handoffRecord(input, ctx.visitor, 'assistant');
      return checkHandoffReply(await hook(record, ctx), record);
    };
  }

  /** `POST /handoff` with its JSON body already read. */
  async answer(body: unknown, ctx: TurnContext, owner: string, headers: Headers): Promise<Response> {
    const input = validateHandoffBody(body);
    const hook = this.#hook;
    if (!hook) throw new SupportError('not_found', 'This endpoint does not hand conversations to a person.');
    const record = handoffRecord(input, ctx.visitor, 'visitor');
    // Another visitor's thread (or one with no turn in the window) is as absent as one that never existed.
    if ((await this.#owners.owner(threadOwnerKey(input.thread_id, owner))) !== owner) throw new SupportError('not_found', 'No such thread.');
    const reply = checkHandoffReply(await hook(record, ctx), record);
    return json({ v: PROTOCOL_VERSION, thread_id: input.thread_id, handoff: reply }, headers);
  }
}
