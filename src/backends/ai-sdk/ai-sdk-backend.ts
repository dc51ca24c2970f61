/**
 * `createAiSdkBackend({model})`: a protocol v1 backend over any Vercel AI SDK language model
 * (OpenAI-compatible servers such as Ollama or vLLM through `@ai-sdk/openai-compatible`, hosted
 * providers, or the Ingram provider), with `streamText` doing the model work.
 *
 * Tools with `needsApproval` become v1 approvals: the run stops with `awaiting_approval`, and the
 * visitor's decision continues it through the AI SDK's own `tool-approval-response`.
 */
import { threadMessagesOf } from './thread-messages.js';
import { stepCountIs, streamText, type LanguageModel, type ModelMessage, type ToolSet, type UserContent } from 'ai';
import { PROTOCOL_VERSION, type ContentPart, type Limits, type RunEvent } from '../../protocol/types.js';
import { SupportError } from '../core/support-error.js';
import type { ApprovalInput, RunInput, SupportBackend, TurnContext, ValidatedAttachment, Visitor } from '../core/types.js';
import { InMemoryConversationStore, type ConversationKey, type ConversationStore, type PendingApproval, type StoredConversation } from './conversation-store.js';
import { mediaTypeOfDataUrl } from './data-url.js';
import { RunEventMapper } from './run-event-mapper.js';
import { newId, safeLogger, visitorKey } from '../internal/helpers.js';
import { feedbackToHook, type FeedbackHook } from '../core/feedback.js';
import type { HandoffRecord, HandoffReply } from '../core/handoff.js';

/** Who and which conversation a turn is for: to pick a model or provider options per visitor. */
export interface AiSdkTurn {
  visitor: Visitor;
  threadId: string;
}

type ProviderOptions = NonNullable<Parameters<typeof streamText>[0]['providerOptions']>;

export interface AiSdkBackendOptions<TOOLS extends ToolSet = ToolSet> {
  /** The model, or a function choosing one per turn (e.g. the Ingram provider's smith for this visitor). */
  model: LanguageModel | ((turn: AiSdkTurn) => LanguageModel | Promise<LanguageModel>);
  /** The system prompt. */
  system?: string;
  /** Tools the model may call; a tool with `needsApproval` asks the visitor first. */
  tools?: TOOLS;
  /**
   * Where conversations are kept. Default: in memory, 1000 conversations of 100 messages. Several
   * servers share one (e.g. `createRedisStores(…).conversations`), and its compare-and-set keeps
   * concurrent turns and duplicate approval decisions apart.
   */
  history?: ConversationStore;
  /** Most model steps per turn (a tool call and the answer after it are two). Default 5. */
  maxSteps?: number;
  /** Largest answer, in tokens. */
  maxOutputTokens?: number;
  temperature?: number;
  /** Provider options per call, or a function of the turn (e.g. `{ingram: {threadId}}`). */
  providerOptions?: ProviderOptions | ((turn: AiSdkTurn) => ProviderOptions);
  /** Attachment limits this backend accepts (the model must support images/PDFs to use them). */
  limits?: Partial<Limits>;
  /** Model and tool errors; the visitor only sees a generic message. Default: `console.error`. */
  onError?: (error: unknown) => void;
  /**
   * Where visitors' ratings of replies go (`POST /runs/{run_id}/feedback`): the model has nowhere to
   * keep them, so your code stores them. Same as the core's `onFeedback`; set one, not both.
   */
  onFeedback?: FeedbackHook;
  /**
   * Where "Talk to a person" goes (`POST /handoff`, and an approved offer of one): your help desk
   * opens the ticket and returns its reference. The record carries the thread's stored messages.
   */
  onHandoff?: AiSdkHandoffHook;
}

/** A hand-off as the AI SDK backend's hook receives it: the core's record plus the conversation so far. */
export interface AiSdkHandoffRecord extends HandoffRecord {
  /** The thread's messages as stored (`history`), oldest first; empty when none are kept. */
  messages: ModelMessage[];
}

export type AiSdkHandoffHook = (handoff: AiSdkHandoffRecord, ctx: TurnContext) => HandoffReply | Promise<HandoffReply>;

export interface AiSdkBackend extends SupportBackend {
  run(input: RunInput, ctx: TurnContext): AsyncIterable<RunEvent>;
  approve(input: ApprovalInput, ctx: TurnContext): AsyncIterable<RunEvent>;
  cancel(runId: string, ctx: TurnContext): Promise<void>;
  /** The conversation store in use. */
  readonly history: ConversationStore;
}

