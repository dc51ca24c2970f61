// The one place assistant HTML is made safe. A PRIVATE DOMPurify instance (never the page's global
// one, whose hooks and config a host page may change) with a fixed allow-list for Markdown output.
// It returns DOM fragments, so no sanitised string is ever concatenated or parsed again.
import DOMPurify from 'dompurify';

/** Name of the Trusted Types policy this library creates (allow it in `trusted-types`). */
export const TRUSTED_TYPES_POLICY_NAME = 'ic-support-chat';

/** Elements Markdown (and a little safe inline HTML) may produce. Anything else is removed. */
// One string split at load: shorter in the bundle than an array literal of 49 quoted names.
const ALLOWED_TAGS =
  'a abbr b blockquote br caption code dd del details dl dt em h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup table tbody td tfoot th thead tr u ul var div'.split(
    ' ',
  );

/** No `id`/`name` (DOM clobbering), no `style`, no event handlers, no `class` from the author. */
const ALLOWED_ATTR = 'href title alt src align start colspan rowspan open class lang dir'.split(' ');

/** Only these schemes survive; anything without a scheme is relative and resolved later. */
const ALLOWED_URI_REGEXP = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

interface TrustedHTMLPolicy {
  createHTML(input: string): unknown;
  createScriptURL(input: string): unknown;
}
interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createHTML(s: string): string; createScriptURL(s: string): string }): TrustedHTMLPolicy;
}

/**
 * Our own Trusted Types policy, handed to DOMPurify so it never creates its default `dompurify` one.
 * It only passes the *unsanitised* string into DOMPurify's inert parser (DOMParser); what reaches
 * the page is the sanitised DOM fragment, never a string.
 */
function createPolicy(): TrustedHTMLPolicy | undefined {
  const tt = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (!tt || typeof tt.createPolicy !== 'function') return undefined;
  try {
    return tt.createPolicy(TRUSTED_TYPES_POLICY_NAME, {
      createHTML: (s: string) => s,
      // DOMPurify requires the hook; we allow no script URLs at all.
      createScriptURL: () => '',
    });
  } catch {
    console.warn(`ic-support-chat: Trusted Types policy "${TRUSTED_TYPES_POLICY_NAME}" could not be created; allow it in your CSP.`);
    return undefined;
  }
}

let purify: ReturnType<typeof DOMPurify> | undefined;

function instance(): ReturnType<typeof DOMPurify> {
  if (purify) return purify;
  purify = DOMPurify(window);
  const policy = createPolicy();
  purify.setConfig({
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    ALLOW_SELF_CLOSE_IN_ATTR: false,
    SAFE_FOR_TEMPLATES: false,
    WHOLE_DOCUMENT: false,
    RETURN_DOM_FRAGMENT: true,
    // `null` stops DOMPurify from creating its own "dompurify" policy when ours is unavailable.
    TRUSTED_TYPES_POLICY: (policy ?? null) as never,
  });
  return purify;
}

/**
 * Sanitises HTML produced by marked into a fragment that still belongs to DOMPurify's inert
 * document: nothing in it loads until the caller has checked its URLs and adopts it.
 */
export function sanitizeToFragment(html: string): DocumentFragment {
  return instance().sanitize(html) as unknown as DocumentFragment;
}
