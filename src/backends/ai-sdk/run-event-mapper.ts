// Maps the AI SDK's `streamText().fullStream` parts onto protocol v1 run events, in one place.
import type { TextStreamPart, ToolSet } from 'ai';
import { PROTOCOL_VERSION, type RunEvent, type StopReason } from '../../protocol/types.js';
import type { PendingApproval } from './conversation-store.js';
import { boundedSource } from '../../protocol/source-link.js';

/** The protocol's stop reason for the AI SDK's finish reason. */
export function stopReasonOf(finishReason: string): StopReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'content-filter':
      return 'content_filter';
    default:
      // `stop`, and `tool-calls` when the step limit ends a tool loop: the turn is over either way.
      return 'end_turn';
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'The tool failed.';
}

interface ToolCallInfo {
  name: string;
  input: unknown;
  providerExecuted: boolean;
  announced: boolean;
}

/**
 * Stateful: a `tool-call` is held back until the next part, because a call that needs approval is
 * followed by its `tool-approval-request` and must then show as an approval, not as a running tool.
 */
export class RunEventMapper {
  readonly approvals: PendingApproval[] = [];
  /** The assistant's text in this stream, kept for the history when a stream is cut short. */
  text = '';
  finishReason: string | null = null;
  error: unknown = null;
  private held: string | null = null;
  private readonly calls = new Map<string, ToolCallInfo>();

  constructor(
    private readonly runId: string,
    /** Calls known from before (an approval's call, on continuation). */
    known: PendingApproval[] = [],
  ) {
    for (const a of known) this.calls.set(a.toolCallId, { name: a.toolName, input: a.input, providerExecuted: !!a.providerExecuted, announced: false });
  }

  private base() {
    return { v: PROTOCOL_VERSION, run_id: this.runId };
  }

  private started(toolCallId: string): RunEvent[] {
    const call = this.calls.get(toolCallId);
    if (!call || call.announced) return [];
    call.announced = true;
    return [{ type: 'tool_call.started', ...this.base(), tool_call_id: toolCallId, name: call.name, arguments: call.input ?? {} }];
  }

  /** Announces a held tool call (called before any other part is mapped). */
  private release(): RunEvent[] {
    if (this.held === null) return [];
    const id = this.held;
    this.held = null;
    return this.started(id);
  }

  map(part: TextStreamPart<ToolSet>): RunEvent[] {
    if (part.type === 'tool-approval-request') {
      const call = part.toolCall;
      if (this.held === call.toolCallId) this.held = null;
      const known = this.calls.get(call.toolCallId);
      const approval: PendingApproval = {
        approvalId: part.approvalId,
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        input: call.input,
        decision: null,
        ...(call.providerExecuted || known?.providerExecuted ? { providerExecuted: true } : {}),
      };
      this.approvals.push(approval);
      return [
        ...this.release(),
        { type: 'approval.requested', ...this.base(), approval_id: part.approvalId, tool_call_id: call.toolCallId, name: call.toolName, arguments: call.input ?? {} },
      ];
    }
    const out = this.release();
    switch (part.type) {
      case 'text-delta':
        if (part.text) {
          this.text += part.text;
          out.push({ type: 'message.delta', ...this.base(), delta: part.text });
        }
        break;
      case 'tool-call':
        this.calls.set(part.toolCallId, { name: part.toolName, input: part.input, providerExecuted: !!part.providerExecuted, announced: false });
        this.held = part.toolCallId;
        break;
      case 'tool-result':
        this.remember(part.toolCallId, part.toolName, part.input);
        out.push(...this.started(part.toolCallId));
        out.push({ type: 'tool_call.completed', ...this.base(), tool_call_id: part.toolCallId, name: part.toolName, output: part.output });
        break;
      case 'tool-error':
        this.remember(part.toolCallId, part.toolName, part.input);
        out.push(...this.started(part.toolCallId));
        out.push({ type: 'tool_call.completed', ...this.base(), tool_call_id: part.toolCallId, name: part.toolName, output: errorText(part.error), is_error: true });
        break;
      case 'tool-output-denied':
        // The visitor denied it: it never ran, so it completes (as refused) without starting.
        out.push({ type: 'tool_call.completed', ...this.base(), tool_call_id: part.toolCallId, name: part.toolName, output: 'Denied by the visitor.', is_error: true });
        break;
      case 'source':
        // A model's URL citations (web search, retrieval) become links; document sources have no URL.
        if (part.sourceType === 'url') {
          const source = boundedSource({ title: part.title || part.url, url: part.url });
          if (source) out.push({ type: 'source.added', ...this.base(), source });
        }
        break;
      case 'finish':
        this.finishReason = part.finishReason;
        break;
      case 'error':
        this.error = part.error;
        break;
    }
    return out;
  }

  /** Announces a held tool call at the end of the stream. */
  flush(): RunEvent[] {
    return this.release();
  }

  private remember(toolCallId: string, name: string, input: unknown): void {
    if (!this.calls.has(toolCallId)) this.calls.set(toolCallId, { name, input, providerExecuted: false, announced: false });
  }

  /** The `run.completed` stop reason for this stream. */
  stopReason(): StopReason {
    if (this.approvals.length > 0) return 'awaiting_approval';
    return stopReasonOf(this.finishReason ?? 'stop');
  }
}
