// Maps the Ingram API's run events onto AI SDK (LanguageModelV3) stream parts, in one place, so a
// change in the vendor's envelope is a change to this file only.
import type { JSONValue, LanguageModelV3FinishReason, LanguageModelV3StreamPart, LanguageModelV3Usage, SharedV3ProviderMetadata } from '@ai-sdk/provider';
import { boundPayload, type PassThroughOptions } from '../ingram/map-upstream-event.js';
import { encodeApprovalId } from './ingram-prompt.js';

type Data = Record<string, unknown>;

const str = (d: Data, k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The API's stop reason as the AI SDK's unified finish reason (the raw one is kept beside it). */
export function finishReasonOf(stopReason: string | null | undefined): LanguageModelV3FinishReason {
  const raw = stopReason ?? undefined;
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return { unified: 'stop', raw };
    case 'max_tokens':
      return { unified: 'length', raw };
    // The run paused for a tool call the visitor must approve.
    case 'awaiting_approval':
      return { unified: 'tool-calls', raw };
    case 'content_filter':
      return { unified: 'content-filter', raw };
    case 'failed':
      return { unified: 'error', raw };
    default:
      return { unified: 'other', raw };
  }
}

/** Usage when the API reports it (`usage: {input_tokens, output_tokens}`), otherwise unknown. */
export function usageOf(value: unknown): LanguageModelV3Usage {
  const u = (value && typeof value === 'object' ? value : {}) as Data;
  const input = num(u['input_tokens']);
  const output = num(u['output_tokens']);
  const cached = num(u['cache_read_input_tokens']);
  return {
    inputTokens: { total: input, noCache: input !== undefined && cached !== undefined ? input - cached : undefined, cacheRead: cached, cacheWrite: undefined },
    outputTokens: { total: output, text: undefined, reasoning: undefined },
    ...(value && typeof value === 'object' ? { raw: value as { [k: string]: JSONValue } } : {}),
  };
}

/** A tool's output as a tool-result `result` (which must not be null or undefined). */
function resultOf(output: unknown): NonNullable<JSONValue> {
  return output === undefined || output === null ? '' : (output as NonNullable<JSONValue>);
}

/**
 * Stateful: tracks the open text block and the tool calls seen, so text is split around tool
 * calls and an approval's tool call is announced once.
 */
export class IngramStreamMapper {
  private textId: string | null = null;
  private textCount = 0;
  private readonly toolNames = new Map<string, string>();
  private runId: string;
  private threadId: string | undefined;
  private finished = false;

  /**
   * `runId` is known up front when continuing a run after an approval. `passThrough` redacts (the
   * token) and bounds tool and approval payloads and error texts, as the Ingram backend does: an AI
   * SDK UI stream carries them to the browser.
   */
  constructor(
    private readonly smithId: string,
    runId = '',
    private readonly passThrough: PassThroughOptions = {},
  ) {
    this.runId = runId;
  }

  /** True once `finish` was emitted (after `run.completed` or `run.failed`). */
  get done(): boolean {
    return this.finished;
  }

  private closeText(out: LanguageModelV3StreamPart[]): void {
    if (this.textId) out.push({ type: 'text-end', id: this.textId });
    this.textId = null;
  }

  private toolCall(out: LanguageModelV3StreamPart[], id: string, name: string, args: unknown): void {
    if (this.toolNames.has(id)) return;
    this.toolNames.set(id, name);
    // Ingram's tools run on its side (hosted tools): provider-executed, and dynamic because the
    // caller's `tools` do not declare them.
    out.push({ type: 'tool-call', toolCallId: id, toolName: name, input: JSON.stringify(boundPayload(args ?? {}, this.passThrough) ?? {}), providerExecuted: true, dynamic: true });
  }

  /** A text from upstream (a reason, an error) with secrets removed and its length bounded. */
  private text(value: string): string {
    return boundPayload(value, this.passThrough) as string;
  }

  private metadata(stopReason: string | null): SharedV3ProviderMetadata {
    return { ingram: { runId: this.runId, smithId: this.smithId, threadId: this.threadId ?? null, stopReason } };
  }