/** Saves of one turn tried before giving up, when other turns on the same thread keep saving first. */
const MAX_SAVE_ATTEMPTS = 8;

/** The version of a thread a turn started from: what it saves on top of. */
interface TurnBase {
  messages: ModelMessage[];
  version: string | null;
}

/** A v1 user message as an AI SDK one; attachments stay data URLs (with their checked type). */
export function toUserMessage(content: string | ContentPart[], attachments: ValidatedAttachment[] = []): ModelMessage {
  if (typeof content === 'string') return { role: 'user', content };
  const byIndex = new Map(attachments.map((a) => [a.part_index, a]));
  const parts: Exclude<UserContent, string> = content.map((part, index) => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const checked = byIndex.get(index);
    if (part.type === 'image') {
      const mediaType = checked?.media_type ?? mediaTypeOfDataUrl(part.image) ?? undefined;
      return { type: 'image', image: part.image, ...(mediaType ? { mediaType } : {}) };
    }
    const mediaType = checked?.media_type ?? mediaTypeOfDataUrl(part.data) ?? 'application/octet-stream';
    return { type: 'file', data: part.data, mediaType, filename: checked?.filename ?? part.filename };
  });
  return { role: 'user', content: parts };
}

/**
 * Gives every tool call of ours that has no result one (as not run), so the history stays valid
 * for the next turn: an approval never decided, or a run stopped or failed before its tool ran.
 * Calls run by the provider (e.g. Ingram's hosted tools) are the provider's business.
 */
export function closeOpenToolCalls(messages: ModelMessage[]): ModelMessage[] {
  const resolved = new Set<string>();
  for (const m of messages) {
    if (m.role === 'tool') for (const p of m.content) if (p.type === 'tool-result') resolved.add(p.toolCallId);
  }
  const out: ModelMessage[] = [];
  for (const m of messages) {
    out.push(m);
    if (m.role !== 'assistant' || typeof m.content === 'string') continue;
    const open = m.content.filter((p) => p.type === 'tool-call' && !p.providerExecuted && !resolved.has(p.toolCallId));
    if (open.length === 0) continue;
    out.push({
      role: 'tool',
      content: open.map((p) => ({
        type: 'tool-result' as const,
        toolCallId: (p as { toolCallId: string }).toolCallId,
        toolName: (p as { toolName: string }).toolName,
        output: { type: 'execution-denied' as const, reason: 'Not run: the conversation moved on before it was approved or finished.' },
      })),
    });
  }
  return out;
}

/**
 * A turn's messages appended to a thread another turn saved meanwhile. A tool call this turn ran
 * (an approval that continued) may have been closed as not run by the other turn: its real result
 * takes the placeholder's place, right after the call, where providers expect it. Calls still open
 * after that are closed as not run.
 */
export function mergeTurn(latest: ModelMessage[], added: ModelMessage[]): ModelMessage[] {
  type ToolPart = Extract<ModelMessage, { role: 'tool' }>['content'][number];
  const real = new Map<string, ToolPart>();
  for (const m of added) if (m.role === 'tool') for (const p of m.content) if (p.type === 'tool-result') real.set(p.toolCallId, p);
  const placed = new Set<string>();
  const merged = latest.map((m): ModelMessage => {
    if (m.role !== 'tool') return m;
    const content = m.content.map((p): ToolPart => {
      const found = p.type === 'tool-result' && p.output.type === 'execution-denied' ? real.get(p.toolCallId) : undefined;
      if (!found || p.type !== 'tool-result') return p;
      placed.add(p.toolCallId);
      return found;
    });
    return { ...m, content };
  });
  const rest = added.flatMap((m): ModelMessage[] => {
    if (m.role !== 'tool') return [m];
    const content = m.content.filter((p) => !(p.type === 'tool-result' && placed.has(p.toolCallId)));
    return content.length > 0 ? [{ ...m, content }] : [];
  });
  return closeOpenToolCalls([...merged, ...rest]);
}

