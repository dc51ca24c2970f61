/**
 * Tool arguments and results as a person reads them: labelled lines ("Order id: A-1001"), from the
 * backend's display block when it sent one, else from the value's own fields with their names made
 * readable. Text bindings only, never HTML.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { tokens } from '../styles/tokens.styles.js';
import { displayBlock } from '../../protocol/event-decoder.js';
import type { DisplayBlock } from '../../protocol/types.js';
import { shortValue } from './format-value.js';

/** At most this many lines: the key facts, not a dump (the raw value stays behind "Show details"). */
const MAX_FIELDS = 8;

export type Field = readonly [label: string, value: string];

/** "order_id" → "Order id", "ticketId" → "Ticket id": an identifier as words, capitalised. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

/** The top-level fields of an object (or the items of an array) as labelled lines; a scalar as one unlabelled line. */
export function readableFields(value: unknown): Field[] {
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      value = JSON.parse(value) as unknown; // a JSON string (some backends send arguments as text)
    } catch {
      // Not JSON after all: shown as it is.
    }
  }
  if (typeof value !== 'object' || value === null) {
    const text = value === undefined || value === null ? '' : shortValue(value);
    return text ? [['', text]] : [];
  }
  const entries = Array.isArray(value) ? value.map((v: unknown, i) => [String(i + 1), v] as const) : Object.entries(value);
  return entries
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .slice(0, MAX_FIELDS)
    .map(([k, v]) => [Array.isArray(value) ? k : humanize(k), listText(v)] as const);
}

/** A list of plain values reads as words ("Blue mug, Tea"), anything else as short text. */
function listText(value: unknown): string {
  return Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null) ? shortValue(value.join(', ')) : shortValue(value);
}

/** A part's display block, checked again: parts restored from storage may have been tampered with. */
export function displayOf(part: { display?: DisplayBlock }): DisplayBlock | undefined {
  return part.display && displayBlock(part.display);
}

/** The display block's fields when it has some, else the value's own. */
export function fieldsFor(display: DisplayBlock | undefined, value: unknown): Field[] {
  return display?.fields ? display.fields.map((f) => [f.label, f.value] as const) : readableFields(value);
}

/**
 * A `<dl>` of labelled lines (an unlabelled value is a paragraph): each side isolated (`dir="auto"`)
 * so ids and Latin text keep their order in a right-to-left chat.
 */
export function fieldList(fields: readonly Field[]): TemplateResult | typeof nothing {
  if (!fields.length) return nothing;
  if (fields.every(([label]) => !label)) return html`<p class="fields" dir="auto">${fields.map(([, value]) => value).join(', ')}</p>`;
  return html`<dl class="fields">
    ${fields.map(
      ([label, value]) =>
        html`<div class="field">
          <dt dir="auto">${label || '–'}</dt>
          <dd dir="auto">${value}</dd>
        </div>`,
    )}
  </dl>`;
}

export const fieldStyles = css`
  .fields {
    margin: 0 0 6px;
    font-size: 0.9em;
  }
  /* Isolated text (dir=auto) still lines up with the chat's side, not its own (English in Arabic). */
  [dir='auto'] {
    text-align: -webkit-match-parent; /* Chromium and WebKit know only the prefixed name */
    text-align: match-parent;
  }
  .field {
    display: flex;
    flex-wrap: wrap;
    column-gap: 8px;
  }
  dt {
    color: ${tokens.textMuted};
  }
  dd {
    margin: 0;
    min-width: 0;
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }
`;
