/**
 * The emulator's scripted assistant: deterministic, so tests can assert on it, and aware of the
 * thread (it says which turn it is and recalls the first question) so "the same conversation
 * continues" is visible. It exercises the whole envelope: a `web_search` tool call for questions
 * that mention searching, an approval for "ticket", plain text otherwise.
 */
import type { UpstreamFileInfo } from '../upstream-types.js';

export interface EmulatorTurn {
  smith: { id: string; external_id: string; display_name: string | null; auto_memory: boolean };
  thread_id: string;
  /** 1 for the first user message of the thread. */
  turn: number;
  /** The latest user message's text parts, joined. */
  text: string;
  /** Earlier messages of this thread, oldest first (the latest user message not included). */
  history: { role: 'user' | 'assistant'; text: string }[];
  /** Attachments stored from the latest user message. */
  files: UpstreamFileInfo[];
}

export type EmulatorStep =
  /** Text, streamed as one `message.delta`; a function is called when the delta is sent (benchmarks stamp the time). */
  | { type: 'delta'; text: string | (() => string) }
  | { type: 'tool'; name: string; arguments: unknown; output: unknown; is_error?: boolean }
  | {
      type: 'approval';
      name: string;
      arguments: unknown;
      reason?: string;
      /** What happens after the decision; the first step is usually the tool's result. */
      onApprove: EmulatorStep[];
      onDeny: EmulatorStep[];
    }
  /** The run fails here with this error (`run.failed`, status `failed`); later steps are not played. */
  | { type: 'fail'; code: string; message: string };

/** Splits text into word-sized deltas, spaces kept, the way a model streams. */
export function words(text: string): EmulatorStep[] {
  return (text.match(/\S+\s*|\s+/g) ?? []).map((w) => ({ type: 'delta', text: w }));
}

let ticketCounter = 1000;

export function defaultReply(turn: EmulatorTurn): EmulatorStep[] {
  const hello = turn.smith.display_name ? `Hi ${turn.smith.display_name}. ` : '';
  const where = `(turn ${turn.turn} in this thread) `;
  const firstEarlier = turn.history.find((m) => m.role === 'user');
  const recall = firstEarlier ? `Earlier in this conversation you asked: “${clip(firstEarlier.text)}”. ` : '';
  const attached =
    turn.files.length > 0
      ? `I received ${turn.files.length} attachment${turn.files.length === 1 ? '' : 's'}: ${turn.files.map((f) => f.filename ?? f.media_type).join(', ')}. `
      : '';
  const said = turn.text.trim() ? `You said: “${clip(turn.text)}”. ` : '';
  const intro = hello + where + recall + said + attached;

  if (/\bticket\b/i.test(turn.text)) {
    const ticket = `T-${++ticketCounter}`;
    return [
      ...words(intro + 'I can open a support ticket for you, but I need your approval first.'),
      {
        type: 'approval',
        name: 'open_ticket',
        arguments: { subject: clip(turn.text, 80) },
        reason: 'Opening a ticket shares this conversation with the support team.',
        onApprove: [
          { type: 'tool', name: 'open_ticket', arguments: { subject: clip(turn.text, 80) }, output: { ticket_id: ticket } },
          ...words(`Done: I opened ticket ${ticket}. The team will reply by email.`),
        ],
        onDeny: [
          { type: 'tool', name: 'open_ticket', arguments: { subject: clip(turn.text, 80) }, output: 'The visitor declined.', is_error: true },
          ...words('Okay, I did not open a ticket.'),
        ],
      },
    ];
  }
  if (/\b(search|web)\b/i.test(turn.text)) {
    const query = clip(turn.text, 80);
    return [
      { type: 'tool', name: 'web_search', arguments: { query }, output: { results: [{ title: `Emulated result for “${query}”`, url: 'https://example.com/help' }] } },
      ...words(`${intro}I searched the web and found one emulated result: [Emulated result](https://example.com/help).`),
    ];
  }
  return words(`${intro}This is the Ingram Cloud emulator: my answers are scripted, not generated.`);
}

function clip(text: string, max = 120): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
