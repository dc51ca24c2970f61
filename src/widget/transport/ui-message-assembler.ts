/**
 * Reads AI SDK UI message stream chunks twice over: it builds the assistant `UIMessage` the way
 * `useChat` does (so the next request sends it back), and it turns each chunk into the protocol v1
 * run events the chat store understands.
 */
import { PROTOCOL_VERSION, type RunEvent, type StopReason } from '../../protocol/types.js';
import { isToolPart, toolNameOf, type UiChunk, type UiMessage, type UiToolPart } from './ui-message-types.js';

type Streamed = { type: 'text' | 'reasoning'; text: string; state?: 'streaming' | 'done' };

export class UiMessageAssembler {
  /** How the run ended (`finish`, `error` or `abort` chunk), or `null` while it streams. */
  outcome: 'completed' | 'failed' | 'cancelled' | null = null;
  private readonly streamed = new Map<string, Streamed>();
  // A tool call waits for the next chunk: if that is its approval request, it shows as an approval.
  private held: UiToolPart | null = null;
  private readonly announced = new Set<string>();

  constructor(
    /** The assistant message being built (a continuation appends to the one it continues). */
    readonly message: UiMessage,
    private readonly runId: string,
  ) {
    // A continuation's calls were shown already (as approvals): announce them when they run.
    for (const part of message.parts) if (isToolPart(part) && part.state !== 'approval-requested' && part.state !== 'approval-responded') this.announced.add(part.toolCallId);
  }

  private base() {
    return { v: PROTOCOL_VERSION, run_id: this.runId };
  }

  private tool(toolCallId: string): UiToolPart | undefined {
    return this.message.parts.find((p): p is UiToolPart => isToolPart(p) && p.toolCallId === toolCallId);
  }

  private started(part: UiToolPart): RunEvent[] {
    if (this.announced.has(part.toolCallId)) return [];
    this.announced.add(part.toolCallId);
    return [{ type: 'tool_call.started', ...this.base(), tool_call_id: part.toolCallId, name: toolNameOf(part), arguments: part.input ?? {} }];
  }

  private release(): RunEvent[] {
    const held = this.held;
    this.held = null;
    return held ? this.started(held) : [];
  }

  /** The stop reason for a `finish`: waiting while any approval is undecided. */
  private stopReason(finishReason: string | undefined): StopReason {
    if (this.message.parts.some((p) => isToolPart(p) && p.state === 'approval-requested')) return 'awaiting_approval';
    return finishReason === 'length' ? 'max_tokens' : 'end_turn';
  }

