/**
 * Recognises the demo's scripted intents in a visitor's message. Anything else goes to retrieval.
 */

import { isSpace, trimEndWhile, trimStartWhile } from '../core/trim-chars.js';

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
/** How much of the text after "about" is cleaned up into a subject; the rest would be cut anyway. */
const TICKET_PHRASE_MAX = 4 * TICKET_SUBJECT_MAX;
/** Courtesy words dropped from the end of a subject ("… , please"), lower case. */
const POLITE_WORDS = ['please', 'pls', 'thanks', 'thank you', 'thx'];

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

// No two adjacent repeats may match the same characters: "hi" and 100k spaces then "x" took
// seconds when `[\s!.,]*(?:there)?[\s!.]*$` could split the spaces between its two repeats.
const GREETING_RE = /^\s*(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening)|thanks?(?:\s+you)?|thank\s+you|cheers)\b[\s!.,]*(?:there[\s!.]*)?$/i;

/** "slow reply please", "answer slowly": a long reply streamed slowly so Stop can be tried. */
const SLOW_RE = /\bslow(?:ly)?\s+(?:reply|answer|response|mode|stream|please)\b|\b(?:reply|answer|respond|stream|type)\s+slowly\b|^\s*slow\s*(?:[.!]\s*)?$/i;

/**
 * How much of a message is read for an intent. Intents are short messages ("open a ticket about X",
 * "where is order 12345?"); reading a bounded prefix keeps a pasted log or a hostile megabyte as
 * cheap as a paragraph, here and when earlier messages are looked at again. Retrieval still reads
 * the whole text.
 */
export const INTENT_TEXT_MAX = 2000;

export interface IntentContext {
  /** The previous message in this thread was the assistant asking for the order number. */
  afterOrderQuestion?: boolean;
}

/**
 * The intent of a message, read from its first `INTENT_TEXT_MAX` characters. A longer message is
 * never a greeting or a bare answer to "What's the order number?", whatever it starts with.
 */
export function detectIntent(message: string, context: IntentContext = {}): Intent {
  const whole = message.length <= INTENT_TEXT_MAX;
  const text = whole ? message : message.slice(0, INTENT_TEXT_MAX);
  const ticket = TICKET_RE.exec(text);
  if (ticket) {
    const subject = ticketSubject(text.slice(ticket.index + ticket[0].length));
    return subject ? { kind: 'open_ticket', subject } : { kind: 'open_ticket' };
  }
  if (ORDER_WORD_RE.test(text)) {
    const orderId = findOrderId(text);
    if (orderId) return { kind: 'lookup_order', orderId };
  }
  // Right after "What's the order number?" the reply needs no order word: "12345" is the answer.
  if (context.afterOrderQuestion && whole) {
    const orderId = orderIdFromAnswer(text);
    if (orderId) return { kind: 'lookup_order', orderId };
  }
  if (ORDER_WORD_RE.test(text) && ORDER_TRACK_RE.test(text)) return { kind: 'order_without_id' };
  if (whole && GREETING_RE.test(text)) return { kind: 'greeting' };
  return { kind: 'question' };
}

/**
 * The first order id the visitor introduced as one, as typed (without '#'). A bare number is never
 * taken: a support agent reading "my order placed in 2024" asks for the number rather than looking
 * up order 2024. Only the reply to that question may be a bare number (`orderIdFromAnswer`).
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

/** Longer replies are a new message, not an answer to the question. */
const ANSWER_MAX_WORDS = 12;
/** Words a visitor puts before the number: "sure, it's 12345", "I think the number is A-1001". */
const ANSWER_LEAD_WORD = String.raw`(?:yes|yeah|yep|yup|sure|ok|okay|oh|ah|um+|uh+|er+|hm+|so|well|right|sorry|and|but|here|here['’]?s|you|go|this|one|it|it['’]?s|is|was|that|that['’]?s|the|my|our|order|number|no\.?|nr\.?|num\.?|id|i|i['’]?m|think|believe|guess|should|be|maybe|probably|perhaps)`;
/**
 * Words after "is", "number", "id" or ":" introduce the number itself, as in "order #12345". Tested
 * on the lead without its trailing separators (see `endsWithIntroducer`).
 */
