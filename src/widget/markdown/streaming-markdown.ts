// Streaming Markdown: each finished top-level block is lexed and built as DOM once and never
// touched again; only the unsettled tail (the last two blocks and the space after them) is re-lexed
// and re-rendered, at most once per animation frame. Work per frame is bounded by the tail's size, so
// the total cost grows linearly with the reply. When the run finishes, the DOM equals renderMarkdown().
//
// Longer than 400 lines because StreamingMarkdown is one state machine: the settled blocks, the
// unsettled tail, the frame scheduler with its time budgets and late reference definitions all read
// and write the same fields within one frame, so splitting it would only pass that state around. The
// pure parts already live beside it: render-blocks.ts (lex, render), build-dom.ts, draft-repair.ts,
// morph.ts, decorate.ts, copy-code.ts.
import type { Token } from 'marked';
import { DEFAULT_LABELS, type DecorateOptions, type MarkdownLabels } from './decorate.js';
import { repairDraft } from './draft-repair.js';
import { morphChildren } from './morph.js';
import { collectDefs, lex, lexTracking, renderTokens, type Links } from './render-blocks.js';
import { copyCodeFrom, toggleWrap } from './copy-code.js';
import { groupBlocks, placeBlocks, type ChunkCursor } from './chunks.js';
import type { Highlighter } from './highlight.js';

export { TRUSTED_TYPES_POLICY_NAME } from './inert-html.js';
export type { MarkdownLabels } from './decorate.js';

export interface MarkdownOptions {
  /** Base URL that relative links and images resolve against; without it they are dropped. */
  baseUrl?: string;
  /** Show images (https only). Default true. */
  images?: boolean;
  /** Texts of the Copy button and the wrap toggle (English defaults). */
  labels?: Partial<MarkdownLabels>;
  /** Colours code blocks once they are complete (see highlight.ts); read at each render, so it can change. */
  highlight?: () => Highlighter | null | undefined;
  /**
   * Least time (ms) between two renders of the streaming tail. Default 100 (10 updates a second):
   * every render re-renders the open tail and makes the browser restyle, lay out and paint, a cost
   * per frame rather than per character, so a slow stream rendered at 60 fps would cost many times
   * a one-shot render. Catching up on a backlog and completing still use every animation frame.
   * A function is asked at each redraw (`undefined`: the default), e.g. to redraw less often while
   * the reader does not see the reply's end.
   */
  minInterval?: number | (() => number | undefined);
  /**
   * Called right after each render that changed the DOM, in the same frame (before style and
   * layout): a scroller following the reply can scroll now rather than after layout, which would
   * cost the browser another frame of work.
   */
  onRender?: () => void;
}

/** How much rendering work streaming has cost (read by the benchmark). */
export interface StreamingStats {
  /** Frames rendered (including the final flush). */
  renders: number;
  /** Sum of the time spent rendering, in ms. */
  totalMs: number;
  /** The longest single render, in ms. */
  maxMs: number;
}

function decorateOptions(options: MarkdownOptions, draft: boolean): DecorateOptions {
  return { baseUrl: options.baseUrl, images: options.images !== false, labels: { ...DEFAULT_LABELS, ...options.labels }, draft, highlight: options.highlight?.() ?? undefined };
}

/** Renders a whole Markdown text at once, as DOM nodes built from its tokens. */
export function renderMarkdown(text: string, options: MarkdownOptions = {}): DocumentFragment {
  return groupBlocks(renderTokens(lex(normalizeNewlines(text)), decorateOptions(options, false)));
}

/** Exercises every block kind once (lexer, DOM builder, decorations). */
const WARM_UP_TEXT =
  '# A\n\nSome *text*, **bold**, `code` and a [link](https://example.com) [ref].\n\n' +
  '- one\n- two\n\n1. three\n   - four\n\n> quote\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n' +
  '```js\nlet x = 1;\n```\n\n<details><summary>s</summary>d</details>\n\n[ref]: https://example.com "t"\n';

let warmed = false;

