import { formatString, type ChatStrings } from '../i18n/strings.js';
import type { ChatError } from '../types.js';
import { rateLimitText } from './retry-timing.js';

/** The visitor-facing text for an error: friendly by cause, never a raw server dump. */
export function errorText(error: ChatError, s: ChatStrings, now: number = Date.now(), locale?: string): string {
  switch (error.code) {
    case 'network_error':
      return s.errorNetwork;
    case 'interrupted':
      return s.errorInterrupted;
    case 'timeout':
    case 'upstream_timeout':
    case 'run_timeout':
      return s.errorTimeout;
    case 'offline':
      return s.errorOffline;
    case 'rate_limited':
      if (error.retryAt !== undefined) return rateLimitText(error.retryAt, now, s, locale);
      return error.retryAfterMs !== undefined && error.retryAfterMs > 0
        ? formatString(s.errorRateLimitedRetryIn, { seconds: Math.ceil(error.retryAfterMs / 1000) })
        : s.errorRateLimited;
    case 'unavailable':
    case 'upstream_error':
      return s.errorUnavailable;
    case 'payload_too_large':
      return s.errorTooLarge;
    case 'forbidden':
      return s.errorForbidden;
    default:
      return s.errorGeneric;
  }
}
