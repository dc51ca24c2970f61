import { parseEventStream, type SseMessage } from '../../protocol/sse-parser.js';
import type {
  ApprovalDecisionParams,
  CreateAgentParams,
  CreateRunParams,
  ListPage,
  PublishedVersion,
  UpdateSmithParams,
  UpstreamAgent,
  UpstreamFile,
  UpstreamRun,
  UpstreamSmith,
  UpsertSmithParams,
} from './upstream-types.js';
import { jsonRequestBody } from './json-request-body.js';
import { retryDelay, retryPolicy, sleep, type RetryOptions } from './retry-policy.js';
import { IngramApiError, TimeoutError, decided, apiErrorFrom, isTransient } from './api-error.js';

export { DEFAULT_RETRY, type RetryOptions } from './retry-policy.js';
export { DEFAULT_RETRY_AFTER_SECONDS, IngramApiError } from './api-error.js';

export const DEFAULT_BASE_URL = 'https://api.cloud.ingram.tech';
export const DEFAULT_API_VERSION = '2026-05-01';
/**
 * How long a started upstream stream may send nothing at all (not even a comment) before it is
 * given up, in ms. Below the widget's own 45 s idle timeout, so the visitor gets the server's
 * `upstream_timeout` (and the upstream request is closed) before the widget gives up by itself.
 */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 30_000;

export interface IngramClientOptions {
  /** The tenant-admin token. Server-side only: it never reaches a browser. */
  token: string;
  /** Default `https://api.cloud.ingram.tech`. */
  baseUrl?: string;
  /** Sent as `IC-Api-Version`; default `2026-05-01`. */
  apiVersion?: string;
  /** A `fetch` to use instead of the global one (e.g. the emulator's in-process fetch). */
  fetch?: typeof globalThis.fetch;
  /**
   * How long to wait for the API's response headers (for JSON calls: the whole body), in ms.
   * Default 30 000. A stream that has started is not cut short by it.
   */
  timeoutMs?: number;
  /**
   * Retries of idempotent calls (smith upsert, GET, PATCH, DELETE) on 429, 5xx and network
   * errors, with jittered exponential backoff; `false` turns them off. Run POSTs (a new run, an
   * approval decision, a cancel) are never retried. Defaults: see `DEFAULT_RETRY`.
   */
  retry?: RetryOptions | false;
  /**
   * A started run stream that sends no bytes for this long (ms) is closed and ends in `run.failed`
   * with `upstream_timeout`. Default 30 000 (`DEFAULT_STREAM_IDLE_TIMEOUT_MS`); 0 turns it off.
   */
  streamIdleTimeoutMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface ListParams {
  external_id_prefix?: string;
  limit?: number;
  after?: string;
}

/** A stored file's bytes as `GET /v1/files/{id}/content` returns them. */
export interface FileContent {
  body: ReadableStream<Uint8Array>;
  media_type: string;
  size: number | undefined;
}

/**
 * A typed client for the Ingram Cloud API. Every call sends `Authorization: Bearer`,
 * `IC-Api-Version` and JSON; every failure becomes an `IngramApiError` mapped onto a protocol
 * error code (401/403 → upstream_error, 404 → not_found, 429 → rate_limited with Retry-After,
 * 503 → unavailable (with its Retry-After), other 5xx → upstream_error, timeouts and network
 * failures → unavailable). Messages are this client's own words, never the API's.
 */
export class IngramClient {
  readonly baseUrl: string;
  readonly apiVersion: string;
  readonly timeoutMs: number;
  /** See `IngramClientOptions.streamIdleTimeoutMs` (0: off). */
  readonly streamIdleTimeoutMs: number;
  readonly #retry: Required<RetryOptions>;
  readonly #token: string;
  readonly #fetch: typeof globalThis.fetch;

