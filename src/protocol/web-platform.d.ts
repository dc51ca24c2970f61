// The web-platform globals src/protocol uses, typed by shape, for its own type-check only
// (tsconfig.protocol.json: lib ES2023, no DOM, no Node types). The protocol runs in browsers, Node,
// Deno, Bun and edge workers alike, so it may rely on what all of them share (Fetch, Streams,
// TextDecoder, timers) and nothing else: a name missing here is a name some runtime may lack.
// Other projects (and the build, tsconfig.json) exclude this file and get the real declarations from
// the DOM lib or @types/node, which these shapes are a subset of.

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare var AbortController: { prototype: AbortController; new (): AbortController };

declare var DOMException: { prototype: Error; new (message?: string, name?: string): Error };

type ReadableStreamReadResult<T> = { done: false; value: T } | { done: true; value?: undefined };

interface ReadableStreamDefaultReader<R> {
  read(): Promise<ReadableStreamReadResult<R>>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

interface ReadableStream<R = unknown> {
  readonly locked: boolean;
  getReader(): ReadableStreamDefaultReader<R>;
  cancel(reason?: unknown): Promise<void>;
}

interface TextDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare var TextDecoder: { prototype: TextDecoder; new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder };

interface Headers {
  get(name: string): string | null;
  set(name: string, value: string): void;
}
declare var Headers: { prototype: Headers; new (init?: Headers | Record<string, string> | [string, string][]): Headers };

interface RequestInit {
  method?: string;
  headers?: Headers | Record<string, string> | [string, string][];
  body?: string;
  credentials?: 'omit' | 'same-origin' | 'include';
  signal?: AbortSignal;
}

interface Response {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

declare function fetch(input: string, init?: RequestInit): Promise<Response>;

declare var performance: { now(): number };

/** A browser's timer id is a number, Node's an object with `unref()`. */
type TimerHandle = number | { unref?(): void };
declare function setTimeout(callback: (...args: unknown[]) => void, ms?: number): TimerHandle;
declare function clearTimeout(id: TimerHandle | undefined): void;

interface URL {
  readonly href: string;
  readonly protocol: string;
}
declare var URL: { prototype: URL; new (url: string, base?: string): URL };
