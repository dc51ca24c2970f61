// The only places HTML strings are parsed: a host highlighter's output and a named character
// reference in a reply's text. Both parse into an inert document (DOMParser: nothing in it runs
// or loads) and only text, or spans we rebuild, leave it; no parsed node ever reaches the page.

/** Name of the Trusted Types policy this library creates (allow it in `trusted-types`). */
export const TRUSTED_TYPES_POLICY_NAME = 'ic-support-chat';

interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createHTML(s: string): string }): { createHTML(s: string): unknown };
}

let policy: { createHTML(s: string): unknown } | null | undefined;

/**
 * Our own Trusted Types policy. It only hands strings to the inert parser above, so where Trusted
 * Types are enforced nothing but this module needs it; replies render without it.
 */
function trustedPolicy(): typeof policy {
  const tt = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  try {
    return tt?.createPolicy(TRUSTED_TYPES_POLICY_NAME, { createHTML: (s) => s });
  } catch {
    console.warn(`ic-support-chat: allow the Trusted Types policy "${TRUSTED_TYPES_POLICY_NAME}" in your CSP.`);
    return null;
  }
}

/** `html` parsed into an inert document's body; null where Trusted Types refuse it. */
export function inertBody(html: string): HTMLElement | null {
  if (policy === undefined) policy = trustedPolicy() ?? null;
  try {
    // After an explicit <body> the parser keeps leading white space (before it, it drops it).
    const source = `<body>${html}`;
    return new DOMParser().parseFromString((policy ? policy.createHTML(source) : source) as string, 'text/html').body;
  } catch {
    return null;
  }
}

// What marked leaves in a text as a character reference (the same pattern its renderer keeps).
const REFERENCE = /&(?:#\d{1,7}|#[Xx][\dA-Fa-f]{1,6}|\w+);/g;
const decoded = new Map<string, string>(Object.entries({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&nbsp;': '\xa0' }));

/**
 * `text` with its character references decoded as an HTML parser would (`&copy;` → ©). Each
 * reference is decoded on its own, by the browser's parser: it holds no `<`, so only text results.
 */
export function decodeReferences(text: string): string {
  return text.includes('&')
    ? text.replace(REFERENCE, (ref) => {
        let char = decoded.get(ref);
        if (char === undefined) {
          char = inertBody(ref)?.textContent ?? ref;
          // Bounded: a reply could hold any number of different references.
          if (decoded.size < 256) decoded.set(ref, char);
        }
        return char;
      })
    : text;
}
