// Wire protocol v1, "Talk to a person": the `POST /handoff` body, its reply and their limits
// (docs/protocol.md#post-handoff). Re-exported by types.ts, which holds `HANDOFF_LIMITS`: a value
// here would be a module of its own that the widget's main file and feature chunk share.
import type { PROTOCOL_VERSION } from './types.js';

/**
 * `POST {endpoint}/handoff`: the visitor asks for a person to take the conversation over
 * (`features.handoff`). `email` is required unless the session said `visitor.has_email`.
 */
export interface HandoffRequestBody {
  thread_id: string;
  /** Where the person answers; at most `HANDOFF_LIMITS.max_email_chars` characters. */
  email?: string;
  /** What the visitor wants a person to know; at most `HANDOFF_LIMITS.max_message_chars` characters. */
  message?: string;
}

/** The `POST /handoff` reply: the request's reference (a ticket id) and where the answer goes. */
export interface HandoffResponse {
  v: typeof PROTOCOL_VERSION;
  thread_id: string;
  handoff: HandoffResult;
}

export interface HandoffResult {
  /** The ticket or case id the visitor can quote (e.g. `T-4821`); at most `HANDOFF_LIMITS.max_reference_chars`. */
  reference: string;
  /** The address the answer goes to, when there is one. */
  email?: string;
}
