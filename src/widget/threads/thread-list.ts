/**
 * `<ic-thread-list>`: "Previous conversations", shown in the panel in place of the transcript. A
 * list of buttons: each reopens its conversation; beside it, Delete asks to confirm in place
 * (Delete / Cancel), focus moving sensibly each way. Escape or Back closes it. Its own chunk, loaded
 * when the visitor first opens it: the chat's template only holds the hidden element (so its parts
 * are the chat's), and `openThreadList` here shows it and hides the transcript and composer.
 */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ThreadSummary } from '../../protocol/threads.js';
import { formatDateTime } from '../i18n/format.js';
import { en, formatString, type ChatStrings } from '../i18n/strings.js';
import type { ChatStore } from '../state/chat-store.js';
import type { IcSupportChat } from '../support-chat/support-chat.js';
import { baseStyles, tokens } from '../styles/tokens.styles.js';

/**
 * @tag ic-thread-list
 * @summary The list of previous conversations (internal to `<ic-support-chat>`).
 *
 * @csspart back-button - "Back to the conversation".
 * @csspart thread - A previous conversation (a button that reopens it): title and date.
 * @csspart thread-delete-button - "Delete" beside a previous conversation (asks to confirm).
 * @csspart threads-empty - "No previous conversations yet."
 * @csspart threads-loading - "Loading…", while the list is read.
 */
export class IcThreadList extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        padding: ${tokens.space};
      }
      .top {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
      }
      h3 {
        margin: 0;
        font-size: 1.05em;
        outline: none;
      }
      ul {
        list-style: none;
        margin: 8px 0 0;
        padding: 0;
      }
      li {
        display: flex;
        gap: 4px;
        align-items: center;
        flex-wrap: wrap;
        border-bottom: 1px solid ${tokens.border};
        padding: 4px 0;
      }
      .open {
        flex: 1;
        min-width: 0;
        flex-direction: column;
        align-items: flex-start;
        font-weight: 400;
        background: none;
        color: inherit;
        text-align: start;
      }
      .open:hover,
      .icon:hover {
        background: ${tokens.surfaceMuted};
      }
      .title {
        max-width: 100%;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-weight: 600;
      }
      time,
      .empty {
        color: ${tokens.textMuted};
        font-size: 0.9em;
      }
      .icon {
        padding: 0;
        width: 36px;
        background: none;
        color: inherit;
      }
      svg {
        width: 18px;
        height: 18px;
        fill: currentColor;
      }
      p {
        margin: 8px 0;
        flex-basis: 100%;
      }
      /* The live region stays (so its text is announced), taking no room once the list is read. */
      .loading:empty {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) store: ChatStore | null = null;
  @property({ attribute: false }) strings: ChatStrings = en;
  @property() locale = '';
  /** Hides the list again: `reopened` sends focus to the composer, else back to the menu's button. */
  onClose: (reopened: boolean) => void = () => undefined;

  /** `null` while loading. */
  @state() private threads: ThreadSummary[] | null = null;
  @state() private failed = false;
  /** The conversation whose deletion waits for a confirmation. */
  @state() private confirming: string | null = null;

  constructor() {
    super();
    // On the element itself: it goes wherever the element goes, so it needs no removing.
    this.addEventListener('keydown', this.#onKey);
  }

  /** Which `#load` is the latest: an older one that answers late must not replace its result. */
  #loads = 0;

  /**
   * Reads the list again and moves focus to its heading (when it opens). The list shown the last
   * time is cleared first: it may name the conversation now on screen, or one deleted elsewhere,
   * and a visitor must not act on it while the new one loads.
   */
  async show(): Promise<void> {
    this.confirming = null;
    this.threads = null;
    this.failed = false;
    await this.#load();
    await this.updateComplete;
    this.renderRoot.querySelector('h3')?.focus();
  }

  protected override render() {
    const s = this.strings;
    const threads = this.threads;
    return html`<div class="top">
        <h3 id="heading" tabindex="-1">${s.previousConversations}</h3>
        <button part="back-button" class="button secondary" type="button" @click=${() => this.onClose(false)}>${s.backToConversation}</button>
      </div>
      ${this.failed ? html`<p role="alert">${s.previousConversationsFailed}</p>` : nothing}
      <p part="threads-loading" class="empty loading" role="status">${threads || this.failed ? '' : s.loadingConversations}</p>
      ${threads?.length === 0 ? html`<p part="threads-empty" class="empty">${s.noPreviousConversations}</p>` : nothing}
      ${
        threads?.length
          ? html`<ul aria-labelledby="heading">
              ${threads.map((t) => this.#entry(t))}
            </ul>`
          : nothing
      }`;
  }

  #entry(t: ThreadSummary) {
    const s = this.strings;
    const date = formatDateTime(Date.parse(t.updated_at), this.locale);
    const title = t.title || date;
    const deleteLabel = formatString(s.deleteConversation, { title });
    if (this.confirming === t.thread_id) {
      return html`<li>
        <p id="confirm">${formatString(s.confirmDeleteConversation, { title })}</p>
        <button class="button primary" type="button" aria-describedby="confirm" @click=${() => void this.#delete(t.thread_id)}>${s.deleteButton}</button>
        <button class="button secondary cancel" type="button" @click=${() => this.#confirm(null, t.thread_id)}>${s.cancelButton}</button>
      </li>`;
    }
    return html`<li>
      <button part="thread" class="button open" type="button" data-thread=${t.thread_id} @click=${() => void this.#reopen(t.thread_id)}>
        <span class="title">${title}</span><time datetime=${t.updated_at}>${date}</time>
      </button>
      <button
        part="thread-delete-button"
        class="button icon"
        type="button"
        data-delete=${t.thread_id}
        aria-label=${deleteLabel}
        title=${deleteLabel}
        @click=${() => this.#confirm(t.thread_id, t.thread_id)}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M9 3v1H4v2h16V4h-5V3zM6 8v11a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V8zm3 2h2v9H9zm4 0h2v9h-2z" /></svg>
      </button>
    </li>`;
  }

  async #load(): Promise<void> {
    const load = ++this.#loads;
    let threads: ThreadSummary[];
    let failed = false;
    try {
      threads = (await this.store?.previousThreads()) ?? [];
    } catch {
      threads = [];
      failed = true;
    }
    if (load !== this.#loads) return;
    this.threads = threads;
    this.failed = failed;
  }

  /** Asks to confirm the deletion of `id` (or cancels it: `null`), focus following: Cancel, or back to Delete. */
  async #confirm(id: string | null, of: string): Promise<void> {
    this.confirming = id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(id === null ? `[data-delete="${CSS.escape(of)}"]` : '.cancel')?.focus();
  }

  async #delete(id: string): Promise<void> {
    const threads = this.threads ?? [];
    const at = threads.findIndex((t) => t.thread_id === id);
    try {
      await this.store?.deleteThread(id);
    } catch {
      this.failed = true;
      return this.#confirm(null, id);
    }
    this.confirming = null;
    this.failed = false;
    this.threads = threads.filter((t) => t.thread_id !== id);
    await this.updateComplete;
    // Focus on the entry that took its place (or the one before), else the heading.
    const next = this.threads[Math.min(at, this.threads.length - 1)];
    (next ? this.renderRoot.querySelector<HTMLElement>(`[data-thread="${CSS.escape(next.thread_id)}"]`) : this.renderRoot.querySelector('h3'))?.focus();
  }

  async #reopen(id: string): Promise<void> {
    try {
      if (await this.store?.reopenThread(id)) return this.onClose(true);
    } catch {
      // The backend could not give it: said below, nothing changed.
    }
    this.failed = true;
  }

  readonly #onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    // Handled here: a launcher panel must not close as well.
    event.preventDefault();
    event.stopPropagation();
    if (this.confirming) void this.#confirm(null, this.confirming);
    else this.onClose(false);
  };
}

