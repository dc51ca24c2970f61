/**
 * A `text/event-stream` parser that follows the WHATWG HTML "event stream interpretation" rules.
 *
 * Hand-written (rather than wrapping a library) so the awkward cases are under our control: a CR
 * and its LF arriving in different chunks, a multi-byte character split across chunks, and one
 * huge event arriving in many small chunks, which must stay linear in the stream's length.
 */

/** One dispatched event. */
export interface SseMessage {
  /** The `event:` field, or `message` when the event had none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last event ID (sticky across events, as in `EventSource`); omitted while empty. */
  id?: string;
}

export interface ParseEventStreamOptions {
  /** Called for each comment line (`: ping`) with the text after the colon (one leading space removed). */
  onComment?(text: string): void;
  /** Called for every chunk of bytes received, before it is parsed (e.g. to reset an idle timer). */
  onChunk?(chunk: Uint8Array): void;
  /** Called with the new reconnection time when a valid `retry:` field arrives. */
  onRetry?(ms: number): void;
  /**
   * Least time (ms) between two reads of the body; default 0 (read as soon as bytes arrive). A
   * fast stream delivers many small chunks, and every chunk costs the reader a task and a round of
   * promise jobs: waiting a little between reads takes whatever arrived meanwhile in one chunk.
   * The first read after a quiet spell is never delayed.
   */
  readInterval?: number;
}

const LF = 10;
const SPACE = 32;

/**
 * The push-based core: feed decoded text, get events through `onEvent`. Exposed so a caller that
 * already has text (not bytes) can reuse it; `parseEventStream` wraps it for byte streams.
 */
export class EventStreamParser {
  // Text of the current line seen so far, in pieces: joined once when the line ends, so a 4 MB
  // line arriving in 1 KB chunks costs O(n), not O(n²).
  #lineParts: string[] = [];
  // The previous chunk ended with CR: a LF at the start of the next chunk belongs to it.
  #skipLeadingLf = false;
  #bomChecked = false;

  #dataLines: string[] = [];
  #hasData = false;
  #eventType = '';
  #lastEventId = '';

  readonly #onEvent: (message: SseMessage) => void;
  readonly #options: ParseEventStreamOptions;

  constructor(onEvent: (message: SseMessage) => void, options: ParseEventStreamOptions = {}) {
    this.#onEvent = onEvent;
    this.#options = options;
  }

  /** Feeds decoded text (any split: mid-line, between CR and LF, …). */
  feed(text: string): void {
    if (text.length === 0) return;
    let start = 0;
    if (!this.#bomChecked) {
      this.#bomChecked = true;
      // Only one leading BOM is stripped; a second one becomes part of the first field name.
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.#skipLeadingLf) {
      this.#skipLeadingLf = false;
      if (text.charCodeAt(start) === LF) start++;
    }
    const length = text.length;
    let pos = start;
    // Next CR / LF positions, each searched again only once passed: linear however lines end.
    let nextCr = -2;
    let nextLf = -2;
    while (pos < length) {
      if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
      if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf('\n', pos);
      const end = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextCr, nextLf);
      if (end === -1) {
        this.#lineParts.push(pos === 0 ? text : text.slice(pos));
        return;
      }
      let line = text.slice(pos, end);
      if (this.#lineParts.length > 0) {
        this.#lineParts.push(line);
        line = this.#lineParts.join('');
        this.#lineParts = [];
      }
      this.#processLine(line);
      if (end === nextCr) {
        if (end + 1 === length) {
          this.#skipLeadingLf = true;
          return;
        }
        pos = text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
      } else {
        pos = end + 1;
      }
    }
  }

  /**
   * The stream ended: whatever is pending (an unterminated line, an event without its blank
   * line) is discarded, as the standard says.
   */
  end(): void {
    this.#lineParts = [];
    this.#dataLines = [];
    this.#hasData = false;
    this.#eventType = '';
  }

  #processLine(line: string): void {
    if (line.length === 0) {
      this.#dispatch();
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) {
      this.#options.onComment?.(line.charCodeAt(1) === SPACE ? line.slice(2) : line.slice(1));
      return;
    }
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      const valueStart = line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
      value = line.slice(valueStart);
    }
    switch (field) {
      case 'event':
        this.#eventType = value;
        break;
      case 'data':
        this.#dataLines.push(value);
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.#options.onRetry?.(Number(value));
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
  }

  #dispatch(): void {
    // No `data:` line at all → nothing to dispatch (a `data:` with an empty value does dispatch "").
    if (!this.#hasData) {
      this.#eventType = '';
      return;
    }
    const message: SseMessage = {
      event: this.#eventType === '' ? 'message' : this.#eventType,
      data: this.#dataLines.length === 1 ? (this.#dataLines[0] as string) : this.#dataLines.join('\n'),
    };
    if (this.#lastEventId !== '') message.id = this.#lastEventId;
    this.#dataLines = [];
    this.#hasData = false;
    this.#eventType = '';
    this.#onEvent(message);
  }
}

