/**
 * Recognises the demo's scripted intents in a visitor's message. Anything else goes to retrieval.
 */

export type Intent =
  | { kind: 'lookup_order'; orderId: string }
  | { kind: 'order_without_id' }
  | { kind: 'open_ticket' }
  | { kind: 'greeting' }
  | { kind: 'question' };

const TICKET_RE =
  /\b(?:open|create|file|raise|submit|log|start)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:support\s+)?(?:ticket|case|request)\b|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+)?(?:real\s+)?(?:human|person|agent|someone|somebody|support)\b|\bcontact\s+(?:the\s+)?support\b|\b(?:human|real person)\s+please\b/i;

const ORDER_WORD_RE = /\b(?:order|orders|package|parcel|shipment|delivery)\b/i;
/** "A-1001", "#A1001", "12345": letters-dash-digits, or 4+ digits. */
const ORDER_ID_RE = /(?:^|[\s#(])#?([A-Za-z]{1,3}-?\d{3,}|\d{4,})\b/;
const ORDER_TRACK_RE = /\b(?:where|track|tracking|status|arriv\w*|shipp\w*|deliver\w*|late|eta)\b/i;

const GREETING_RE = /^\s*(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening)|thanks?(?:\s+you)?|thank\s+you|cheers)\b[\s!.,]*(?:there)?[\s!.]*$/i;

/** "slow reply please", "answer slowly": a long reply streamed slowly so Stop can be tried. */
const SLOW_RE = /\bslow(?:ly)?\s+(?:reply|answer|response|mode|stream|please)\b|\b(?:reply|answer|respond|stream|type)\s+slowly\b|^\s*slow\s*[.!]?\s*$/i;

export function detectIntent(text: string): Intent {
  if (TICKET_RE.test(text)) return { kind: 'open_ticket' };
  if (ORDER_WORD_RE.test(text)) {
    const id = ORDER_ID_RE.exec(text);
    if (id) return { kind: 'lookup_order', orderId: id[1]! };
    if (ORDER_TRACK_RE.test(text)) return { kind: 'order_without_id' };
  }
  if (GREETING_RE.test(text)) return { kind: 'greeting' };
  return { kind: 'question' };
}

export function wantsSlowReply(text: string): boolean {
  return SLOW_RE.test(text);
}

/** The message with the slow-reply keyword removed, so the rest can still be answered. */
export function stripSlowKeyword(text: string): string {
  return text.replace(SLOW_RE, ' ').replace(/\s+/g, ' ').trim();
}
