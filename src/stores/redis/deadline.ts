// How long the stores wait for Redis. node-redis (v5) bounds only a command's wait to be *sent*:
// once written, a command waits for its reply for as long as the server takes, so a Redis that
// stops answering (a frozen host, a failover, a network partition that keeps the socket open) held
// every visitor's request open with it. Each call here gets a deadline, after which the visitor is
// told `503 unavailable` (with Retry-After) and the operator sees why in `onError`.
import { SupportError } from '../../backends/core/support-error.js';
import type { RedisCommandClient, RedisMessageListener, RedisScriptArgs, RedisSubscriber } from './client.js';

/** Default `commandTimeoutMs`: a healthy Redis answers in milliseconds; five seconds is an outage. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

/** Redis did not answer in time: a `503 unavailable` to the visitor; its `cause` says which call, for the logs. */
export class RedisUnavailableError extends SupportError {
  constructor(what: string, ms: number) {
    super('unavailable', 'The service is not answering just now. Please try again in a moment.', {
      retryAfterSeconds: 5,
      cause: new Error(`Redis did not answer ${what} within ${ms} ms (commandTimeoutMs).`),
    });
    this.name = 'RedisUnavailableError';
  }
}

/** `promise`, or a RedisUnavailableError once `ms` have passed. The call itself goes on (Redis may still run it). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisUnavailableError(what, ms)), ms);
    (timer as { unref?: () => void }).unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** `client` with a deadline on every script call. */
export function clientWithDeadline(client: RedisCommandClient, ms: number): RedisCommandClient {
  const timed: RedisCommandClient = {
    eval: (script: string, options: RedisScriptArgs) => within(client.eval(script, options), ms, 'EVAL'),
  };
  if (client.evalSha) {
    const evalSha = client.evalSha.bind(client);
    timed.evalSha = (sha1: string, options: RedisScriptArgs) => within(evalSha(sha1, options), ms, 'EVALSHA');
  }
  return timed;
}

/**
 * `subscriber` with a deadline on (un)subscribing. A subscription that answers after its deadline
 * is undone then: the caller was told it failed and will never unsubscribe that listener itself.
 */
export function subscriberWithDeadline(subscriber: RedisSubscriber, ms: number): RedisSubscriber {
  return {
    subscribe: (channel: string, listener: RedisMessageListener) => {
      let late = false;
      const subscribing = subscriber.subscribe(channel, listener);
      subscribing.then(
        () => {
          if (late) subscriber.unsubscribe(channel, listener).catch(() => {});
        },
        () => {},
      );
      return within(subscribing, ms, 'SUBSCRIBE').catch((err: unknown) => {
        if (err instanceof RedisUnavailableError) late = true;
        throw err;
      });
    },
    unsubscribe: (channel: string, listener?: RedisMessageListener) => within(subscriber.unsubscribe(channel, listener), ms, 'UNSUBSCRIBE'),
  };
}
