/**
 * "When can I try again": a `Retry-After` turned into words for the visitor ("in 30 seconds", or a
 * clock time for long waits), and a controller that re-renders its element every second until then,
 * so the message and the disabled Retry button follow the clock.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { formatString, type ChatStrings } from '../i18n/strings.js';

/** Past this, a clock time reads better than "in 3,600 seconds". */
const CLOCK_TIME_AFTER_MS = 60 * 60 * 1000;

/** The rate-limit message for a wait until `retryAt`, in `locale` (the page's when undefined). */
export function rateLimitText(retryAt: number, now: number, s: ChatStrings, locale?: string): string {
  const ms = retryAt - now;
  if (ms <= 0) return s.errorRateLimited;
  if (ms >= CLOCK_TIME_AFTER_MS) {
    const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(new Date(retryAt));
    return formatString(s.errorRateLimitedRetryAt, { time });
  }
  return formatString(s.errorRateLimitedRetryWhen, { when: relativeTime(ms, locale) });
}

/** "in 30 seconds", "in 2 minutes" (rounded up: never earlier than allowed). */
export function relativeTime(ms: number, locale?: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 90) return format.format(seconds, 'second');
  return format.format(Math.ceil(seconds / 60), 'minute');
}

/** Re-renders the host once a second while `until` is in the future. */
export class CountdownController implements ReactiveController {
  #handle: ReturnType<typeof setTimeout> | undefined;
  #until = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Call from render: keeps ticking until `until` (ms since the epoch) has passed. */
  watch(until: number | undefined, now: number = Date.now()): void {
    this.#until = until ?? 0;
    if (this.#handle !== undefined || this.#until <= now) return;
    // Tick on whole seconds of the remaining time, so "in 3 seconds" changes when it should.
    const delay = (this.#until - now) % 1000 || 1000;
    this.#handle = setTimeout(() => {
      this.#handle = undefined;
      this.host.requestUpdate();
    }, delay + 5);
  }

  hostDisconnected(): void {
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  hostConnected(): void {
    if (this.#until > Date.now()) this.host.requestUpdate();
  }
}
