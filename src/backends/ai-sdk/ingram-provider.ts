/**
 * An AI SDK provider for the Ingram Cloud API: `createIngram({token}).smith('smt_…')` is a
 * LanguageModelV3 that runs a turn on that smith, so `streamText`/`generateText` (and `useChat` on
 * the page) work against Ingram with the token kept on the server.
 *
 * The API keeps each thread's history itself, so only the newest turn is sent (the last user
 * message, or an approval decision); pass the conversation's thread with
 * `providerOptions: { ingram: { threadId } }`. Tools run on the Ingram side and come back as
 * provider-executed tool calls; a tool that needs the visitor's approval comes back as a
 * `tool-approval-request`, and a `tool-approval-response` in the next call continues that run.
 */
import {
  APICallError,
  NoSuchModelError,
  type JSONValue,
  type LanguageModelV3,
  type LanguageModelV3CallOptions,
  type LanguageModelV3Content,
  type LanguageModelV3GenerateResult,
  type LanguageModelV3StreamPart,
  type LanguageModelV3StreamResult,
  type ProviderV3,
  type SharedV3Warning,
} from '@ai-sdk/provider';
import { parseEventStream } from '../../protocol/sse-parser.js';
import type { UpstreamRun } from '../ingram/upstream-types.js';
import { encodeApprovalId, planIngramCall, type IngramCall } from './ingram-prompt.js';
import { IngramRunError, IngramStreamMapper, finishReasonOf, usageOf } from './ingram-stream-parts.js';
import { StreamIdleTimeoutError, withIdleTimeout } from './idle-body.js';

export { IngramRunError } from './ingram-stream-parts.js';

export const INGRAM_DEFAULT_BASE_URL = 'https://api.cloud.ingram.tech/v1';
export const INGRAM_API_VERSION = '2026-05-01';
/** Default `streamIdleTimeoutMs`: a run stream silent this long is closed (below the widget's 45 s). */
export const INGRAM_STREAM_IDLE_TIMEOUT_MS = 30_000;

/**
 * Network error codes that prove the request never left (nothing was sent, so nothing can have
 * been run): only these make a run POST retryable by the AI SDK.
 */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

function neverSent(cause: unknown): boolean {
  for (let err = cause, depth = 0; err && typeof err === 'object' && depth < 4; err = (err as { cause?: unknown }).cause, depth++) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT.has(code)) return true;
  }
  return false;
}

export interface IngramProviderSettings {
  /** The tenant-admin token. Server-side only: never ship it to a browser. */
  token: string;
  /** The API's base URL including the version path, AI SDK style. Default `https://api.cloud.ingram.tech/v1`. */
  baseURL?: string;
  /** `IC-Api-Version`. Default `2026-05-01`. */
  apiVersion?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** A fetch implementation (tests, proxies, instrumentation). Default: the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * A run stream that sends no bytes for this long (ms) is aborted and the turn ends with an
   * `IngramRunError` coded `upstream_timeout`. Default 30 000; 0 turns it off.
   */
  streamIdleTimeoutMs?: number;
}

/** `providerOptions.ingram` */
export interface IngramCallOptions {
  /** The conversation's thread: the API keeps its history. Omitted → the API starts a new thread. */
  threadId?: string;
}

export interface IngramProvider extends ProviderV3 {
  /** The model that runs turns on smith `smithId` (`smt_…`). */
  (smithId: string): LanguageModelV3;
  /** The model that runs turns on smith `smithId` (`smt_…`). */
  smith(smithId: string): LanguageModelV3;
  languageModel(smithId: string): LanguageModelV3;
}

interface ModelConfig {
  baseURL: string;
  headers: () => Record<string, string>;
  fetch: typeof fetch;
  streamIdleTimeoutMs: number;
  /** Removes the token from any text the API sends back (it may echo it in a tool's output). */
  redact: (text: string) => string;
}