  /** The stream parts for one upstream event; unknown events map to nothing (forward compatible). */
  map(event: string, data: Data): LanguageModelV3StreamPart[] {
    const out: LanguageModelV3StreamPart[] = [];
    if (this.finished) return out;
    switch (event) {
      case 'run.started': {
        this.runId = str(data, 'run_id') ?? this.runId;
        this.threadId = str(data, 'thread_id');
        out.push({ type: 'response-metadata', id: this.runId, modelId: this.smithId });
        break;
      }
      case 'message.delta': {
        const delta = str(data, 'delta');
        if (!delta) break;
        if (!this.textId) {
          this.textId = `${this.runId || 'run'}-text-${this.textCount++}`;
          out.push({ type: 'text-start', id: this.textId });
        }
        out.push({ type: 'text-delta', id: this.textId, delta });
        break;
      }
      case 'tool_call.started': {
        const id = str(data, 'tool_call_id');
        const name = str(data, 'name');
        if (!id || !name) break;
        this.closeText(out);
        this.toolCall(out, id, name, data['arguments']);
        break;
      }
      case 'tool_call.completed': {
        const id = str(data, 'tool_call_id');
        if (!id) break;
        const name = str(data, 'name') ?? this.toolNames.get(id) ?? 'tool';
        this.closeText(out);
        // A result whose call was not streamed (e.g. after an approval) still needs its call first.
        this.toolCall(out, id, name, data['arguments']);
        out.push({
          type: 'tool-result',
          toolCallId: id,
          toolName: name,
          result: resultOf(boundPayload(data['output'], this.passThrough)),
          ...(data['is_error'] === true ? { isError: true } : {}),
          dynamic: true,
        });
        break;
      }
      case 'approval.requested': {
        const approvalId = str(data, 'approval_id');
        const toolCallId = str(data, 'tool_call_id');
        const name = str(data, 'name');
        if (!approvalId || !toolCallId || !name) break;
        this.closeText(out);
        this.toolCall(out, toolCallId, name, data['arguments']);
        out.push({
          type: 'tool-approval-request',
          approvalId: encodeApprovalId(str(data, 'run_id') ?? this.runId, approvalId),
          toolCallId,
          providerMetadata: { ingram: { approvalId, ...(str(data, 'reason') ? { reason: this.text(str(data, 'reason')!) } : {}) } },
        });
        break;
      }
      case 'run.completed': {
        const stop = str(data, 'stop_reason') ?? null;
        this.closeText(out);
        out.push({ type: 'finish', finishReason: finishReasonOf(stop), usage: usageOf(data['usage']), providerMetadata: this.metadata(stop) });
        this.finished = true;
        break;
      }
      case 'run.failed': {
        const error = (data['error'] && typeof data['error'] === 'object' ? data['error'] : {}) as Data;
        this.closeText(out);
        out.push({ type: 'error', error: new IngramRunError(this.text(str(error, 'code') ?? 'run_failed'), this.text(str(error, 'message') ?? 'The run failed.')) });
        out.push({ type: 'finish', finishReason: { unified: 'error', raw: 'failed' }, usage: usageOf(data['usage']), providerMetadata: this.metadata('failed') });
        this.finished = true;
        break;
      }
    }
    return out;
  }

  /**
   * Parts for a stream that ended without `run.completed`: the open text closed, then an error
   * (`error`, or `interrupted` by default).
   */
  truncated(error?: IngramRunError): LanguageModelV3StreamPart[] {
    if (this.finished) return [];
    const out: LanguageModelV3StreamPart[] = [];
    this.closeText(out);
    out.push({ type: 'error', error: error ?? new IngramRunError('interrupted', 'The Ingram stream ended before the run completed.') });
    out.push({ type: 'finish', finishReason: { unified: 'error', raw: undefined }, usage: usageOf(undefined), providerMetadata: this.metadata(null) });
    this.finished = true;
    return out;
  }
}

/** A run that the Ingram API reported as failed (`run.failed`), or a stream cut short. */
export class IngramRunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IngramRunError';
  }
}