  /** Applies one chunk; returns the v1 events it stands for. */
  apply(chunk: UiChunk): RunEvent[] {
    // After the run ended (an `error` is followed by a `finish`), nothing changes its outcome.
    if (this.outcome) return [];
    if (chunk.type === 'tool-approval-request') {
      const part = this.tool(chunk.toolCallId);
      if (!part) return this.release();
      if (this.held === part) this.held = null;
      part.state = 'approval-requested';
      part.approval = { id: chunk.approvalId };
      return [
        ...this.release(),
        { type: 'approval.requested', ...this.base(), approval_id: chunk.approvalId, tool_call_id: part.toolCallId, name: toolNameOf(part), arguments: part.input ?? {} },
      ];
    }
    const out = this.release();
    const parts = this.message.parts;
    switch (chunk.type) {
      case 'start':
        if (chunk.messageMetadata !== undefined) this.message.metadata = chunk.messageMetadata;
        break;
      case 'start-step':
        parts.push({ type: 'step-start' });
        break;
      case 'text-start':
      case 'reasoning-start': {
        const part: Streamed = { type: chunk.type === 'text-start' ? 'text' : 'reasoning', text: '', state: 'streaming' };
        this.streamed.set(chunk.id, part);
        parts.push(part);
        break;
      }
      case 'text-delta':
      case 'reasoning-delta': {
        const part = this.streamed.get(chunk.id);
        if (!part || typeof chunk.delta !== 'string') break;
        part.text += chunk.delta;
        if (part.type === 'text' && chunk.delta) out.push({ type: 'message.delta', ...this.base(), delta: chunk.delta });
        break;
      }
      case 'text-end':
      case 'reasoning-end': {
        const part = this.streamed.get(chunk.id);
        if (part) part.state = 'done';
        break;
      }
      case 'tool-input-start':
      case 'tool-input-available':
      case 'tool-input-error': {
        let part = this.tool(chunk.toolCallId);
        if (!part) {
          part = {
            type: chunk.dynamic ? 'dynamic-tool' : `tool-${chunk.toolName}`,
            ...(chunk.dynamic ? { toolName: chunk.toolName } : {}),
            toolCallId: chunk.toolCallId,
            state: 'input-streaming',
            input: undefined,
          };
          parts.push(part);
        }
        if (chunk.providerExecuted) part.providerExecuted = true;
        if (chunk.type === 'tool-input-available') {
          part.state = 'input-available';
          part.input = chunk.input;
          if (chunk.providerMetadata !== undefined) part.callProviderMetadata = chunk.providerMetadata;
          this.held = part;
        } else if (chunk.type === 'tool-input-error') {
          part.state = 'output-error';
          part.input = chunk.input;
          part.errorText = chunk.errorText;
          out.push(...this.started(part), this.completed(part, chunk.errorText, true));
        }
        break;
      }
      case 'tool-output-available':
      case 'tool-output-error':
      case 'tool-output-denied': {
        const part = this.tool(chunk.toolCallId);
        if (!part) break;
        if (chunk.type === 'tool-output-available') {
          part.state = 'output-available';
          part.output = chunk.output;
          if (chunk.preliminary) {
            part.preliminary = true;
            break; // a preview: the final output follows
          }
          delete part.preliminary;
          out.push(...this.started(part), this.completed(part, chunk.output, false));
        } else if (chunk.type === 'tool-output-error') {
          part.state = 'output-error';
          part.errorText = chunk.errorText;
          out.push(...this.started(part), this.completed(part, chunk.errorText, true));
        } else {
          // Denied: it never ran, so it completes (as refused) without starting.
          part.state = 'output-denied';
          this.announced.add(part.toolCallId);
          out.push(this.completed(part, 'Denied by the visitor.', true));
        }
        break;
      }
      case 'file':
        parts.push({ type: 'file', url: chunk.url, mediaType: chunk.mediaType });
        break;
      case 'source-url':
      case 'source-document':
        parts.push({ ...chunk });
        break;
      case 'message-metadata':
        this.message.metadata = chunk.messageMetadata;
        break;
      case 'error':
        this.outcome = 'failed';
        out.push({ type: 'run.failed', ...this.base(), error: { code: 'upstream_error', message: chunk.errorText || 'The assistant could not answer.' } });
        break;
      case 'abort':
        this.outcome = 'cancelled';
        out.push({ type: 'run.completed', ...this.base(), stop_reason: 'cancelled' });
        break;
      case 'finish':
        this.outcome = 'completed';
        if (chunk.messageMetadata !== undefined) this.message.metadata = chunk.messageMetadata;
        out.push({ type: 'run.completed', ...this.base(), stop_reason: this.stopReason(chunk.finishReason) });
        break;
      default: {
        // `data-*` parts are kept for the next request unless transient; other chunks are skipped.
        const other = chunk as { type: string; transient?: boolean };
        if (typeof other.type === 'string' && other.type.startsWith('data-') && !other.transient) parts.push({ ...other });
      }
    }
    return out;
  }

  private completed(part: UiToolPart, output: unknown, isError: boolean): RunEvent {
    return {
      type: 'tool_call.completed',
      ...this.base(),
      tool_call_id: part.toolCallId,
      name: toolNameOf(part),
      output,
      ...(isError ? { is_error: true } : {}),
    };
  }
}
