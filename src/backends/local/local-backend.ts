/**
 * `createLocalBackend()`: the offline reference backend (help articles, a demo tool call and approval,
 * attachments; no network, no API key). Longer than 400 lines because it is one closure over the
 * backend's state (its runs and their pending approvals, the conversation history, the file store)
 * that the turn, the tool call, the approval and its continuation all share; the reusable parts are
 * already modules of their own (retriever.ts, compose-answer.ts, intents.ts, history.ts,
 * file-store.ts, tool-display.ts, demo-orders.ts, word-chunks.ts).
 */
import { displayLanguage, lookupOrderDisplay, openTicketDisplay, ticketReason, type DisplayLanguage } from './tool-display.js';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION, type RunEvent, type StoredFileInfo, type TextPart } from '../../protocol/types.js';
import { SupportError } from '../core/support-error.js';
import type { FeedbackInput } from '../core/feedback.js';
import type { ApprovalInput, RunInput, StoredFile, SupportBackend, TurnContext, Visitor } from '../core/types.js';
import { loadArticlesFromDir, type HelpArticle } from './articles.js';
import { citedArticles, composeAnswer, composeNoMatch } from './compose-answer.js';
import { appendFeedback } from './feedback-log.js';
import type { HandoffRecord } from '../core/handoff.js';
import { appendTicket } from './handoff-log.js';
import { lookupOrder, normalizeOrderId } from './demo-orders.js';
import { describeAttachments } from './describe-attachments.js';
import { FileStore, type FileRecord, type FileStoreOptions } from './file-store.js';
import { ConversationHistory, messageText, type HistoryMessage, type HistoryPart } from './history.js';
import { detectIntent, isContinueRequest, stripSlowKeyword, wantsSlowReply } from './intents.js';
import type { PdfBudgetOptions } from './pdf-pages.js';
import { ArticleRetriever, type RetrieverOptions } from './retriever.js';
import { newId, sleep, visitorKey } from '../internal/helpers.js';
import { wordChunks } from './word-chunks.js';

export interface LocalBackendOptions {
  /** A folder of Markdown help articles (`*.md`, title from the first `# ` line). */
  articlesDir?: string;
  /** Help articles given directly (used with, or instead of, `articlesDir`). */
  articles?: HelpArticle[];
  /** Pause between streamed words, in ms. Default 20; 0 streams as fast as the consumer reads. */
  delayMs?: number;
  /** Pause between words of the deliberately slow reply ("slow reply please"). Default 100. */
  slowDelayMs?: number;
  /** How long a demo tool "works" before it completes, in ms. Default 600, or 0 when `delayMs` is 0. */
  toolDelayMs?: number;
  /** Where attachments are stored. Default: `ic-support-chat-files` in the OS temp folder. */
  filesDir?: string;
  /**
   * Your product's name, used in the greeting and the no-answer reply ("…in the Acme help
   * articles"). Default none: those replies say "the help articles".
   */
  productName?: string;
  /** Ranking thresholds and BM25 parameters. */
  retrieval?: RetrieverOptions;
  /** Conversations kept in memory (least recently used dropped first). Default 1000. */
  maxThreads?: number;
  /** Messages kept per conversation. Default 50. */
  maxMessagesPerThread?: number;
  /** Approximate bytes of history kept per conversation (oldest messages dropped first). Default 256 KB. */
  maxHistoryBytesPerThread?: number;
  /** Approximate bytes of history kept over all conversations (least recently used dropped first). Default 64 MB. */
  maxHistoryBytes?: number;
  /** Quotas and expiry of the attachment store (defaults: 50 MB and 100 files per visitor, 1 GB in all, 24 h). */
  fileStore?: FileStoreOptions;
  /** What counting the pages of a turn's PDFs may spend (defaults: 8 MB inflated, 100,000 objects, 250 ms). */
  pdfBudget?: PdfBudgetOptions;
  /** Runs remembered for approvals and cancel (oldest dropped first). Default 1000. */
  maxRuns?: number;
  /**
   * Where the help articles are published, e.g. `/help/` (resolved against the request's URL) or
   * `https://example.com/help/`: each answer then cites the articles it drew on as `source.added`
   * links to `{articlesUrl}{slug}`, instead of a "Source: title" line.
   */
  articlesUrl?: string;
  /**
   * The JSONL file each rating of a reply is appended to (`POST /runs/{run_id}/feedback`). Default:
   * `ic-support-chat-feedback.jsonl` in the OS temp folder; `false` keeps none (no feedback offered).
   */
  feedbackFile?: string | false;
  /**
   * The JSONL file each hand-off to a person is appended to, as a ticket with the conversation so
   * far (`POST /handoff`, "Talk to a person", and the approved `open_ticket`). Default none (no
   * hand-off offered): a ticket holds the visitor's email address and conversation, so it is
   * written only where you say.
   */
  handoffFile?: string;
}