/**
 * Renders a small sample once while the page is idle, so the first frame of a streamed reply does
 * not pay for compiling the lexer and the builder (a one-off task of tens of ms in
 * the middle of the stream otherwise). Safe to call often: it runs once per page.
 */
export function prewarmMarkdown(): void {
  if (warmed) return;
  warmed = true;
  const run = (): void => {
    renderMarkdown(WARM_UP_TEXT);
  };
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number }).requestIdleCallback;
  if (idle) idle(run, { timeout: 2000 });
  else setTimeout(run, 200);
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** A settled block with reference links whose definitions had not arrived when it was rendered. */
interface RefBlock {
  raw: string;
  unresolved: Set<string>;
  nodes: ChildNode[];
}

/** Per frame, at most this long is spent re-rendering blocks for definitions that arrived late. */
const REFERENCE_BUDGET_MS = 4;

/** Per frame, settling new blocks stops after this long; a backlog is caught up over later frames. */
const SETTLE_BUDGET_MS = 7;

/** Text lexed at once when catching up: a frame never lexes the whole backlog. */
const WINDOW = 2 * 1024;

/** Default least time between two renders of the streaming tail (see MarkdownOptions.minInterval). */
const MIN_INTERVAL_MS = 100;

/**
 * While streaming, redrawing the tail takes at most about this share of the main thread: after a
 * frame that cost C ms in all (render, style, layout, paint; they grow with the reply's length),
 * the next waits at least C / FRAME_SHARE, but never more than MAX_INTERVAL_MS (so a streaming
 * reply is still redrawn at least 8 times a second). A long reply is redrawn a little less often
 * instead of costing more per character as it grows.
 */
const FRAME_SHARE = 1 / 10;
/** The cost of one streamed frame in this many is measured (see #probeFrameCost). */
const PROBE_EVERY = 4;
const MAX_INTERVAL_MS = 125;

/**
 * A streaming reply not redrawn for this long is `paused` (a class): its caret blinks, as a text
 * caret does when typing stops. Blinking while text arrives cost the browser a frame of its own
 * every few deltas (a new last block makes a new caret, whose animation starts with a frame).
 */
const PAUSE_MS = 1000;

/** A draft shows at most this many blocks (more only while catching up, next frame shows them). */
const DRAFT_BLOCKS = 2;

/** Could this paragraph be the (possibly multi-line) title of the definition before it? */
const TITLE_START = /^[ \t]*["'(]/;

/**
 * How many leading tokens of a freshly lexed tail are final. The last block is never final. The one
 * before it is final once the last block's first line is complete: until then that line may still
 * turn out to continue it (`3` → `3. item` continues an ordered list; `#` → `#tag` is a lazy line of
 * a blockquote). A definition is never final while a title (which marked lets span lines) may follow.
 */
export function settledCount(tokens: readonly Token[]): number {
  const solid: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.type !== 'space') solid.push(i);
  if (solid.length < 2) return 0;
  const last = solid.at(-1)!;
  let end = tokens[last]!.raw.includes('\n') ? last : solid.at(-2)!;
  // marked lets a quoted title run across blank lines, so a definition followed by a block that opens
  // with a quote or parenthesis stays open (rare in practice; it only costs re-lexing).
  for (let k = 0; k + 1 < solid.length && solid[k]! < end; k++) {
    if (tokens[solid[k]!]!.type === 'def' && TITLE_START.test(tokens[solid[k + 1]!]!.raw)) {
      end = solid[k]!;
      break;
    }
  }
  return end;
}

/**
 * Renders a Markdown reply that arrives in pieces into `target`.
 *
 * `append()` only records text and schedules one render per animation frame; `finish()` renders
 * synchronously, after which the target holds exactly what `renderMarkdown(text)` produces.
 * Copy buttons in code blocks work through one delegated click listener on the target.
 */
