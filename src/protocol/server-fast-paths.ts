// Two fast paths between this package's own server parts, declared once here so both ends are
// typed against one contract: the layers stay apart (the Node adapter does not import the core,
// the Fetch-only backends do not import Node code), and a change on one side is a compile error
// on the other instead of a silently slower path. Each is optional: any other Response or body is
// read the standard way. Server-side only; nothing in the browser bundle imports this module.

/**
 * An event-stream `Response` made by `createSupportHandler` offers its SSE frames as strings under
 * this key, for an adapter that writes strings to a socket (`ic-support-chat/node`): it skips the
 * web stream, the `TextEncoder` and a promise or two per event — the proxy's hot path.
 */
export const EVENT_FRAMES: unique symbol = Symbol.for('ic-support-chat.event-frames');

/** Receives SSE frames (events and `: ping` comments) as they are produced. */
export interface FrameSink {
  /** `false`: the consumer is full; `pump` waits for `drain()` before pulling the next event. */
  write(frame: string): boolean | void;
  /** The stream ended without a `next()` to report it (the request was aborted). */
  close(): void;
  /** Resolves once the consumer takes frames again (only called after `write` returned false). */
  drain?(): Promise<void>;
}

/**
 * A run's SSE frames, for one consumer: either `response.body` or whoever `claim`s them first.
 * `next()` is never called again before its promise settles.
 */
export interface EventFrames {
  /** Takes the frames over (writing the first one now), or `false` if the body stream has them. */
  claim(sink: FrameSink): boolean;
  /** Writes the next event's frame (a backend error becomes `run.failed`); `false` once the stream has ended. */
  next(): Promise<boolean>;
  /**
   * Writes every event's frame as it comes (after `claim`), waiting on `sink.drain()` when a write
   * returns false; resolves when the stream has ended. One await per event instead of `next()`'s two.
   */
  pump(): Promise<void>;
  /** The client went away: stop this stream (a recorded run goes on for a resume; see `features.resume`). */
  cancel(): void;
}

/** Attaches `frames` to `response` (the core's side). */
export function offerEventFrames(response: Response, frames: EventFrames): void {
  Object.defineProperty(response, EVENT_FRAMES, { value: frames });
}

/** The frames a response offers, if it was made by the core and nobody has read its body (the adapter's side). */
export function eventFramesOf(response: Response): EventFrames | undefined {
  const frames = (response as { [EVENT_FRAMES]?: EventFrames })[EVENT_FRAMES];
  if (!frames || response.bodyUsed || response.body?.locked) return undefined;
  return frames;
}

/**
 * A response body made by `createNodeFetch` (`ic-support-chat/node`) offers the socket's chunks
 * under this key, without the web stream: the Ingram backend reads upstream runs through it.
 */
export const BODY_CHUNKS: unique symbol = Symbol.for('ic-support-chat.body-chunks');

/** The subset of `ReadableStreamDefaultReader<Uint8Array>` a fast reader uses. */
export interface BodyChunkReader {
  // `ReadableStreamReadResult` spelled out: that name is global only with the DOM lib.
  read(): Promise<{ done: false; value: Uint8Array } | { done: true; value?: Uint8Array | undefined }>;
  /** Stops reading and destroys the connection. */
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
  /**
   * Hands every later chunk to `sink` as it arrives (those already queued first, on a microtask)
   * instead of a `read()` promise each; `false` while a `read()` is pending. After `end` or `error`
   * nothing more is called; `cancel()` stops it.
   */
  push?(sink: BodyChunkSink): boolean;
}

/** Receives pushed body chunks (see `BodyChunkReader.push`). */
export interface BodyChunkSink {
  chunk(value: Uint8Array): void;
  end(): void;
  error(err: unknown): void;
}

/** What `body[BODY_CHUNKS]` holds. */
export interface BodyChunkSource {
  /** The body's chunks, for one reader; `undefined` if `response.body` is already being read. */
  claim(): BodyChunkReader | undefined;
}

/** Attaches `source` to `body` (the Node fetch's side). */
export function offerBodyChunks(body: ReadableStream<Uint8Array>, source: BodyChunkSource): void {
  Object.defineProperty(body, BODY_CHUNKS, { value: source });
}

/** A reader of `body`: its chunks straight from the socket when it offers them, else its own reader. */
export function bodyChunkReader(body: ReadableStream<Uint8Array>): BodyChunkReader {
  const source = (body as { [BODY_CHUNKS]?: BodyChunkSource })[BODY_CHUNKS];
  return (typeof source?.claim === 'function' && source.claim()) || body.getReader();
}
