/**
 * Tool arguments and outputs come from the backend (and, through it, from the model and the tools):
 * they are shown as text only, pretty-printed when they are JSON, and cut to a readable length.
 * The result is a plain string for a text binding (never HTML).
 */

/** Longest text shown for one value; the rest is cut with an ellipsis. */
export const MAX_VALUE_CHARS = 4000;

export function formatValue(value: unknown, max = MAX_VALUE_CHARS): string {
  let text: string;
  if (typeof value === 'string') {
    text = prettyIfJson(value);
  } else if (value === undefined) {
    text = '';
  } else {
    try {
      text = JSON.stringify(value, null, 2) ?? String(value);
    } catch {
      text = String(value); // cyclic or BigInt: cannot come from JSON, but never throw while rendering
    }
  }
  // Control characters (except tab and newline) have no business on screen.
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A short one-line form of a value, for key arguments in an approval ("subject: Refund"). */
export function shortValue(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : formatValue(value, max * 2).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function prettyIfJson(text: string): string {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return text;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return text;
  }
}