/** Loses a race against a read that is fulfilled already, i.e. served from the stream's queue. */
const NOT_QUEUED: unique symbol = Symbol('not queued');
const notQueued = Promise.resolve(NOT_QUEUED);

/**
 * Parses a byte stream as `text/event-stream` and yields its events.
 *
 * UTF-8 is decoded in streaming mode, so a character split across chunks is kept whole. When the
 * consumer stops early (`break`, `return()`), the body is cancelled and its lock released.
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>, options: ParseEventStreamOptions = {}): AsyncGenerator<SseMessage, void, undefined> {
  for await (const batch of parseEventBatches(body, options)) yield* batch;
}

/**
 * Like `parseEventStream`, but yields the events of each chunk read together, as one array (never
 * empty): a consumer that handles a chunk's events at once (merging text deltas, say) pays the
 * async iteration once per chunk instead of once per event.
 */
export async function* parseEventBatches(body: ReadableStream<Uint8Array>, options: ParseEventStreamOptions = {}): AsyncGenerator<SseMessage[], void, undefined> {
  const reader = body.getReader();
  // ignoreBOM: the parser strips exactly one leading BOM itself, even when it is split across chunks.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let queue: SseMessage[] = [];
  const parser = new EventStreamParser((message) => queue.push(message), options);
  const interval = options.readInterval ?? 0;
  let lastRead = -Infinity;
  let finished = false;
  /** A read that found nothing queued yet; the next step awaits it instead of reading again. */
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  try {
    for (;;) {
      if (interval > 0) {
        const wait = lastRead + interval - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const read = pending ?? reader.read();
      pending = undefined;
      let { done, value } = await read;
      if (done) break;
      // The next read waits `interval` from now; a chunk that ends a quiet spell was read at once.
      lastRead = performance.now();
      for (;;) {
        options.onChunk?.(value!);
        parser.feed(decoder.decode(value, { stream: true }));
        if (interval <= 0) break;
        // Chromium's fetch body queues every network chunk on its own (one per event when the
        // server flushes each): take all that are queued now, or reading falls behind the stream.
        const next = reader.read();
        const ready = await Promise.race([next, notQueued]);
        if (ready === NOT_QUEUED) {
          pending = next;
          pending.catch(() => undefined); // a failure surfaces when it is awaited next step
          break;
        }
        if (ready.done) {
          done = true;
          break;
        }
        value = ready.value;
      }
      if (done) break;
      if (queue.length > 0) {
        const ready = queue;
        queue = [];
        yield ready;
      }
    }
    finished = true;
    parser.feed(decoder.decode());
    if (queue.length > 0) yield queue;
    parser.end();
  } finally {
    if (!finished) {
      // Stopped early (or the read failed): tell the producer we are gone.
      await reader.cancel().catch(() => undefined);
    }
    reader.releaseLock();
  }
}