/** The local backend, plus read access to its state for tests and tooling. */
export interface LocalBackend extends SupportBackend {
  run(input: RunInput, ctx: TurnContext): AsyncIterable<RunEvent>;
  approve(input: ApprovalInput, ctx: TurnContext): AsyncIterable<RunEvent>;
  cancel(runId: string, ctx: TurnContext): Promise<void>;
  getFile(fileId: string, ctx: TurnContext): Promise<StoredFile | null>;
  /** The stored conversation of one visitor's thread (attachments as `file_ref` parts). */
  history(visitor: Visitor, threadId: string): readonly HistoryMessage[];
  readonly retriever: ArticleRetriever;
  readonly filesDir: string;
  /** The JSONL file feedback goes to, or `null` when feedback is off. */
  readonly feedbackFile: string | null;
  /** The JSONL file hand-offs go to, or `null` when hand-off is off. */
  readonly handoffFile: string | null;
}

interface PendingApproval {
  approval_id: string;
  tool_call_id: string;
  arguments: { subject: string; summary: string };
  decision: 'approve' | 'deny' | null;
  /** The language of the request that asked, for the continuation's display blocks. */
  lang: DisplayLanguage;
}

interface RunRecord {
  owner: string;
  thread_id: string;
  /** Aborted by `cancel()`; replaced when an approval continues the run. */
  controller: AbortController;
  approvals: Map<string, PendingApproval>;
}

