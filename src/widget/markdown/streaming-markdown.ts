// Streaming Markdown: each finished top-level block is lexed, rendered and sanitised once and never
// touched again; only the unsettled tail (the last two blocks and the space after them) is re-lexed
// and re-rendered, at most once per animation frame. Work per frame is bounded by the tail's size, so
// the total cost grows linearly with the reply. When the run finishes, the DOM equals renderMarkdown().
import type { Token } from 'marked';
import { DEFAULT_LABELS, type DecorateOptions, type MarkdownLabels } from './decorate.js';
import { repairDraft } from './draft-repair.js';
import { morphChildren } from './morph.js';
import { collectDefs, labelKey, lex, renderBlock, type Links } from './render-blocks.js';
import { copyCodeFrom } from './copy-code.js';

export { TRUSTED_TYPES_POLICY_NAME } from './sanitize.js';
export type { MarkdownLabels } from './decorate.js';

export interface MarkdownOptions {
  /** Base URL that relative links and images resolve against; without it they are dropped. */
  baseUrl?: string;
  /** Show images (https only). Default true. */
  images?: boolean;
  /** Texts of the Copy button (English defaults). */
  labels?: Partial<MarkdownLabels>;
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
  return { baseUrl: options.baseUrl, images: options.images !== false, labels: { ...DEFAULT_LABELS, ...options.labels }, draft };
}