  constructor(options: IngramClientOptions) {
    if (typeof options.token !== 'string' || options.token === '') {
      throw new TypeError('IngramClient needs a token (IC_TOKEN).');
    }
    this.#token = options.token;
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const idle = options.streamIdleTimeoutMs;
    this.streamIdleTimeoutMs = typeof idle === 'number' && Number.isFinite(idle) && idle >= 0 ? idle : DEFAULT_STREAM_IDLE_TIMEOUT_MS;
    this.#retry = retryPolicy(options.retry);
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  // --- agents -------------------------------------------------------------------------------

  createAgent(params: CreateAgentParams, options?: CallOptions): Promise<UpstreamAgent> {
    return this.#json('POST', '/v1/agents', params, options);
  }

  /** Publishes a new version; the first one goes live automatically. */
  publishAgentVersion(agentId: string, params: { note?: string } = {}, options?: CallOptions): Promise<PublishedVersion> {
    return this.#json('POST', `/v1/agents/${seg(agentId)}/versions`, params, options);
  }

  getAgent(agentId: string, options?: CallOptions): Promise<UpstreamAgent> {
    return this.#retrying(options, () => this.#json('GET', `/v1/agents/${seg(agentId)}`, undefined, options));
  }

  // --- smiths -------------------------------------------------------------------------------

  /** `POST /v1/smiths`: creates the smith for `external_id`, or updates and returns the existing one. */
  upsertSmith(params: UpsertSmithParams, options?: CallOptions): Promise<UpstreamSmith> {
    // Idempotent: a repeat upserts the same external_id to the same fields.
    return this.#retrying(options, () => this.#json('POST', '/v1/smiths', params, options));
  }

  /** `PATCH /v1/smiths/{id}` (`external_id` is immutable). */
  updateSmith(smithId: string, params: UpdateSmithParams, options?: CallOptions): Promise<UpstreamSmith> {
    return this.#retrying(options, () => this.#json('PATCH', `/v1/smiths/${seg(smithId)}`, params, options));
  }

  getSmith(smithId: string, options?: CallOptions): Promise<UpstreamSmith> {
    return this.#retrying(options, () => this.#json('GET', `/v1/smiths/${seg(smithId)}`, undefined, options));
  }

  listSmiths(params: ListParams = {}, options?: CallOptions): Promise<ListPage<UpstreamSmith>> {
    return this.#retrying(options, () => this.#json('GET', `/v1/smiths${query(params)}`, undefined, options));
  }

  /** `DELETE /v1/smiths/{id}`: soft-archives the smith and frees its `external_id`. */
  archiveSmith(smithId: string, options?: CallOptions): Promise<UpstreamSmith> {
    return this.#retrying(options, () => this.#json('DELETE', `/v1/smiths/${seg(smithId)}`, undefined, options));
  }

  // --- runs ---------------------------------------------------------------------------------

  /**
   * `POST /v1/smiths/{id}/runs`. With `stream:true` the reply's SSE events, parsed one by one as
   * they arrive (nothing buffered); otherwise the finished run as JSON. Aborting `signal` (or
   * leaving the loop early) closes the upstream connection.
   */
  createRun(smithId: string, params: CreateRunParams & { stream: true }, options?: CallOptions): Promise<AsyncGenerator<SseMessage, void, undefined>>;
  createRun(smithId: string, params: CreateRunParams & { stream?: false }, options?: CallOptions): Promise<UpstreamRun>;
  createRun(smithId: string, params: CreateRunParams, options?: CallOptions): Promise<AsyncGenerator<SseMessage, void, undefined> | UpstreamRun> {
    const path = `/v1/smiths/${seg(smithId)}/runs`;
    return params.stream ? this.#stream(path, params, options) : this.#json('POST', path, params, options);
  }

  /**
   * `POST /v1/smiths/{id}/runs/{run_id}/approvals/{approval_id}` with the visitor's decision; the
   * continuation of the run, streamed or as JSON. (The public guide leaves this envelope to its
   * "Runs & streaming" page; this is the shape the emulator implements — see docs/backends.md.)
   */
  decideApproval(
    smithId: string,
    runId: string,
    approvalId: string,
    params: ApprovalDecisionParams & { stream: true },
    options?: CallOptions,
  ): Promise<AsyncGenerator<SseMessage, void, undefined>>;
  decideApproval(smithId: string, runId: string, approvalId: string, params: ApprovalDecisionParams & { stream?: false }, options?: CallOptions): Promise<UpstreamRun>;
  decideApproval(
    smithId: string,
    runId: string,
    approvalId: string,
    params: ApprovalDecisionParams,
    options?: CallOptions,
  ): Promise<AsyncGenerator<SseMessage, void, undefined> | UpstreamRun> {
    const path = `/v1/smiths/${seg(smithId)}/runs/${seg(runId)}/approvals/${seg(approvalId)}`;
    return params.stream ? decided(this.#stream(path, params, options)) : decided(this.#json<UpstreamRun>('POST', path, params, options));
  }

  /**
   * The `text/event-stream` body of a streamed run (`createRun` with `stream:true`) or approval
   * continuation (`decideApproval`), unparsed, for a caller that parses it itself (the backend's
   * hot path does it in one loop). Same errors as `createRun`; a non-SSE reply is an upstream_error.
   */
  openEventStream(
    call:
      { smithId: string; run: CreateRunParams & { stream: true } } | { smithId: string; runId: string; approvalId: string; decision: ApprovalDecisionParams & { stream: true } },
    options?: CallOptions,
  ): Promise<ReadableStream<Uint8Array>> {
    if ('run' in call) return this.#eventStreamBody(`/v1/smiths/${seg(call.smithId)}/runs`, call.run, options);
    return decided(this.#eventStreamBody(`/v1/smiths/${seg(call.smithId)}/runs/${seg(call.runId)}/approvals/${seg(call.approvalId)}`, call.decision, options));
  }

  /**
   * Best-effort cancel, if the API has the endpoint (`POST /v1/smiths/{id}/runs/{run_id}/cancel`).
   * Resolves `false` when the API answers 405 (no such endpoint); a run this smith does not have
   * is a `not_found` error (the caller decides whether that matters).
   */
  async cancelRun(smithId: string, runId: string, options?: CallOptions): Promise<boolean> {
    try {
      await this.#json('POST', `/v1/smiths/${seg(smithId)}/runs/${seg(runId)}/cancel`, {}, options);
      return true;
    } catch (err) {
      if (err instanceof IngramApiError && err.upstreamStatus === 405) return false;
      throw err;
    }
  }

  listRuns(params: ListParams = {}, options?: CallOptions): Promise<ListPage<UpstreamRun>> {
    return this.#retrying(options, () => this.#json('GET', `/v1/runs${query(params)}`, undefined, options));
  }

  // --- files --------------------------------------------------------------------------------

  /** `GET /v1/files/{id}`: metadata, including the smith the file belongs to. */
  getFile(fileId: string, options?: CallOptions): Promise<UpstreamFile> {
    return this.#retrying(options, () => this.#json('GET', `/v1/files/${seg(fileId)}`, undefined, options));
  }

  /** `GET /v1/files/{id}/content`: the original bytes, streamed. */
  async getFileContent(fileId: string, options?: CallOptions): Promise<FileContent> {
    // Retried until the headers arrive; a body cut short after that is the reader's to handle.
    const { response, done } = await this.#retrying(options, () => this.#send('GET', `/v1/files/${seg(fileId)}/content`, undefined, options, 'headers'));
    done();
    const length = response.headers.get('content-length');
    return {
      body: response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
      media_type: response.headers.get('content-type') ?? 'application/octet-stream',
      size: length === null ? undefined : Number(length),
    };
  }

  // --- plumbing -----------------------------------------------------------------------------

  /**
   * Runs an idempotent `call`, again after a jittered exponential backoff while it fails with a
   * transient error (429, 500/502/503/504, network), within the retry policy's attempts and time.
   * A `Retry-After` is waited for in full, or not at all when longer than the policy allows. The
   * caller's signal ends the wait at once.
   */
  async #retrying<T>(options: CallOptions | undefined, call: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (!isTransient(err) || options?.signal?.aborted) throw err;
        const delay = retryDelay(this.#retry, attempt, Date.now() - started, err.upstreamRetryAfterMs);
        if (delay === undefined) throw err;
        await sleep(delay, options?.signal);
      }
    }
  }

  async #json<T>(method: string, path: string, body: unknown, options: CallOptions | undefined): Promise<T> {
    const { response, done } = await this.#send(method, path, body, options, 'body');
    try {
      return (await response.json()) as T;
    } catch (err) {
      throw this.#transportError(err, options?.signal);
    } finally {
      done();
    }
  }