function truncate(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

const SLOW_LEAD = 'Here is a deliberately slow reply, so you can try **Stop**.\n\n';

const STATUS_TEXT: Record<string, string> = {
  processing: 'being prepared in our warehouse',
  shipped: 'shipped',
  in_transit: 'in transit',
  out_for_delivery: 'out for delivery today',
  delivered: 'delivered',
  cancelled: 'cancelled',
};

/**
 * An offline support backend: answers from Markdown help articles by BM25 retrieval, streams the
 * answer word by word, and demonstrates a tool call (`lookup_order`, on a fictional order table), an
 * approval (`open_ticket`), cancel, and attachment storage. No network, no API key.
 */
export function createLocalBackend(options: LocalBackendOptions = {}): LocalBackend {
  const articles = [...(options.articlesDir ? loadArticlesFromDir(options.articlesDir) : []), ...(options.articles ?? [])];
  const retriever = new ArticleRetriever(articles, options.retrieval);
  const delayMs = Math.max(0, options.delayMs ?? 20);
  const slowDelayMs = Math.max(0, options.slowDelayMs ?? 100);
  const toolDelayMs = Math.max(0, options.toolDelayMs ?? (delayMs === 0 ? 0 : 600));
  // Trimmed so a blank name reads like none rather than leaving a double space in replies.
  const productName = options.productName?.trim() || undefined;
  const filesDir = options.filesDir ?? join(tmpdir(), 'ic-support-chat-files');
  const files = new FileStore(filesDir, options.fileStore);
  const history = new ConversationHistory({
    ...(options.maxThreads !== undefined ? { maxThreads: options.maxThreads } : {}),
    ...(options.maxMessagesPerThread !== undefined ? { maxMessages: options.maxMessagesPerThread } : {}),
    ...(options.maxHistoryBytesPerThread !== undefined ? { maxThreadBytes: options.maxHistoryBytesPerThread } : {}),
    ...(options.maxHistoryBytes !== undefined ? { maxTotalBytes: options.maxHistoryBytes } : {}),
  });
  const maxRuns = options.maxRuns ?? 1000;
  const articlesUrl = options.articlesUrl;
  const feedbackFile = options.feedbackFile === false ? null : (options.feedbackFile ?? join(tmpdir(), 'ic-support-chat-feedback.jsonl'));
  const handoffFile = options.handoffFile ?? null;
  const runs = new Map<string, RunRecord>();

  function rememberRun(runId: string, record: RunRecord): void {
    runs.set(runId, record);
    while (runs.size > maxRuns) runs.delete(runs.keys().next().value!);
  }

  /** The run, only when it belongs to this visitor: anyone else gets the same 404 as for no run. */
  function ownRun(runId: string, ctx: TurnContext): RunRecord {
    const record = runs.get(runId);
    if (!record || record.owner !== visitorKey(ctx.visitor)) throw new SupportError('not_found', 'No such run.');
    return record;
  }

  /**
   * One streamed segment of a run. `body` yields events; the wrapper adds the closing
   * `run.completed`, turns a cancel into `stop_reason: "cancelled"`, records the assistant's text
   * in the history, and emits nothing more once the client has gone (`ctx.signal`).
   */
  async function* segment(
    runId: string,
    record: RunRecord,
    ctx: TurnContext,
    body: (emit: Emitter) => AsyncGenerator<RunEvent, 'end_turn' | 'awaiting_approval'>,
  ): AsyncGenerator<RunEvent> {
    const signal = AbortSignal.any([ctx.signal, record.controller.signal]);
    const emitter = new Emitter(runId, signal);
    let stopReason: 'end_turn' | 'awaiting_approval' | 'cancelled' = 'end_turn';
    try {
      stopReason = yield* body(emitter);
      if (ctx.signal.aborted) return;
      if (record.controller.signal.aborted) stopReason = 'cancelled';
      yield { type: 'run.completed', v: PROTOCOL_VERSION, run_id: runId, stop_reason: stopReason };
    } finally {
      if (emitter.text) {
        const message: HistoryMessage = { role: 'assistant', content: emitter.text, run_id: runId, ...(emitter.asked ? { asked: emitter.asked } : {}) };
        history.append(record.owner, record.thread_id, message);
      }
    }
  }

  /** Streams a text word by word; stops at once when aborted. */
  class Emitter {
    text = '';
    /** What the reply asked the visitor for, once the question was streamed in full. */
    asked: HistoryMessage['asked'];
    readonly runId: string;
    readonly signal: AbortSignal;
    constructor(runId: string, signal: AbortSignal) {
      this.runId = runId;
      this.signal = signal;
    }

    async *say(text: string, perWordMs = delayMs): AsyncGenerator<RunEvent, void> {
      for (const chunk of wordChunks(text)) {
        if (this.signal.aborted) return;
        this.text += chunk;
        yield { type: 'message.delta', v: PROTOCOL_VERSION, run_id: this.runId, delta: chunk };
        await sleep(perWordMs, this.signal);
      }
    }
  }

  async function* lookupOrderTool(emit: Emitter, rawId: string, lang: DisplayLanguage): AsyncGenerator<RunEvent, void> {
    const orderId = normalizeOrderId(rawId);
    const toolCallId = newId('call');
    const display = lookupOrderDisplay(lang, orderId);
    yield { type: 'tool_call.started', v: PROTOCOL_VERSION, run_id: emit.runId, tool_call_id: toolCallId, name: 'lookup_order', arguments: { order_id: orderId }, display };
    await sleep(toolDelayMs, emit.signal);
    if (emit.signal.aborted) return;
    const order = lookupOrder(orderId);
    if (!order) {
      yield {
        type: 'tool_call.completed',
        v: PROTOCOL_VERSION,
        run_id: emit.runId,
        tool_call_id: toolCallId,
        name: 'lookup_order',
        output: { error: 'order_not_found', message: `No order ${orderId} in the demo store.` },
        is_error: true,
        display,
      };
      yield* emit.say(
        `I couldn't find an order **${orderId}**. Please check the number in your confirmation email ` +
          `(it looks like A-1001 or 12345). If it's correct and still not found, say "open a ticket" and ` +
          `the store team will look into it.\n\n_(This is a demo store: try A-1001, A-1002, A-1003 or 12345.)_\n`,
      );
      return;
    }
    yield { type: 'tool_call.completed', v: PROTOCOL_VERSION, run_id: emit.runId, tool_call_id: toolCallId, name: 'lookup_order', output: order, display };
    const items = order.items.map((i) => `- ${i}`).join('\n');
    let text = `Order **${order.order_id}** is **${STATUS_TEXT[order.status] ?? order.status}**.\n\n${items}\n\n`;
    if (order.carrier && order.tracking_number) text += `Carrier: ${order.carrier}, tracking number \`${order.tracking_number}\`.\n\n`;
    if (order.eta && order.status === 'delivered') text += `It was delivered on ${order.eta}.\n`;
    else if (order.eta) text += `Estimated delivery: **${order.eta}**.\n`;
    else if (order.status === 'cancelled') text += `The order was cancelled, so nothing will be shipped; any payment is refunded within 5–10 business days.\n`;
    yield* emit.say(text);
  }

  /** The ticket's subject and summary from the messages before this one (`earlier`) and this one. */
  function ticketArguments(earlier: readonly HistoryMessage[], currentText: string): { subject: string; summary: string } {
    const userTexts = earlier
      .filter((m) => m.role === 'user')
      .map(messageText)
      .filter((t) => t.trim() && detectIntent(t).kind !== 'open_ticket');
    const current = detectIntent(currentText);
    // "Open a ticket about X" names the subject itself; the earlier questions stay in the summary.
    if (current.kind === 'open_ticket' && current.subject) {
      const earlier = userTexts.length ? ` (earlier: ${userTexts.slice(-3).join(' / ')})` : '';
      return { subject: current.subject, summary: truncate(`Visitor asked for a ticket: ${currentText}${earlier}`, 500) };
    }
    // A ticket requested before any question gets a generic subject rather than "open a ticket".
    if (userTexts.length === 0) {
      return { subject: 'Support request from the help chat', summary: truncate(`Visitor asked for a ticket: ${currentText}`, 500) };
    }
    return { subject: truncate(userTexts.at(-1)!, 80), summary: truncate(`Visitor asked: ${userTexts.slice(-3).join(' / ')}`, 500) };
  }

  /** `source.added` for each article, linked under `articlesUrl` (resolved against the page's request). */
  function* cite(emit: Emitter, cited: readonly HelpArticle[], requestUrl: string): Generator<RunEvent, void> {
    for (const article of cited) {
      const url = new URL(encodeURIComponent(article.slug), new URL(articlesUrl!, requestUrl)).href;
      // The article's first paragraph of prose (not a heading, list or table), as plain text.
      const lead = article.body.split(/\n\s*\n/).find((block) => /^[\p{L}\p{N}*_]/u.test(block.trim()) && !/^\s*(?:[-*+]|\d+[.)])\s/.test(block)) ?? '';
      const snippet = truncate(lead.replace(/[*_`>#[\]|]/g, ''), 160);
      yield { type: 'source.added', v: PROTOCOL_VERSION, run_id: emit.runId, source: { title: article.title, url, ...(snippet ? { snippet } : {}) } };
    }
  }

  /** The whole answer to a question and the articles it cites (the same every time it is asked). */
  function composeFor(text: string, slow: boolean): { text: string; cited: HelpArticle[] } {
    const query = slow ? stripSlowKeyword(text) : text;
    const { matches } = query ? retriever.retrieve(query) : { matches: [] };
    const linked = articlesUrl !== undefined;
    const answer = (cited: HelpArticle[], body: string) => ({ text: slow ? `${SLOW_LEAD}${body}` : body, cited: linked ? cited : [] });
    if (matches.length) return answer(citedArticles(matches), composeAnswer(matches, retriever.sections, { sourceLine: !linked }));
    if (!slow) return { text: composeNoMatch(productName), cited: [] };
    if (!articles.length) return answer([], '');
    const longest = articles.reduce((a, b) => (b.body.length > a.body.length ? b : a));
    return answer([longest], `## ${longest.title}\n\n${longest.body.trim()}\n${linked ? '' : `\nSource: ${longest.title}\n`}`);
  }

  async function* answerQuestion(emit: Emitter, text: string, slow: boolean, requestUrl: string): AsyncGenerator<RunEvent, void> {
    const { text: answer, cited } = composeFor(text, slow);
    yield* cite(emit, cited, requestUrl);
    yield* emit.say(answer, slow ? slowDelayMs : delayMs);
  }

  /**
   * "Continue" after a reply the visitor stopped: the rest of that reply (the answers are
   * deterministic, so what was cut off is known), or all of it if it cannot be matched.
   */
  async function* continueReply(emit: Emitter, earlier: readonly HistoryMessage[], requestUrl: string): AsyncGenerator<RunEvent, void> {
    const lastReply = earlier.findLastIndex((m) => m.role === 'assistant');
    const question = earlier.slice(0, lastReply).findLast((m) => m.role === 'user' && !isContinueRequest(messageText(m)));
    const said = lastReply >= 0 ? messageText(earlier[lastReply]!) : '';
    if (!question) {
      yield* emit.say(`There is nothing to continue yet. Ask me a question about your account, billing or the app.\n`);
      return;
    }
    const asked = messageText(question).trim();
    const slow = wantsSlowReply(asked);
    const { text: answer, cited } = composeFor(asked, slow);
    yield* cite(emit, cited, requestUrl);
    const rest = said && answer.startsWith(said) ? answer.slice(said.length) : answer;
    yield* emit.say(rest.trim() ? rest : 'That was the whole answer.\n', slow ? slowDelayMs : delayMs);
  }

  /**
   * Each thread's turn still running. A browser leaving no longer ends a run (only Stop's cancel
   * does, a moment after the stream closed), so "Continue" sent right after Stop can arrive while the
   * stopped reply is still being cut: the next turn of a thread waits for the one before to record
   * its text (bounded, so a stuck run cannot hold the thread).
   */
  const runningTurns = new Map<string, Promise<void>>();
  const PREVIOUS_TURN_WAIT_MS = 5_000;

  async function* turn(input: RunInput, ctx: TurnContext): AsyncGenerator<RunEvent> {
    const key = `${visitorKey(ctx.visitor)}\u0000${input.thread_id}`;
    const previous = runningTurns.get(key);
    let settle!: () => void;
    const mine = new Promise<void>((resolve) => (settle = resolve));
    runningTurns.set(key, mine);
    try {
      if (previous) {
        const waited = new AbortController();
        await Promise.race([previous, sleep(PREVIOUS_TURN_WAIT_MS, AbortSignal.any([ctx.signal, waited.signal]))]);
        waited.abort();
      }
      yield* turnBody(input, ctx);
    } finally {
      settle();
      if (runningTurns.get(key) === mine) runningTurns.delete(key);
    }
  }

  async function* turnBody(input: RunInput, ctx: TurnContext): AsyncGenerator<RunEvent> {
    const owner = visitorKey(ctx.visitor);
    const lang = displayLanguage(ctx.request.headers.get('accept-language'));
    // Store the attachments before anything else: the history and run.started refer to them. All
    // or none, and a turn over the visitor's quota ends here as an HTTP error.
    const records = await files.putAll(
      owner,
      input.attachments.map((a) => ({ bytes: a.bytes, media_type: a.media_type, ...(a.filename !== undefined ? { filename: a.filename } : {}) })),
    );
    const stored: { record: FileRecord; bytes: Uint8Array }[] = records.map((r, i) => ({ record: r, bytes: input.attachments[i]!.bytes }));
    const runId = newId('run');
    const record: RunRecord = { owner, thread_id: input.thread_id, controller: new AbortController(), approvals: new Map() };
    rememberRun(runId, record);
    const last = input.input.at(-1);
    const content = last?.content ?? '';
    const text = (
      typeof content === 'string'
        ? content
        : content
            .filter((p): p is TextPart => p.type === 'text')
            .map((p) => p.text)
            .join('\n')
    ).trim();
    const byPart = new Map(input.attachments.map((a, i) => [a.part_index, stored[i]!.record]));
    const historyContent: string | HistoryPart[] =
      typeof content === 'string'
        ? content
        : content.flatMap((part, i): HistoryPart[] => {
            const file = byPart.get(i);
            if (file) return [{ type: 'file_ref', file_id: file.file_id, media_type: file.media_type, ...(file.filename !== undefined ? { filename: file.filename } : {}) }];
            return part.type === 'text' ? [part] : [];
          });
    // A copy: the stored list grows with this message. Read for a ticket only when one is asked for,
    // rather than running intent detection over every earlier message on every turn.
    const earlier = history.get(owner, input.thread_id).slice();
    // Only the message right before this one counts: an answer two turns later is a new message.
    const afterOrderQuestion = earlier.at(-1)?.asked === 'order_id';
    history.append(owner, input.thread_id, { role: 'user', content: historyContent, run_id: runId });

    const fileInfos: StoredFileInfo[] = stored.map(({ record: r }) => ({
      file_id: r.file_id,
      ...(r.filename !== undefined ? { filename: r.filename } : {}),
      media_type: r.media_type,
      size: r.size,
    }));
    yield {
      type: 'run.started',
      v: PROTOCOL_VERSION,
      run_id: runId,
      thread_id: input.thread_id,
      ...(fileInfos.length ? { files: fileInfos } : {}),
    };
    if (ctx.signal.aborted) return;

    yield* segment(runId, record, ctx, async function* (emit) {
      if (stored.length) {
        yield* emit.say(await describeAttachments(stored, options.pdfBudget));
        if (!text) {
          yield* emit.say(
            `I'm an offline demo assistant, so I can't read images or documents myself. Tell me what ` +
              `you need help with, or say "open a ticket" and the support team will see the files.\n`,
          );
          return 'end_turn';
        }
      }
      if (isContinueRequest(text)) {
        yield* continueReply(emit, earlier, ctx.request.url);
        return 'end_turn';
      }
      const slow = wantsSlowReply(text);
      const intent = detectIntent(slow ? stripSlowKeyword(text) || text : text, { afterOrderQuestion });
      switch (intent.kind) {
        case 'lookup_order':
          yield* lookupOrderTool(emit, intent.orderId, lang);
          return 'end_turn';
        case 'order_without_id':
          yield* emit.say(`I can look that up. What's the order number? It's in your confirmation email and looks like **A-1001** or **12345**.\n`);
          // A question cut off by Stop was not fully asked, so a bare number next is not its answer.
          if (!emit.signal.aborted) emit.asked = 'order_id';
          return 'end_turn';
        case 'open_ticket': {
          yield* emit.say(`I can open a support ticket with a summary of this conversation. Please approve it below, or deny if you changed your mind.\n`);
          if (emit.signal.aborted) return 'end_turn';
          // Registered only once it is about to be asked: a run stopped before that has nothing to decide.
          const approval: PendingApproval = { approval_id: newId('apr'), tool_call_id: newId('call'), arguments: ticketArguments(earlier, text), decision: null, lang };
          record.approvals.set(approval.approval_id, approval);
          yield {
            type: 'approval.requested',
            v: PROTOCOL_VERSION,
            run_id: runId,
            approval_id: approval.approval_id,
            tool_call_id: approval.tool_call_id,
            name: 'open_ticket',
            arguments: approval.arguments,
            reason: ticketReason(lang),
            display: openTicketDisplay(lang, approval.arguments),
          };
          return 'awaiting_approval';
        }
        case 'greeting':
          if (!slow) {
            yield* emit.say(
              `Hi! I'm the ${productName ? `${productName} ` : ''}help assistant, a demo that answers from the help articles on this server. ` +
                `Ask me things like "how do I reset my password?", try "where is my order A-1001?", ` +
                `say "open a ticket", or ask for a "slow reply" to try **Stop**.\n`,
            );
            return 'end_turn';
          }
          yield* answerQuestion(emit, text, slow, ctx.request.url);
          return 'end_turn';
        case 'question':
          yield* answerQuestion(emit, text, slow, ctx.request.url);
          return 'end_turn';
      }
    });
  }

  async function* continueAfterApproval(runId: string, record: RunRecord, approval: PendingApproval, ctx: TurnContext): AsyncGenerator<RunEvent> {
    yield { type: 'run.started', v: PROTOCOL_VERSION, run_id: runId, thread_id: record.thread_id };
    if (ctx.signal.aborted) return;
    yield* segment(runId, record, ctx, async function* (emit) {
      if (approval.decision === 'deny') {
        yield* emit.say(`OK, no ticket was opened. If you change your mind, just say "open a ticket" again.\n`);
        return 'end_turn';
      }
      // The continuation speaks the language of the request that asked (a decision has no text of its own).
      yield {
        type: 'tool_call.started',
        v: PROTOCOL_VERSION,
        run_id: runId,
        tool_call_id: approval.tool_call_id,
        name: 'open_ticket',
        arguments: approval.arguments,
        display: openTicketDisplay(approval.lang, approval.arguments),
      };
      await sleep(toolDelayMs, emit.signal);
      if (emit.signal.aborted) return 'end_turn';
      // Through the host's hand-off when there is one (the ticket then reaches the same place as
      // "Talk to a person"); the demo's made-up ticket otherwise.
      const handedOff = ctx.handoff ? await ctx.handoff({ thread_id: record.thread_id, message: `${approval.arguments.subject}\n\n${approval.arguments.summary}` }) : null;
      const ticketId = handedOff?.reference ?? `TCK-${randomBytes(4).readUInt32BE(0).toString().padStart(10, '0').slice(-6)}`;
      yield {
        type: 'tool_call.completed',
        v: PROTOCOL_VERSION,
        run_id: runId,
        tool_call_id: approval.tool_call_id,
        name: 'open_ticket',
        output: { ticket_id: ticketId, status: 'open', subject: approval.arguments.subject },
        display: openTicketDisplay(approval.lang, approval.arguments, ticketId),
      };
      const subject = approval.arguments.subject.replace(/[*_`[\]]/g, '');
      yield* emit.say(
        handedOff?.email
          ? `Done: we have your request **${ticketId}** ("${subject}"); the support team will email ${handedOff.email.replace(/[*_`[\]<>]/g, '')}, usually within one business day.\n`
          : handedOff
            ? `Done: we have your request **${ticketId}** ("${subject}"); the support team reads this conversation. Mention the reference if you contact us again.\n`
            : `Done: I opened ticket **${ticketId}** ("${subject}"). The support team replies by email, ` +
              `usually within one business day. Mention the ticket number if you contact us again.\n`,
      );
      return 'end_turn';
    });
  }

  return {
    retriever,
    filesDir,
    feedbackFile,
    ...(feedbackFile
      ? {
          async feedback(input: FeedbackInput, ctx: TurnContext) {
            await appendFeedback(feedbackFile, input, ctx.visitor, runs.get(input.run_id)?.thread_id);
          },
        }
      : {}),
    handoffFile,
    ...(handoffFile
      ? {
          async handoff(record: HandoffRecord, ctx: TurnContext) {
            return { reference: await appendTicket(handoffFile, record, history.get(visitorKey(ctx.visitor), record.thread_id)) };
          },
        }
      : {}),
    // Conversations, runs and the file index live here: the local backend serves one process.
    inMemoryState: ['history', 'runs', 'file index'],

    async session(ctx) {
      if (ctx.visitor.kind === 'user' && ctx.visitor.display_name) return { display_name: ctx.visitor.display_name };
      return undefined;
    },

    run(input, ctx) {
      return turn(input, ctx);
    },

    // Checked before returning the stream, so a refused decision becomes an HTTP error, not a broken stream.
    approve(input, ctx) {
      const record = ownRun(input.run_id, ctx);
      const approval = record.approvals.get(input.approval_id);
      if (!approval) throw new SupportError('not_found', 'No such approval for this run.');
      if (approval.decision !== null) {
        throw new SupportError('not_found', `This approval was already decided (${approval.decision === 'approve' ? 'approved' : 'denied'}); a decision cannot be sent twice.`);
      }
      approval.decision = input.decision;
      record.controller = new AbortController();
      return continueAfterApproval(input.run_id, record, approval, ctx);
    },

    async cancel(runId, ctx) {
      const record = ownRun(runId, ctx);
      record.controller.abort();
      // A cancelled run is over: its pending approval can no longer be decided (approve() says not_found).
      record.approvals.clear();
    },

    async getFile(fileId, ctx) {
      const found = files.get(fileId, visitorKey(ctx.visitor));
      if (!found) return null;
      const { record, bytes } = found;
      return {
        file_id: record.file_id,
        ...(record.filename !== undefined ? { filename: record.filename } : {}),
        media_type: record.media_type,
        size: record.size,
        body: bytes,
      };
    },

    history(visitor, threadId) {
      return history.get(visitorKey(visitor), threadId);
    },

    // Past conversations (`features.threads`): the history read back as text; null once evicted.
    async threadMessages(threadId, ctx) {
      const kept = history.get(visitorKey(ctx.visitor), threadId);
      return kept.length ? kept.map((m) => ({ role: m.role, text: messageText(m), run_id: m.run_id })) : null;
    },

    async deleteThread(threadId, ctx) {
      history.delete(visitorKey(ctx.visitor), threadId);
    },
  };
}