/**
 * Shows "Previous conversations" in `chat`'s panel in place of the transcript and composer (which
 * keep their state), until the visitor reopens one, goes back, or starts a new conversation.
 */
export function openThreadList(chat: IcSupportChat, strings: ChatStrings, locale: string | null): void {
  const root = chat.renderRoot;
  const list = root.querySelector('ic-thread-list');
  const others = [root.querySelector('ic-message-list'), root.querySelector('ic-composer')];
  if (!list || !list.hidden) return void list?.show();
  const setOpen = (open: boolean) => {
    list.hidden = !open;
    for (const other of others) if (other) other.hidden = open;
  };
  const stopWatching = chat.store.on('thread-change', (event) => {
    if (event.detail.reason === 'new-conversation') list.onClose(false);
  });
  Object.assign(list, { store: chat.store, strings, locale: locale ?? '' });
  list.onClose = (reopened) => {
    stopWatching();
    setOpen(false);
    if (reopened) chat.focus();
    else root.querySelector('ic-header-menu')?.shadowRoot?.querySelector('button')?.focus();
  };
  setOpen(true);
  void list.show();
}

if (typeof customElements !== 'undefined' && !customElements.get('ic-thread-list')) customElements.define('ic-thread-list', IcThreadList);

declare global {
  interface HTMLElementTagNameMap {
    'ic-thread-list': IcThreadList;
  }
}
