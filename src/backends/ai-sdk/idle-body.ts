/**
 * A response body that fails when its source sends nothing for `ms`: a stalled upstream must end
 * the turn (and its connection) instead of holding the visitor, and the server, forever.
 */

/** The error a stalled body fails with (the provider reports it as an `upstream_timeout` run error). */
export class StreamIdleTimeoutError extends Error {
  readonly code = 'upstream_timeout';
  constructor(readonly ms: number) {
    super(`The Ingram stream sent nothing for ${ms} ms.`);
    this.name = 'StreamIdleTimeoutError';
  }
}

/**
 * `body`, failing with `StreamIdleTimeoutError` after `ms` without a chunk while a read waits (a
 * slow consumer is not the upstream's fault). On the timeout the source is cancelled and
 * `onTimeout` runs (abort the request). `ms` 0 returns `body` unchanged.
 */
export function withIdleTimeout(body: ReadableStream<Uint8Array>, ms: number, onTimeout: () => void): ReadableStream<Uint8Array> {
  if (!(ms > 0)) return body;
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StreamIdleTimeoutError(ms)), ms);
        });
        try {
          const { done, value } = await Promise.race([reader.read(), timeout]);
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (err) {
          if (err instanceof StreamIdleTimeoutError) {
            reader.cancel(err).catch(() => undefined);
            onTimeout();
          }
          controller.error(err);
        } finally {
          clearTimeout(timer);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
