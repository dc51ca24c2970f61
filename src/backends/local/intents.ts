/**
 * Recognises the demo's scripted intents in a visitor's message. Anything else goes to retrieval.
 */

export type Intent =
  | { kind: 'lookup_order'; orderId: string }
  | { kind: 'order_without_id' }
  /** `subject` is set when the visitor said what the ticket is about ("open a ticket about X"). */
  | { kind: 'open_ticket'; subject?: string }
  | { kind: 'greeting' }
  | { kind: 'question' };

const TICKET_RE =
  /\b(?:open|create|file|raise|submit|log|start)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:support\s+)?(?:ticket|case|request)\b|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+)?(?:real\s+)?(?:human|person|agent|someone|somebody|support)\b|\bcontact\s+(?:the\s+)?support\b|\b(?:human|real person)\s+please\b/i;

/**
 * "… about X" right after the ticket request, with at most three plain words in between ("for me",
 * "for my team"). Crossing punctuation is not allowed, so "talk to a human, I'm worried about my
 * data" keeps the earlier question as its subject rather than guessing.
 */
const TICKET_ABOUT_RE = /^(?:\s+[\w'-]+){0,3}?\s+(?:about|regarding|concerning)\s+((?:[^.!?;\n]|[.!?;](?!\s|$))*)/i;
/** Words that point back at the conversation instead of naming the problem. */
const VAGUE_SUBJECT_RE = /^(?:it|this|that|(?:this|that|the|my)\s+(?:issue|problem|question|one))$/i;
const TICKET_SUBJECT_MAX = 80;

const ORDER_WORD_RE = /\b(?:order|orders|package|parcel|shipment|delivery)\b/i;
const ORDER_TRACK_RE = /\b(?:where|track|tracking|status|arriv\w*|shipp\w*|deliver\w*|late|eta)\b/i;

/**
 * What an order id looks like once it has been introduced as one: the store's letter prefix
 * ("A-1001", "a1001", "AB-123") or 4–8 digits. Longer digit runs are phone or tracking numbers.
 */
const ID = String.raw`[A-Za-z]{1,3}-?\d{3,8}|\d{4,8}`;
/** Not part of a longer token, date, decimal or price: "2024-05-01", "1500.00", "1,500", "1500$". */
const ID_END = String.raw`(?![\w-]|[.,/:]\d|\s*[$€£%])`;
/**
 * The ways a visitor introduces an order id, in the order they appear in the message:
 * - `strong`: "order number 12345", "order no. 12345", "order id: 12345", "order #12345", "#12345";
 * - `weak`: "order 12345", "order: 12345", "order is 12345";
 * - `demo`: the demo store's own format with its dash ("A-1001") anywhere in an order message.
 */
const ORDER_ID_RE = new RegExp(
  String.raw`\borders?(?:\s+(?<marker>(?:number|no\.?|nr\.?|num\.?|id)\s*(?:is\s+|:\s*)?(?:#\s?)?|#\s?)|\s*(?<hash>#\s?)|\s*:\s*|\s+(?:is\s+)?)(?<introduced>${ID})${ID_END}` +
    String.raw`|(?<![\w&#])#\s?(?<tagged>${ID})${ID_END}` +
    String.raw`|(?<![\w-])(?<demo>[A-Za-z]-\d{4,8})${ID_END}`,
  'gi',
);
/**
 * A year after a bare "order" ("my order 2024 …", "order FY2024") is not taken as an id, unless it
 * is in the demo's own form ("order A-2024"); introduced more clearly ("order #2024") it is.
 */
const YEAR_RE = /^(?:19|20)\d\d$/;
/** "order 1000 units", "order 2000 sheets": a quantity, not an id. */
const QUANTITY_AFTER_RE =
  /^\s+(?:x\b|(?:units?|items?|pieces?|pcs|pages?|sheets?|copies|boxes|packs?|pairs?|times|days?|weeks?|months?|years?|hours?|minutes?|dollars?|euros?|pounds?|usd|eur|gbp|cents?)\b)/i;

const GREETING_RE = /^\s*(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening)|thanks?(?:\s+you)?|thank\s+you|cheers)\b[\s!.,]*(?:there)?[\s!.]*$/i;

/** "slow reply please", "answer slowly": a long reply streamed slowly so Stop can be tried. */
const SLOW_RE = /\bslow(?:ly)?\s+(?:reply|answer|response|mode|stream|please)\b|\b(?:reply|answer|respond|stream|type)\s+slowly\b|^\s*slow\s*[.!]?\s*$/i;

export function detectIntent(text: string): Intent {
  const ticket = TICKET_RE.exec(text);
  if (ticket) {
    const subject = ticketSubject(text.slice(ticket.index + ticket[0].length));
    return subject ? { kind: 'open_ticket', subject } : { kind: 'open_ticket' };
  }
  if (ORDER_WORD_RE.test(text)) {
    const orderId = findOrderId(text);
    if (orderId) return { kind: 'lookup_order', orderId };
    if (ORDER_TRACK_RE.test(text)) return { kind: 'order_without_id' };
  }
  if (GREETING_RE.test(text)) return { kind: 'greeting' };
  return { kind: 'question' };
}

/**
 * The first order id the visitor introduced as one, as typed (without '#'). A bare number is never
 * taken: a support agent reading "my order placed in 2024" asks for the number rather than looking
 * up order 2024.
 */
function findOrderId(text: string): string | null {
  for (const m of text.matchAll(ORDER_ID_RE)) {
    const g = m.groups!;
    const id = g['introduced'] ?? g['tagged'] ?? g['demo'];
    if (!id) continue;
    const strong = g['introduced'] === undefined || g['marker'] !== undefined || g['hash'] !== undefined;
    const digitsOnly = /^\d+$/.test(id);
    const rest = text.slice(m.index + m[0].length);
    if (digitsOnly && QUANTITY_AFTER_RE.test(rest)) continue;
    if (!strong && !/^[A-Za-z]-/.test(id) && YEAR_RE.test(id.replace(/^[A-Za-z]*-?/, ''))) continue;
    return id;
  }
  return null;
}

/** "about my broken charger, please" → "My broken charger"; `undefined` when nothing usable follows. */
function ticketSubject(afterRequest: string): string | undefined {
  const m = TICKET_ABOUT_RE.exec(afterRequest);
  if (!m) return undefined;
  const phrase = m[1]!
    .replace(/\s+/g, ' ')
    .replace(/^["'“‘\s]+|["'”’\s]+$/g, '')
    .replace(/(?:[\s,]+(?:please|pls|thanks|thank you|thx))+$/i, '')
    .replace(/[\s,:]+$/, '')
    .trim();
  if (!phrase || VAGUE_SUBJECT_RE.test(phrase)) return undefined;
  const capped = phrase.length <= TICKET_SUBJECT_MAX ? phrase : `${phrase.slice(0, TICKET_SUBJECT_MAX - 1).trimEnd()}…`;
  return capped.charAt(0).toUpperCase() + capped.slice(1);
}

export function wantsSlowReply(text: string): boolean {
  return SLOW_RE.test(text);
}

/** The message with the slow-reply keyword removed, so the rest can still be answered. */
export function stripSlowKeyword(text: string): string {
  return text.replace(SLOW_RE, ' ').replace(/\s+/g, ' ').trim();
}