export class StreamingMarkdown {
  /** Rendering cost so far. */
  readonly stats: StreamingStats = { renders: 0, totalMs: 0, maxMs: 0 };
  #original = '';
  #src = '';
  #pendingCR = false;
  #settled = 0;
  #links: Links = Object.create(null) as Links;
  #refBlocks: RefBlock[] = [];
  /** Settled blocks waiting to be re-rendered because a definition they use has settled. */
  #refQueue = new Set<RefBlock>();
  #tailNodes: ChildNode[] = [];
  /** Where the next settled block goes (the reply itself, then groups: see chunks.ts). */
  #cursor: ChunkCursor;
  /** Offset up to which the text is on screen (settled blocks plus the draft). */
  #draftEnd = 0;
  #completing = false;
  #completion: Promise<void> | undefined;
  #resolveCompletion: (() => void) | undefined;
  #frame = 0;
  /** A render postponed to keep to `minInterval` (a timer, then an animation frame). */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastRender = -Infinity;
  /** What the last streamed frame cost in all (ms), measured by a message posted from it. */
  #frameCost = 0;
  #costProbe: MessageChannel | undefined;
  #probeStart = 0;
  #idleWaiters: (() => void)[] = [];
  #dirty = false;
  /** The target has the `streaming` class (drawn mid-stream, not completed yet). */
  #streamingClass = false;
  readonly #options: MarkdownOptions;
  readonly #onClick = (event: Event): void => {
    const button = (event.target as Element | null)?.closest?.('button[data-ic-copy], button[data-ic-wrap]');
    if (!(button instanceof HTMLButtonElement) || !this.target.contains(button)) return;
    if (button.dataset.icWrap === undefined) copyCodeFrom(button, { ...DEFAULT_LABELS, ...this.#options.labels });
    else toggleWrap(button);
  };

  constructor(
    private readonly target: HTMLElement,
    options: MarkdownOptions = {},
  ) {
    this.#options = { ...options };
    this.#cursor = { parent: target, count: 0 };
    target.classList.add('markdown'); // the hook for markdownStyles
    target.addEventListener('click', this.#onClick);
    // For `npm run bench` (and devtools): the renderer's own frame timings, found from the element.
    Object.defineProperty(target, Symbol.for('ic-support-chat.render-stats'), { value: this.stats, configurable: true });
  }

  /** The full text received so far. */
  get text(): string {
    return this.#original;
  }

  /** Adds a piece of the reply; the screen catches up on the next animation frame. */
  append(delta: string): void {
    if (!delta) return;
    this.#original += delta;
    let d = delta;
    if (this.#pendingCR && d[0] === '\n') d = d.slice(1); // a CRLF split across two deltas
    this.#pendingCR = d.endsWith('\r');
    this.#src += normalizeNewlines(d);
    // Text added after some was drawn: the reply streams (class `streaming` until it completes, a hook
    // for styles). A one-shot render never gets it.
    if (this.stats.renders > 0 && !this.#streamingClass && !this.#completing) this.#setStreamingClass(true);
    this.#dirty = true;
    this.#schedule();
  }

  /**
   * Resolves once the screen shows all the text appended so far (no render pending). Waits for the
   * next renders; it never renders anything itself.
   */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Replaces the whole text (a restored message) and renders it at once. */
  setText(text: string): void {
    this.#cancelFrame();
    this.#original = text;
    this.#src = normalizeNewlines(text);
    this.#pendingCR = false;
    this.#settled = 0;
    this.#links = Object.create(null) as Links;
    this.#refBlocks = [];
    this.#refQueue.clear();
    this.#tailNodes = [];
    this.#cursor = { parent: this.target, count: 0 };
    this.target.replaceChildren();
    this.#dirty = true;
    this.finish();
  }

  /** Renders everything now; the DOM then equals a one-shot render of the full text. */
  finish(): void {
    this.#cancelFrame();
    this.#render(true);
    this.#drainReferences(Infinity);
    if (this.#streamingClass) this.#setStreamingClass(false);
    this.#checkComplete();
  }

  /**
   * Marks the text as complete and renders the rest in bounded frames (no long task even after a
   * burst). Resolves when the DOM equals a one-shot render of the full text. finish() still works
   * at any time and completes synchronously.
   */
  complete(): Promise<void> {
    this.#completing = true;
    this.#dirty = true;
    const done = (this.#completion ??= new Promise<void>((resolve) => (this.#resolveCompletion = resolve)));
    this.#schedule(true);
    return done;
  }

  /** Renders the pending frame now, as the next animation frame would (tests and benchmarks). */
  flushFrame(): void {
    this.#cancelFrame();
    this.#render(false);
  }

  /** Stops pending work and the Copy listener. */
  destroy(): void {
    this.#cancelFrame();
    this.#resolveCompletion?.();
    this.#completion = undefined;
    this.#notifyIdle(true);
    this.target.removeEventListener('click', this.#onClick);
    this.#costProbe?.port1.close();
    this.#costProbe = undefined;
    clearTimeout(this.#pauseTimer);
  }

  readonly #onFrame = (): void => {
    this.#frame = 0;
    if (this.#dirty || this.#completing) {
      const start = performance.now();
      this.#render(false);
      this.#probeFrameCost(start);
    } else {
      this.#drainReferences(performance.now() + REFERENCE_BUDGET_MS);
      this.#checkComplete();
    }
  };

  #cancelFrame(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Measures what the frame that started at `start` costs, style, layout and paint included: a
   * message posted now is delivered once the browser has finished the frame (the task it runs in).
   */
  #probeFrameCost(start: number): void {
    // One frame in PROBE_EVERY: the cost changes slowly with the reply, and each probe is a task.
    if (this.stats.renders % PROBE_EVERY !== 1) return;
    if (!(this.#minInterval() > 0) || typeof MessageChannel === 'undefined') return;
    if (!this.#costProbe) {
      this.#costProbe = new MessageChannel();
      this.#costProbe.port1.onmessage = () => {
        this.#frameCost = performance.now() - this.#probeStart;
      };
    }
    this.#probeStart = start;
    this.#costProbe.port2.postMessage(null);
  }

  #minInterval(): number {
    const option = this.#options.minInterval;
    return (typeof option === 'function' ? option() : option) ?? MIN_INTERVAL_MS;
  }

  /** Requests a render: on the next animation frame, or later to keep to `minInterval` (unless `now`). */
  #schedule(now = false): void {
    if (this.#frame) return;
    const min = this.#minInterval();
    const interval = min > 0 ? Math.max(min, Math.min(MAX_INTERVAL_MS, this.#frameCost / FRAME_SHARE)) : min;
    const wait = now ? 0 : this.#lastRender + interval - performance.now();
    if (wait <= 0) {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#frame = requestAnimationFrame(this.#onFrame);
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (!this.#frame) this.#frame = requestAnimationFrame(this.#onFrame);
      }, wait);
    }
  }

  #isIdle(): boolean {
    return !this.#frame && this.#timer === undefined && !this.#dirty && this.#draftEnd >= this.#src.length && !this.#refQueue.size;
  }

  #notifyIdle(force = false): void {
    if (!this.#idleWaiters.length || (!force && !this.#isIdle())) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #render(final: boolean): void {
    const closing = final || this.#completing;
    if (!this.#dirty && !(closing && this.#settled < this.#src.length) && !this.#refQueue.size) return this.#checkComplete();
    const budgeted = !final;
    const started = performance.now();
    this.#lastRender = started;
    const deadline = budgeted ? started + SETTLE_BUDGET_MS : Infinity;
    this.#dirty = false;
    const finalDeco = decorateOptions(this.#options, false);
    const next: ChildNode[] = [];
    const settledBlocks: { raw: string; count: number; unresolved: Set<string> | null }[] = [];
    const added = new Set<string>();
    let rest: Token[] = [];
    let restLinks: Links = this.#links;
    let atEnd = false;
    let windowSize = WINDOW;

    // Lex a bounded window from the settled offset, as if the stream had only got that far: what
    // is settled in a prefix stays settled in every extension, so windows are as exact as the end.
    for (;;) {
      const windowEnd = budgeted ? Math.min(this.#src.length, this.#settled + windowSize) : this.#src.length;
      atEnd = windowEnd === this.#src.length;
      const windowSrc = this.#src.slice(this.#settled, windowEnd);
      const tracked = lexTracking(windowSrc, this.#links);
      const tokens = tracked.tokens;
      let consumed = 0;
      for (const t of tokens) consumed += t.raw.length;
      // Offsets come from the tokens' raw text; if it ever fails to add up, settle nothing until the end.
      const settleCount = closing && atEnd ? tokens.length : consumed === windowSrc.length ? settledCount(tokens) : 0;
      const labels = Object.keys(tokens.links);
      let i = 0;
      for (; i < settleCount; i++) {
        if (i > 0 && performance.now() > deadline) break;
        const token = tokens[i]!;
        // Definitions settling now join the settled map (the first definition of a label wins).
        for (const def of collectDefs([token])) {
          if (!(def.tag in this.#links)) {
            this.#links[def.tag] = { href: def.href, title: def.title };
            added.add(def.tag);
          }
        }
        // Settled blocks use settled definitions only (one still streaming may change); a block
        // that refers to a label not defined yet is remembered, to re-render when it is defined.
        const recheck = tracked.unresolved.size > 0 || labels.some((tag) => !(tag in this.#links));
        let rendered: DocumentFragment;
        let unresolved: Set<string> | null = null;
        if (recheck && token.raw.includes('[')) {
          const again = lexTracking(token.raw, this.#links);
          rendered = renderTokens(again.tokens, finalDeco);
          if (again.unresolved.size) unresolved = again.unresolved;
        } else rendered = renderTokens([token], finalDeco);
        const nodes = Array.from(rendered.childNodes);
        next.push(...nodes);
        settledBlocks.push({ raw: token.raw, count: nodes.length, unresolved });
        this.#settled += token.raw.length;
      }
      rest = tokens.slice(i);
      restLinks = tokens.links;
      if (!budgeted || atEnd || i < settleCount || performance.now() > deadline) break;
      // A single block larger than the window: look further. Otherwise continue with the next window.
      windowSize = settleCount === 0 ? windowSize * 2 : WINDOW;
    }
    if (closing && atEnd && !rest.length) this.#settled = this.#src.length;
    if (rest.length) next.push(...this.#renderDraft(rest, restLinks, atEnd && !closing));
    else this.#draftEnd = this.#settled;

    // The new settled blocks go where they belong (the reply, its last group, new groups); the
    // draft follows them. The old draft, in the last place, is morphed into what replaces it.
    let settledNodes = 0;
    for (const block of settledBlocks) settledNodes += block.count;
    const groups = placeBlocks(next.slice(0, settledNodes), this.#cursor, this.target.ownerDocument);
    for (let i = settledNodes; i < next.length; i++) groups.at(-1)!.nodes.push(next[i]!);
    const live = morphChildren(groups[0]!.parent, groups[0]!.nodes, this.#tailNodes, null);
    for (const group of groups.slice(1)) {
      group.chunk!.append(...group.nodes);
      this.target.append(group.chunk!);
      live.push(...group.nodes);
    }
    const changed = next.length > 0 || this.#tailNodes.length > 0;
    let at = 0;
    for (const block of settledBlocks) {
      const nodes = live.slice(at, at + block.count);
      at += block.count;
      if (nodes.length && block.unresolved) this.#refBlocks.push({ raw: block.raw, unresolved: block.unresolved, nodes });
    }
    this.#tailNodes = live.slice(at);

    if (added.size) this.#queueReferences(added);
    this.#drainReferences(budgeted ? performance.now() + REFERENCE_BUDGET_MS : Infinity);
    // Still behind the stream (a burst arrived): keep catching up on the next frames.
    if (budgeted && (this.#draftEnd < this.#src.length || (closing && this.#settled < this.#src.length))) {
      this.#dirty = true;
      if (!this.#frame) this.#frame = requestAnimationFrame(this.#onFrame);
    }

    const spent = performance.now() - started;
    if (changed && this.#streamingClass) this.#setPaused(false);
    if (changed) this.#options.onRender?.();
    this.stats.renders++;
    this.stats.totalMs += spent;
    if (spent > this.stats.maxMs) this.stats.maxMs = spent;
    this.#checkComplete();
  }

  #setStreamingClass(on: boolean): void {
    this.#streamingClass = on;
    this.target.classList.toggle('streaming', on);
    if (!on) this.#setPaused(false);
  }

  /** A streaming reply not redrawn for PAUSE_MS gets the `paused` class (its caret blinks then). */
  #pauseTimer: ReturnType<typeof setTimeout> | undefined;
  #paused = false;

  #setPaused(on: boolean): void {
    clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    if (this.#paused !== on) {
      this.#paused = on;
      this.target.classList.toggle('paused', on);
    }
    if (!on && this.#streamingClass) this.#pauseTimer = setTimeout(() => this.#setPaused(true), PAUSE_MS);
  }

  /** Resolves complete() once everything is settled and no re-render is pending. */
  #checkComplete(): void {
    this.#notifyIdle();
    if (this.#streamingClass && (this.#completing || this.#completion) && this.#settled >= this.#src.length && !this.#refQueue.size) this.#setStreamingClass(false);
    if (!this.#completion || this.#settled < this.#src.length || this.#refQueue.size) return;
    const resolve = this.#resolveCompletion;
    this.#completion = undefined;
    this.#resolveCompletion = undefined;
    this.#completing = false;
    resolve?.();
  }

  /** The open tail as it should look mid-stream: its last block repaired so it reads as finished.
   * While catching up on a backlog only the next few blocks are shown (no repair needed there). */
  #renderDraft(rest: Token[], links: Links, atEnd: boolean): ChildNode[] {
    const deco = decorateOptions(this.#options, true);
    let shown = 0;
    let count = 0;
    let end = this.#settled;
    for (const token of rest) {
      if (token.type !== 'space' && shown === DRAFT_BLOCKS) break;
      if (token.type !== 'space') shown++;
      end += token.raw.length;
      count++;
    }
    const complete = count === rest.length && atEnd;
    this.#draftEnd = complete ? this.#src.length : end;
    const tokens = rest.slice(0, count);
    let last = tokens.length - 1;
    while (last >= 0 && tokens[last]!.type === 'space') last--;
    const out = document.createDocumentFragment();
    for (let i = 0; i < last; i++) out.append(renderTokens([tokens[i]!], deco));
    if (last >= 0) {
      const token = tokens[last]!;
      // Indented code needs nothing; fenced code only loses a half-typed closing fence.
      const indented = token.type === 'code' && (token as { codeBlockStyle?: string }).codeBlockStyle === 'indented';
      const raw = token.raw.replace(/\n+$/, '');
      const repaired = indented || !complete ? raw : repairDraft(raw);
      // Most frames need no repair (mid-word, nothing open): reuse the token instead of lexing again.
      out.append(renderTokens(repaired === raw ? [token] : lex(repaired, links), deco));
    }
    return Array.from(out.childNodes);
  }

  /** Definitions just settled: queue the settled blocks that were waiting for them. */
  #queueReferences(tags: Set<string>): void {
    for (const block of this.#refBlocks) {
      if ([...block.unresolved].some((label) => tags.has(label))) this.#refQueue.add(block);
    }
  }

  /** Re-renders queued blocks until `deadline`; the rest waits for the next frame (finish: all). */
  #drainReferences(deadline: number): void {
    if (!this.#refQueue.size) return;
    const deco = decorateOptions(this.#options, false);
    for (const block of this.#refQueue) {
      if (performance.now() > deadline) break;
      this.#refQueue.delete(block);
      const again = lexTracking(block.raw, this.#links);
      const fresh = Array.from(renderTokens(again.tokens, deco).childNodes);
      block.nodes = morphChildren(block.nodes[0]?.parentNode ?? this.target, fresh, block.nodes);
      block.unresolved = again.unresolved;
    }
    this.#refBlocks = this.#refBlocks.filter((b) => b.unresolved.size > 0);
    if (this.#refQueue.size && !this.#frame) this.#frame = requestAnimationFrame(this.#onFrame);
  }
}