/** Renders a whole Markdown text at once: per top-level block, sanitised, as DOM nodes. */
export function renderMarkdown(text: string, options: MarkdownOptions = {}): DocumentFragment {
  const out = document.createDocumentFragment();
  const deco = decorateOptions(options, false);
  for (const token of lex(normalizeNewlines(text))) out.append(renderBlock(token, deco));
  return out;
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** A settled block that may contain a reference link whose definition has not arrived yet. */
interface RefBlock {
  raw: string;
  key: string;
  nodes: ChildNode[];
}

/** How many trailing non-space top-level blocks stay unsettled: a block can still change while the
 * next one is being written (a setext underline, a definition's title on the next line). */
const UNSETTLED_BLOCKS = 2;

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
  private original = '';
  private src = '';
  private pendingCR = false;
  private settled = 0;
  private links: Links = Object.create(null) as Links;
  private refBlocks: RefBlock[] = [];
  private tailNodes: ChildNode[] = [];
  private frame = 0;
  private dirty = false;
  private readonly options: MarkdownOptions;
  private readonly onClick = (event: Event): void => {
    const button = (event.target as Element | null)?.closest?.('button[data-ic-copy]');
    if (button instanceof HTMLButtonElement && this.target.contains(button)) copyCodeFrom(button, { ...DEFAULT_LABELS, ...this.options.labels });
  };

  constructor(
    private readonly target: HTMLElement,
    options: MarkdownOptions = {},
  ) {
    this.options = { ...options };
    target.classList.add('markdown'); // the hook for markdownStyles
    target.addEventListener('click', this.onClick);
  }

  /** The full text received so far. */
  get text(): string {
    return this.original;
  }

  /** Adds a piece of the reply; the screen catches up on the next animation frame. */
  append(delta: string): void {
    if (!delta) return;
    this.original += delta;
    let d = delta;
    if (this.pendingCR && d[0] === '\n') d = d.slice(1); // a CRLF split across two deltas
    this.pendingCR = d.endsWith('\r');
    this.src += normalizeNewlines(d);
    this.dirty = true;
    if (!this.frame) this.frame = requestAnimationFrame(this.onFrame);
  }

  /** Replaces the whole text (a restored message) and renders it at once. */
  setText(text: string): void {
    this.cancelFrame();
    this.original = text;
    this.src = normalizeNewlines(text);
    this.pendingCR = false;
    this.settled = 0;
    this.links = Object.create(null) as Links;
    this.refBlocks = [];
    this.tailNodes = [];
    this.target.replaceChildren();
    this.dirty = true;
    this.finish();
  }

  /** Renders everything now; the DOM then equals a one-shot render of the full text. */
  finish(): void {
    this.cancelFrame();
    this.render(true);
  }

  /** Renders the pending frame now, as the next animation frame would (tests and benchmarks). */
  flushFrame(): void {
    this.cancelFrame();
    this.render(false);
  }

  /** Stops pending work and the Copy listener. */
  destroy(): void {
    this.cancelFrame();
    this.target.removeEventListener('click', this.onClick);
  }

  private readonly onFrame = (): void => {
    this.frame = 0;
    this.render(false);
  };

  private cancelFrame(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private render(final: boolean): void {
    if (!this.dirty && !(final && this.settled < this.src.length)) return;
    const started = performance.now();
    this.dirty = false;
    const tailSrc = this.src.slice(this.settled);
    const tokens = lex(tailSrc, this.links);
    let consumed = 0;
    for (const t of tokens) consumed += t.raw.length;
    const exact = consumed === tailSrc.length;

    let settleCount = 0;
    if (final) settleCount = tokens.length;
    else if (exact) {
      let seen = 0;
      for (let i = tokens.length - 1; i >= 0; i--) {
        if (tokens[i]!.type !== 'space' && ++seen === UNSETTLED_BLOCKS) {
          settleCount = i;
          break;
        }
      }
    }
    const settling = tokens.slice(0, settleCount);
    const rest = tokens.slice(settleCount);

    // Definitions settling now join the settled map (first definition of a label wins).
    const added: string[] = [];
    for (const def of collectDefs(settling)) {
      if (!(def.tag in this.links)) {
        this.links[def.tag] = { href: def.href, title: def.title };
        added.push(def.tag);
      }
    }
    // Labels only defined in the still-open tail may change: settled blocks must not use them yet.
    const tailOnly = Object.keys(tokens.links).filter((tag) => !(tag in this.links)).map(labelKey);

    const finalDeco = decorateOptions(this.options, false);
    const next: ChildNode[] = [];
    const settledBlocks: { raw: string; count: number }[] = [];
    for (const token of settling) {
      let rendered: DocumentFragment;
      if (tailOnly.length && token.raw.includes('[') && tailOnly.some((k) => labelKey(token.raw).includes(k))) {
        rendered = this.renderTokens(lex(token.raw, this.links), finalDeco);
      } else rendered = renderBlock(token, finalDeco);
      const nodes = Array.from(rendered.childNodes);
      next.push(...nodes);
      settledBlocks.push({ raw: token.raw, count: nodes.length });
      this.settled += token.raw.length;
    }
    if (final) this.settled = this.src.length;
    if (!final && rest.length) next.push(...this.renderDraft(rest, tokens.links));

    const live = morphChildren(this.target, next, this.tailNodes, null);
    const refBefore = this.refBlocks.length;
    let at = 0;
    for (const block of settledBlocks) {
      const nodes = live.slice(at, at + block.count);
      at += block.count;
      if (nodes.length && block.raw.includes('[')) this.refBlocks.push({ raw: block.raw, key: labelKey(block.raw), nodes });
    }
    this.tailNodes = live.slice(at);

    if (added.length) this.rerenderReferences(added, refBefore);

    const spent = performance.now() - started;
    this.stats.renders++;
    this.stats.totalMs += spent;
    if (spent > this.stats.maxMs) this.stats.maxMs = spent;
  }

  private renderTokens(tokens: readonly Token[], deco: DecorateOptions): DocumentFragment {
    const out = document.createDocumentFragment();
    for (const token of tokens) out.append(renderBlock(token, deco));
    return out;
  }

  /** The open tail as it should look mid-stream: its last block repaired so it reads as finished. */
  private renderDraft(rest: Token[], links: Links): ChildNode[] {
    const deco = decorateOptions(this.options, true);
    let last = rest.length - 1;
    while (last >= 0 && rest[last]!.type === 'space') last--;
    const out = document.createDocumentFragment();
    for (let i = 0; i < last; i++) out.append(renderBlock(rest[i]!, deco));
    if (last >= 0) {
      const token = rest[last]!;
      // Indented code needs nothing; fenced code only loses a half-typed closing fence.
      const indented = token.type === 'code' && (token as { codeBlockStyle?: string }).codeBlockStyle === 'indented';
      const repaired = indented ? token.raw : repairDraft(token.raw.replace(/\n+$/, ''));
      out.append(this.renderTokens(lex(repaired, links), deco));
    }
    return Array.from(out.childNodes);
  }

  /** A definition just settled: re-render the settled blocks that may refer to it. */
  private rerenderReferences(tags: string[], settledBefore: number): void {
    const keys = tags.map(labelKey);
    const deco = decorateOptions(this.options, false);
    // Blocks settled in this same render already used the new definitions.
    for (let i = 0; i < settledBefore; i++) {
      const block = this.refBlocks[i]!;
      if (!keys.some((k) => block.key.includes(k))) continue;
      const fresh = Array.from(this.renderTokens(lex(block.raw, this.links), deco).childNodes);
      block.nodes = morphChildren(this.target, fresh, block.nodes);
    }
  }
}
