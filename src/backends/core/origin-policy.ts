import { trimEndWhile } from './trim-chars.js';

/** Origins allowed to call the handler cross-origin (with credentials). Same-origin is always allowed. */
export type AllowedOrigins = string[] | ((origin: string) => boolean);

export type OriginDecision =
  /** No Origin header, or the page's own origin: no CORS headers needed. */
  | { kind: 'same-origin' }
  /** An allowed cross-origin caller: answer with CORS headers for `origin`. */
  | { kind: 'cors'; origin: string }
  | { kind: 'forbidden'; origin: string };

function normalise(origin: string): string {
  return trimEndWhile(origin.trim().toLowerCase(), (c) => c === '/');
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * Classifies the caller by its `Origin`. Same-origin is judged by host (name and port), not scheme,
 * so a TLS-terminating proxy in front of a plain-http server does not lock the site out of itself;
 * `Sec-Fetch-Site: same-origin` (a header pages cannot forge) also counts.
 */
export function checkOrigin(request: Request, url: URL, allowed: AllowedOrigins | undefined): OriginDecision {
  const origin = request.headers.get('origin');
  if (origin === null) return { kind: 'same-origin' };
  if (request.headers.get('sec-fetch-site') === 'same-origin') return { kind: 'same-origin' };
  if (origin !== 'null' && hostOf(origin) === url.host) return { kind: 'same-origin' };
  const ok = typeof allowed === 'function' ? allowed(origin) : Array.isArray(allowed) && allowed.some((a) => normalise(a) === normalise(origin));
  return ok ? { kind: 'cors', origin } : { kind: 'forbidden', origin };
}

/** Headers for an actual (non-preflight) cross-origin response. */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': 'Retry-After, Content-Disposition',
    Vary: 'Origin',
  };
}

/** Headers for a preflight (`OPTIONS`) answer. */
export function preflightHeaders(origin: string, request: Request, allow: string): Record<string, string> {
  const requested = request.headers.get('access-control-request-headers');
  return {
    ...corsHeaders(origin),
    'Access-Control-Allow-Methods': allow,
    'Access-Control-Allow-Headers': requested && /^[\w\-, ]+$/.test(requested) ? requested : 'Content-Type',
    'Access-Control-Max-Age': '600',
  };
}