const ANSWER_INTRODUCER_RE = /\b(?:is|it['’]?s|number|no\.?|nr\.?|num\.?|id)$/i;
/**
 * A short reply built around one id: an optional digit-free opening clause ("sorry, "), lead words,
 * the id (optionally '#'), then the rest, checked by `orderIdFromAnswer`. The id must start a token,
 * so "$1234", "12/05/2024" and "555-123-4567" have none. The clause starts after the leading
 * spaces (or is only its punctuation), so the two cannot share them and backtrack quadratically.
 */
const ANSWER_RE = new RegExp(
  String.raw`^\s*(?<clause>(?:[^\d#\s][^\d#]*)?[,;:.!?—–]\s+)?(?<lead>(?:${ANSWER_LEAD_WORD}(?:[\s,:]+|(?=#)))*)(?<hash>#\s?)?(?<id>${ID})${ID_END}(?<rest>.*)$`,
  'is',
);
/** Nothing after the id but thanks, a hedge and punctuation: "12345.", "A-1001 please", "10042 I think". */
const ANSWER_CLOSING_RE = /^[\s.!?,]*(?:(?:please|pls|thanks|thank\s+you|thx|ty|cheers|i\s+think|i\s+believe|i\s+guess|maybe|probably)\b[\s.!?,]*)*$/i;
/** More after the id, set off as its own clause: "12345, it was due Monday", "12345 - still not here". */
const ANSWER_TAIL_RE = /^(?:\s*[,;.!?—–]|\s+-\s|\s+(?:and|but)\b)/i;
/** Another id-like token in the tail makes the answer ambiguous: "12345 or maybe 10042". */
const ANOTHER_ID_RE = new RegExp(String.raw`(?<![\w&$€£/.,:-])#?(?:${ID})${ID_END}`);

/**
 * The order id in a short reply to "What's the order number?", as typed (without '#'), or `null`
 * when the reply is not such an answer ("I don't know", "never mind", a question, a date, a price).
 * A year-shaped number (1900–2099) counts only when it is the whole answer or introduced as the
 * number ("2024", "#2024", "it's 2024"), with nothing after it but thanks: the visitor was asked for
 * a number and gave one, and the not-found reply shows the right format. "in 2024", "order 2024",
 * "2024, when I ordered" and "FY2024" stay dates, as in `findOrderId`.
 */
function orderIdFromAnswer(text: string): string | null {
  if (text.trim().split(/\s+/).length > ANSWER_MAX_WORDS) return null;
  const m = ANSWER_RE.exec(text);
  if (!m) return null;
  const { clause, lead, hash, id, rest } = m.groups as Record<string, string | undefined>;
  if (!id || rest === undefined) return null;
  const closingOnly = ANSWER_CLOSING_RE.test(rest);
  if (!closingOnly && (!ANSWER_TAIL_RE.test(rest) || ANOTHER_ID_RE.test(rest))) return null;
  const yearShaped = !/^[A-Za-z]-/.test(id) && YEAR_RE.test(id.replace(/^[A-Za-z]*-?/, ''));
  if (yearShaped && !hash) {
    if (!/^\d+$/.test(id) || !closingOnly || clause) return null;
    if (lead && !endsWithIntroducer(lead)) return null;
  }
  return id;
}

function isAnswerSeparator(char: string): boolean {
  return char === ',' || char === ':' || isSpace(char);
}

/** The lead ends with an introducer ("it's", "number", ":"), separators after it allowed. */
function endsWithIntroducer(lead: string): boolean {
  const trimmed = trimEndWhile(lead, isAnswerSeparator);
  return lead.slice(trimmed.length).includes(':') || ANSWER_INTRODUCER_RE.test(trimmed);
}

// The clean-up below walks from the ends instead of using `[…]+$` regexes, which are quadratic on a
// long run of those characters ("about a,,,,…,b" took seconds).

function isOpeningQuoteOrSpace(char: string): boolean {
  return `"'“‘`.includes(char) || isSpace(char);
}

function isClosingQuoteOrSpace(char: string): boolean {
  return `"'”’`.includes(char) || isSpace(char);
}

function isSubjectSeparator(char: string): boolean {
  return char === ',' || isSpace(char);
}

/** Drops "please", "thanks" … from the end, each after a comma or space: "my charger, thanks please". */
function withoutPoliteEnding(phrase: string): string {
  let end = phrase.length;
  for (;;) {
    const word = POLITE_WORDS.find((w) => end >= w.length && phrase.slice(end - w.length, end).toLowerCase() === w);
    if (!word) break;
    const before = trimEndWhile(phrase.slice(0, end - word.length), isSubjectSeparator);
    if (before.length === end - word.length) break; // glued to the word before: "displease"
    end = before.length;
  }
  return phrase.slice(0, end);
}

/** "about my broken charger, please" → "My broken charger"; `undefined` when nothing usable follows. */
function ticketSubject(afterRequest: string): string | undefined {
  const m = TICKET_ABOUT_RE.exec(afterRequest);
  if (!m) return undefined;
  let phrase = m[1]!.replace(/\s+/g, ' ');
  const cut = phrase.length > TICKET_PHRASE_MAX;
  if (cut) phrase = phrase.slice(0, TICKET_PHRASE_MAX);
  phrase = trimEndWhile(trimStartWhile(phrase, isOpeningQuoteOrSpace), isClosingQuoteOrSpace);
  phrase = trimEndWhile(withoutPoliteEnding(phrase), (c) => c === ':' || isSubjectSeparator(c)).trim();
  if (!phrase || VAGUE_SUBJECT_RE.test(phrase)) return undefined;
  const capped = !cut && phrase.length <= TICKET_SUBJECT_MAX ? phrase : `${phrase.slice(0, TICKET_SUBJECT_MAX - 1).trimEnd()}…`;
  return capped.charAt(0).toUpperCase() + capped.slice(1);
}

export function wantsSlowReply(text: string): boolean {
  return SLOW_RE.test(text);
}

/** The message with the slow-reply keyword removed, so the rest can still be answered. */
export function stripSlowKeyword(text: string): string {
  return text.replace(SLOW_RE, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * "Continue" as the widget's Continue button sends it, in its six languages (or typed): the visitor
 * wants the rest of a reply they stopped.
 */
const CONTINUE_RE =
  /^\s*(?:(?:please\s+)?(?:continue|go on|keep going)(?:,?\s*please)?|continuez(?:,? s’il vous plaît)?|bitte fortfahren|fortfahren|continúa(?:,? por favor)?|続けてください|続けて|تابع(?: من فضلك)?)\s*[.!。]?\s*$/i;

export function isContinueRequest(text: string): boolean {
  return text.length <= 60 && CONTINUE_RE.test(text);
}