  async #stream(path: string, body: unknown, options: CallOptions | undefined): Promise<AsyncGenerator<SseMessage, void, undefined>> {
    return parseEventStream(await this.#eventStreamBody(path, body, options));
  }

  async #eventStreamBody(path: string, body: unknown, options: CallOptions | undefined): Promise<ReadableStream<Uint8Array>> {
    const { response, done } = await this.#send('POST', path, body, options, 'headers');
    done();
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'text/event-stream' || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new IngramApiError('upstream_error', 'The support service sent an unexpected reply.', {
        upstreamStatus: response.status,
        upstreamMessage: `expected text/event-stream, got "${type}"`,
      });
    }
    return response.body;
  }

  /**
   * Sends one request. `timeout` covers the response headers, or the whole body for JSON calls:
   * call `done()` when finished with it. Non-2xx replies become `IngramApiError`s.
   */
  async #send(method: string, path: string, body: unknown, options: CallOptions | undefined, phase: 'headers' | 'body'): Promise<{ response: Response; done: () => void }> {
    const outer = options?.signal;
    outer?.throwIfAborted();
    const controller = new AbortController();
    const onAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new TimeoutError()), this.timeoutMs);
    // Once the caller has what it needs, only the caller's own signal may end the request.
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
    };
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.#token}`,
      'IC-Api-Version': this.apiVersion,
      Accept: 'application/json, text/event-stream',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : await jsonRequestBody(body),
        signal: controller.signal,
      });
    } catch (err) {
      done();
      outer?.removeEventListener('abort', onAbort);
      throw this.#transportError(controller.signal.reason ?? err, outer);
    }
    if (!response.ok) {
      done();
      outer?.removeEventListener('abort', onAbort);
      throw await apiErrorFrom(response, (text) => this.redact(text));
    }
    return {
      response,
      done: () => {
        done();
        // For a stream the link stays, so the caller's abort still ends the body being read.
        if (phase === 'body') outer?.removeEventListener('abort', onAbort);
      },
    };
  }

  #transportError(err: unknown, outer: AbortSignal | undefined): unknown {
    if (outer?.aborted) return outer.reason ?? err;
    if (err instanceof IngramApiError) return err;
    if (err instanceof TimeoutError) {
      return new IngramApiError('unavailable', 'The support service did not answer in time. Please try again.', {
        upstreamMessage: `no answer within ${this.timeoutMs} ms`,
      });
    }
    return new IngramApiError('unavailable', 'The support service cannot be reached right now. Please try again.', {
      upstreamMessage: this.redact(err instanceof Error ? err.message : String(err)),
    });
  }

  /** `text` with every occurrence of the token replaced: nothing the API echoes can leak it. */
  redact(text: string): string {
    return text.split(this.#token).join('[redacted]');
  }

  /** Never print the token, even through `console.log(client)` or JSON. */
  toJSON(): Record<string, string> {
    return { baseUrl: this.baseUrl, apiVersion: this.apiVersion };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `IngramClient { baseUrl: '${this.baseUrl}', apiVersion: '${this.apiVersion}' }`;
  }
}

function seg(id: string): string {
  return encodeURIComponent(id);
}

function query(params: ListParams): string {
  const q = new URLSearchParams();
  if (params.external_id_prefix !== undefined) q.set('external_id_prefix', params.external_id_prefix);
  if (params.limit !== undefined) q.set('limit', String(params.limit));
  if (params.after !== undefined) q.set('after', params.after);
  const s = q.toString();
  return s ? `?${s}` : '';
}