/** Creates the Ingram provider. */
export function createIngram(settings: IngramProviderSettings): IngramProvider {
  if (!settings?.token) throw new TypeError('createIngram needs a token.');
  const config: ModelConfig = {
    baseURL: (settings.baseURL ?? INGRAM_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    headers: () => ({
      ...settings.headers,
      Authorization: `Bearer ${settings.token}`,
      'IC-Api-Version': settings.apiVersion ?? INGRAM_API_VERSION,
    }),
    fetch: settings.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    redact: (text) => text.split(settings.token).join('[redacted]'),
    streamIdleTimeoutMs: typeof settings.streamIdleTimeoutMs === 'number' && settings.streamIdleTimeoutMs >= 0 ? settings.streamIdleTimeoutMs : INGRAM_STREAM_IDLE_TIMEOUT_MS,
  };
  const smith = (smithId: string) => new IngramSmithModel(smithId, config);
  const noSuch = (modelType: 'embeddingModel' | 'imageModel') => (modelId: string) => {
    throw new NoSuchModelError({ modelId, modelType });
  };
  return Object.assign(smith, {
    specificationVersion: 'v3' as const,
    smith,
    languageModel: smith,
    embeddingModel: noSuch('embeddingModel'),
    imageModel: noSuch('imageModel'),
  });
}

function threadIdOf(options: LanguageModelV3CallOptions): string | undefined {
  const value = options.providerOptions?.['ingram']?.['threadId'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function headersOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((value, key) => (out[key] = value));
  return out;
}

/** A smith as an AI SDK language model. */
export class IngramSmithModel implements LanguageModelV3 {
  readonly specificationVersion = 'v3' as const;
  readonly provider = 'ingram';
  // Attachments are sent inline: let the AI SDK download any http(s) URL it is given first.
  readonly supportedUrls: Record<string, RegExp[]> = {};

  constructor(
    readonly modelId: string,
    private readonly config: ModelConfig,
  ) {
    if (!modelId) throw new TypeError('An Ingram smith id (smt_…) is required.');
  }

  private request(call: IngramCall, options: LanguageModelV3CallOptions, stream: boolean): { url: string; body: Record<string, unknown> } {
    const smith = encodeURIComponent(this.modelId);
    if (call.kind === 'decision') {
      return {
        url: `${this.config.baseURL}/smiths/${smith}/runs/${encodeURIComponent(call.runId)}/approvals/${encodeURIComponent(call.approvalId)}`,
        body: { decision: call.decision, stream },
      };
    }
    const threadId = threadIdOf(options);
    return {
      url: `${this.config.baseURL}/smiths/${smith}/runs`,
      body: { input: [{ role: 'user', content: call.content }], ...(threadId ? { thread_id: threadId } : {}), stream },
    };
  }

  /**
   * Every call here is a run POST (a new run, or an approval decision): not idempotent, so the
   * errors are marked retryable (for the AI SDK's `maxRetries`) only where the API cannot have
   * acted: a 429, a 408, or a connection that was never made. A 5xx or a dropped connection may
   * have started the run, and a second POST would run the turn (and its tools) twice.
   */
  private async post(url: string, body: Record<string, unknown>, options: LanguageModelV3CallOptions, stream: boolean, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { ...this.config.headers(), 'Content-Type': 'application/json', Accept: stream ? 'text/event-stream' : 'application/json' };
    for (const [k, v] of Object.entries(options.headers ?? {})) if (v !== undefined) headers[k] = v;
    let response: Response;
    try {
      response = await this.config.fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: signal ?? options.abortSignal ?? null });
    } catch (cause) {
      if (options.abortSignal?.aborted) throw cause;
      throw new APICallError({
        message: `Could not reach the Ingram API: ${(cause as Error)?.message ?? cause}`,
        url,
        requestBodyValues: body,
        cause,
        isRetryable: neverSent(cause),
      });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let message = response.statusText || 'request failed';
      let data: unknown;
      try {
        data = JSON.parse(text);
        const error = (data as { error?: { message?: unknown } }).error;
        if (typeof error?.message === 'string') message = error.message;
      } catch {
        // Not JSON (e.g. a proxy's HTML page): the status says enough.
      }
      throw new APICallError({
        message: `Ingram API ${response.status}: ${message}`,
        url,
        requestBodyValues: body,
        statusCode: response.status,
        responseHeaders: headersOf(response),
        responseBody: text,
        isRetryable: response.status === 408 || response.status === 429,
        data,
      });
    }
    return response;
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const { call, warnings } = planIngramCall(options);
    const { url, body } = this.request(call, options, true);
    // Our own controller, so a stalled stream can be aborted; the caller's signal still ends it.
    const request = new AbortController();
    const outer = options.abortSignal;
    const onAbort = () => request.abort(outer?.reason);
    if (outer?.aborted) onAbort();
    else outer?.addEventListener('abort', onAbort, { once: true });
    const response = await this.post(url, body, options, true, request.signal);
    const type = response.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith('text/event-stream') || !response.body) {
      await response.body?.cancel();
      throw new APICallError({
        message: `Ingram API answered ${type || 'no content type'} where an event stream was expected.`,
        url,
        requestBodyValues: body,
        statusCode: response.status,
        isRetryable: false,
      });
    }
    const guarded = withIdleTimeout(response.body, this.config.streamIdleTimeoutMs, () => request.abort(new StreamIdleTimeoutError(this.config.streamIdleTimeoutMs)));
    const parts = this.streamParts(guarded, warnings, call.kind === 'decision' ? call.runId : '', options.includeRawChunks === true);
    const iterator = parts[Symbol.asyncIterator]();
    // Pull-based, so a slow reader slows the upstream read, and cancelling stops the request.
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await iterator.return?.(undefined);
      },
    });
    return { stream, request: { body }, response: { headers: headersOf(response) } };
  }

  private async *streamParts(body: ReadableStream<Uint8Array>, warnings: SharedV3Warning[], runId: string, raw: boolean): AsyncGenerator<LanguageModelV3StreamPart> {
    yield { type: 'stream-start', warnings };
    const mapper = new IngramStreamMapper(this.modelId, runId, { redact: this.config.redact });
    try {
      for await (const message of parseEventStream(body)) {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          continue; // A malformed event is skipped; the rest of the run still arrives.
        }
        if (raw) yield { type: 'raw', rawValue: { event: message.event, data } };
        if (!data || typeof data !== 'object') continue;
        for (const part of mapper.map(message.event, data as Record<string, unknown>)) yield part;
        if (mapper.done) break;
      }
    } catch (err) {
      if (!(err instanceof StreamIdleTimeoutError)) throw err;
      for (const part of mapper.truncated(new IngramRunError(err.code, err.message))) yield part;
      return;
    }
    for (const part of mapper.truncated()) yield part;
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const { call, warnings } = planIngramCall(options);
    // A decision's JSON reply describes the whole run (what came before the approval too); its
    // stream carries only what is new, so a continuation is read from the stream.
    if (call.kind === 'decision') return this.generateFromStream(options);
    const { url, body } = this.request(call, options, false);
    const response = await this.post(url, body, options, false);
    const run = (await response.json()) as UpstreamRun;
    if (run.status === 'failed') throw new IngramRunError(run.error?.code ?? 'run_failed', run.error?.message ?? 'The run failed.');
    const content: LanguageModelV3Content[] = [];
    for (const t of run.tool_calls ?? []) {
      content.push({ type: 'tool-call', toolCallId: t.tool_call_id, toolName: t.name, input: JSON.stringify(t.arguments ?? {}), providerExecuted: true, dynamic: true });
      if (t.output !== undefined || t.is_error) {
        content.push({
          type: 'tool-result',
          toolCallId: t.tool_call_id,
          toolName: t.name,
          result: (t.output ?? '') as NonNullable<JSONValue>,
          ...(t.is_error ? { isError: true } : {}),
          dynamic: true,
        });
      }
    }
    const text = (run.output ?? []).map((m) => m.content).join('');
    if (text) content.push({ type: 'text', text });
    for (const a of run.approvals ?? []) {
      if (a.decision) continue;
      content.push({ type: 'tool-call', toolCallId: a.tool_call_id, toolName: a.name, input: JSON.stringify(a.arguments ?? {}), providerExecuted: true, dynamic: true });
      content.push({
        type: 'tool-approval-request',
        approvalId: encodeApprovalId(run.id, a.approval_id),
        toolCallId: a.tool_call_id,
        providerMetadata: { ingram: { approvalId: a.approval_id, ...(a.reason ? { reason: a.reason } : {}) } },
      });
    }
    return {
      content,
      finishReason: finishReasonOf(run.stop_reason),
      usage: usageOf((run as { usage?: unknown }).usage),
      providerMetadata: { ingram: { runId: run.id, smithId: run.smith_id ?? this.modelId, threadId: run.thread_id ?? null, stopReason: run.stop_reason } },
      request: { body },
      response: { id: run.id, modelId: this.modelId, headers: headersOf(response), body: run },
      warnings,
    };
  }

  /** Runs the streaming call and gathers its parts into a generate result. */
  private async generateFromStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const { stream, request, response } = await this.doStream(options);
    const content: LanguageModelV3Content[] = [];
    const texts = new Map<string, { type: 'text'; text: string }>();
    let warnings: SharedV3Warning[] = [];
    let finish: Extract<LanguageModelV3StreamPart, { type: 'finish' }> | undefined;
    let id: string | undefined;
    for await (const part of stream as unknown as AsyncIterable<LanguageModelV3StreamPart>) {
      switch (part.type) {
        case 'stream-start':
          warnings = part.warnings;
          break;
        case 'response-metadata':
          id = part.id;
          break;
        case 'text-start': {
          const text = { type: 'text' as const, text: '' };
          texts.set(part.id, text);
          content.push(text);
          break;
        }
        case 'text-delta':
          texts.get(part.id)!.text += part.delta;
          break;
        case 'tool-call':
        case 'tool-result':
        case 'tool-approval-request':
          content.push(part);
          break;
        case 'error':
          throw part.error;
        case 'finish':
          finish = part;
          break;
      }
    }
    return {
      content,
      finishReason: finish?.finishReason ?? { unified: 'other', raw: undefined },
      usage: finish?.usage ?? usageOf(undefined),
      ...(finish?.providerMetadata ? { providerMetadata: finish.providerMetadata } : {}),
      ...(request ? { request } : {}),
      response: { ...(id ? { id } : {}), modelId: this.modelId, ...(response?.headers ? { headers: response.headers } : {}) },
      warnings,
    };
  }
}