export function createAiSdkBackend<TOOLS extends ToolSet = ToolSet>(options: AiSdkBackendOptions<TOOLS>): AiSdkBackend {
  if (!options?.model) throw new TypeError('createAiSdkBackend needs a model.');
  const history = options.history ?? new InMemoryConversationStore();
  const maxSteps = options.maxSteps ?? 5;
  const report = safeLogger(options.onError, '[ic-support-chat ai-sdk]');
  // Runs in progress, for `cancel`: run id → owner and the controller that stops it.
  const active = new Map<string, { visitor: string; controller: AbortController }>();

  /**
   * Saves what a turn added on top of the version it started from. When another turn on the same
   * thread saved first (a second tab, another server), its messages are kept and this turn's go
   * after them: nothing is lost. The pending approvals are the last saved turn's, as a new turn
   * always supersedes an earlier one's (its open tool calls are closed as not run).
   */
  async function commit(key: ConversationKey, base: TurnBase, added: ModelMessage[], pending?: StoredConversation['pending']): Promise<void> {
    let messages = [...base.messages, ...added];
    let version = base.version;
    for (let attempt = 1; ; attempt++) {
      const conversation: StoredConversation = pending ? { messages, pending } : { messages };
      const saved = await history.save(key, conversation, version);
      if (saved.ok) return;
      if (attempt >= MAX_SAVE_ATTEMPTS) throw new Error(`The conversation kept changing; this turn was not saved after ${attempt} attempts.`);
      const latest = await history.load(key);
      version = latest?.version ?? null;
      messages = mergeTurn(latest?.conversation.messages ?? [], added);
    }
  }

  async function* stream(
    runId: string,
    key: ConversationKey,
    turn: AiSdkTurn,
    base: TurnBase,
    added: ModelMessage[],
    ctx: TurnContext,
    known: PendingApproval[] = [],
  ): AsyncGenerator<RunEvent> {
    const messages = [...base.messages, ...added];
    const controller = new AbortController();
    active.set(runId, { visitor: key.visitor, controller });
    const signal = AbortSignal.any([ctx.signal, controller.signal]);
    const mapper = new RunEventMapper(runId, known);
    try {
      const model = typeof options.model === 'function' ? await options.model(turn) : options.model;
      const providerOptions = typeof options.providerOptions === 'function' ? options.providerOptions(turn) : options.providerOptions;
      const result = streamText({
        model,
        messages,
        ...(options.system !== undefined ? { system: options.system } : {}),
        ...(options.tools ? { tools: options.tools } : {}),
        ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(providerOptions ? { providerOptions } : {}),
        stopWhen: stepCountIs(maxSteps),
        abortSignal: signal,
        // Errors arrive as `error` parts and are reported once, below.
        onError: () => {},
      });
      let aborted = false;
      for await (const part of result.fullStream) {
        if (part.type === 'abort') {
          aborted = true;
          break;
        }
        for (const event of mapper.map(part)) yield event;
        if (mapper.error) break;
      }
      for (const event of mapper.flush()) yield event;

      if (aborted || signal.aborted) {
        // Stopped: keep what was said, so the next turn knows; no approval survives a stop.
        await commit(key, base, mapper.text ? [...added, { role: 'assistant', content: mapper.text }] : added);
        if (!ctx.signal.aborted) yield { type: 'run.completed', v: PROTOCOL_VERSION, run_id: runId, stop_reason: 'cancelled' };
        return;
      }
      if (mapper.error) {
        report(mapper.error);
        // A stalled upstream (the Ingram provider's idle timeout) keeps its own code: the widget
        // tells a timeout from a refusal.
        const timedOut = (mapper.error as { code?: unknown } | null)?.code === 'upstream_timeout';
        yield {
          type: 'run.failed',
          v: PROTOCOL_VERSION,
          run_id: runId,
          error: timedOut
            ? { code: 'upstream_timeout', message: 'The assistant stopped responding. Please try again.' }
            : { code: 'upstream_error', message: 'The assistant could not answer just now. Please try again.' },
        };
        return;
      }
      const response = await result.response;
      await commit(key, base, [...added, ...response.messages], mapper.approvals.length > 0 ? { runId, approvals: mapper.approvals } : undefined);
      yield { type: 'run.completed', v: PROTOCOL_VERSION, run_id: runId, stop_reason: mapper.stopReason() };
    } finally {
      active.delete(runId);
    }
  }

  async function* run(input: RunInput, ctx: TurnContext): AsyncGenerator<RunEvent> {
    const key: ConversationKey = { visitor: visitorKey(ctx.visitor), threadId: input.thread_id };
    const runId = newId('run');
    const stored = await history.load(key);
    const base: TurnBase = { messages: closeOpenToolCalls(stored?.conversation.messages ?? []), version: stored?.version ?? null };
    const newMessages = input.input.map((m, i) => toUserMessage(m.content, i === input.input.length - 1 ? input.attachments : []));
    yield { type: 'run.started', v: PROTOCOL_VERSION, run_id: runId, thread_id: input.thread_id };
    yield* stream(runId, key, { visitor: ctx.visitor, threadId: input.thread_id }, base, newMessages, ctx);
  }

  /**
   * Records one approval decision, compare-and-set, before anything runs: of two identical
   * decisions sent at once (two tabs, two servers), exactly one lands; the other finds it decided
   * and is refused like any repeat: 409 `conflict` while the run goes on, 404 once it has finished.
   */
  async function claimDecision(visitor: string, input: ApprovalInput) {
    for (let attempt = 1; ; attempt++) {
      const threadId = await history.findPendingRun(visitor, input.run_id);
      const key: ConversationKey = { visitor, threadId: threadId ?? '' };
      const loaded = threadId === undefined ? undefined : await history.load(key);
      const stored = loaded?.conversation;
      const pending = stored?.pending?.runId === input.run_id ? stored.pending : undefined;
      if (!loaded || !stored || !pending) throw new SupportError('not_found', 'No run of yours is waiting for this approval.');
      const approval = pending.approvals.find((a) => a.approvalId === input.approval_id);
      if (!approval) throw new SupportError('not_found', 'No such approval for this run.');
      if (approval.decision !== null) {
        throw new SupportError('conflict', 'This approval was already decided; a decision cannot be sent twice.', { status: 409 });
      }
      approval.decision = input.decision;
      const saved = await history.save(key, stored, loaded.version);
      if (saved.ok) return { key, stored, pending, version: saved.version };
      // Someone saved this thread first: look again (it may be this very decision).
      if (attempt >= MAX_SAVE_ATTEMPTS) throw new SupportError('conflict', 'This conversation is busy; try the decision again.', { status: 409 });
    }
  }

  async function* approve(input: ApprovalInput, ctx: TurnContext): AsyncGenerator<RunEvent> {
    // Checked and recorded before the first event, so a refused decision is an HTTP error, not a broken stream.
    const { key, stored, pending, version } = await claimDecision(visitorKey(ctx.visitor), input);
    yield { type: 'run.started', v: PROTOCOL_VERSION, run_id: input.run_id, thread_id: key.threadId };
    if (pending.approvals.some((a) => a.decision === null)) {
      // More decisions are due before the model can go on.
      yield { type: 'run.completed', v: PROTOCOL_VERSION, run_id: input.run_id, stop_reason: 'awaiting_approval' };
      return;
    }
    const decided: ModelMessage = {
      role: 'tool',
      content: pending.approvals.map((a) => ({
        type: 'tool-approval-response' as const,
        approvalId: a.approvalId,
        approved: a.decision === 'approve',
        ...(a.providerExecuted ? { providerExecuted: true } : {}),
      })),
    };
    const base: TurnBase = { messages: stored.messages, version };
    yield* stream(input.run_id, key, { visitor: ctx.visitor, threadId: key.threadId }, base, [decided], ctx, pending.approvals);
  }

  function handoffWithMessages(hook: AiSdkHandoffHook) {
    return async (record: HandoffRecord, ctx: TurnContext): Promise<HandoffReply> => {
      const stored = await history.load({ visitor: visitorKey(ctx.visitor), threadId: record.thread_id });
      return hook({ ...record, messages: stored?.conversation.messages ?? [] }, ctx);
    };
  }

  return {
    history,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.history ? {} : { inMemoryState: ['history'] }),
    ...(options.onFeedback ? { feedback: feedbackToHook(options.onFeedback) } : {}),
    ...(options.onHandoff ? { handoff: handoffWithMessages(options.onHandoff) } : {}),
    run,
    approve,
    // Past conversations (`features.threads`): the core lists them, the store keeps their messages.
    async threadMessages(threadId, ctx) {
      const stored = await history.load({ visitor: visitorKey(ctx.visitor), threadId });
      return stored ? threadMessagesOf(stored.conversation.messages) : null;
    },
    async deleteThread(threadId, ctx) {
      await history.delete?.({ visitor: visitorKey(ctx.visitor), threadId });
    },
    async cancel(runId, ctx) {
      const found = active.get(runId);
      // Someone else's run is as unknown as one that does not exist.
      if (!found || found.visitor !== visitorKey(ctx.visitor)) throw new SupportError('not_found', 'No such run in progress.');
      found.controller.abort();
    },
  };
}
