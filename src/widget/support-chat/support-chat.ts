/**
 * `<ic-support-chat>`: the public element (attributes, methods, events) over the store, the
 * transcript and the composer. Its behaviour lives beside it: focus-controller.ts (focus trap and
 * focus following), locale-controller.ts (language, direction, strings), store-event-bridge.ts (store
 * events → DOM events), live-announcer.ts (the live region). Longer than 400 lines because about half
 * is reference documentation the manifest and README are generated from: the class's `@csspart`,
 * `@cssprop` and `@fires` lists and each documented attribute.
 */
import { provide } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { IcCloseEvent, IcOpenEvent, type IcOpenCloseDetail } from '../events.js';
import { formatString, stringsFor, type ChatStrings } from '../i18n/strings.js';
import { VisualViewportController } from '../launcher/visual-viewport-controller.js';
import { FULL_SCREEN_QUERY, floatingPanelStyles } from '../launcher/panel.styles.js';
import { ScrollLockController } from '../launcher/scroll-lock-controller.js';
import { launcherSide, parseSuggestions, type LauncherPosition, type SupportChatMode } from '../launcher/launcher-options.js';
import type { Theme } from '../styles/theme.js';
import { ChatStore } from '../state/chat-store.js';
import { storeContext, stringsContext } from '../state/store-context.js';
import { StoreController } from '../state/store-controller.js';
import { threadStorageKey } from '../state/thread-id.js';
import { ProtocolV1Transport, type ChatTransport } from '../state/transport.js';
import { LazyAiSdkTransport } from '../transport/lazy-ai-sdk-transport.js';
import { baseStyles, themeStyles } from '../styles/tokens.styles.js';
import { messageText, type ChatMessage, type KeyValueStorage, type PersistMode } from '../types.js';
import type { RetryEventDetail } from '../message/message.js';
import { FocusController } from './focus-controller.js';
import { highlightContext } from '../markdown/highlight-context.js';
import type { Highlighter } from '../markdown/highlight.js';
import { LocaleController } from './locale-controller.js';
import { bridgeStoreEvents } from './store-event-bridge.js';
import { composerParts, headerMenuParts, launcherParts, messageListParts, threadListParts } from '../parts.js';
import { MediaQueryController } from './media-query-controller.js';
import { markdownToPlainText } from './plain-text.js';
import { FileDropController } from '../attachments/file-drop-controller.js';
import { dropTargetStyles } from '../attachments/attachment-ui.styles.js';
import { parseAccept } from '../attachments/accept.js';
import { supportChatStyles } from './support-chat.styles.js';
import { LiveAnnouncer } from './live-announcer.js';
import { prefetchLazyParts } from '../lazy-parts.js';

/**
 * @tag ic-support-chat
 * @summary A support chat that streams the assistant's replies from your backend
 * (protocol v1 at `endpoint`). `mode="inline"` fills its container; `mode="launcher"` is a floating
 * button that opens the chat in a panel (full-screen on narrow or short viewports, zoomed ones included). Themes with `--ic-*`
 * properties, `::part()` and `theme="light|dark|auto"`; localised by `lang` (RTL included).
 *
 * @attribute {string} lang - The language of the built-in strings (`en` and one per file in `src/widget/i18n/locales/`: `fr`, `de`, `es`, `ja`, `ar`, …); default: an ancestor's `lang`, then the page's.
 * @attribute {'ltr' | 'rtl'} dir - Layout direction; default: the language's (right-to-left for Arabic).
 *
 * @slot header - Replaces the heading (the assistant's name) in the header.
 * @slot avatar - An avatar or logo before the assistant's name (e.g. a 32px `<img alt="">`).
 * @slot empty - Shown in the transcript when there are no messages and no greeting.
 *
 * @csspart launcher - Launcher mode: the floating button (`<ic-launcher>`), positioned fixed.
 * @csspart launcher-button - The launcher's `<button>`.
 * @csspart launcher-badge - The launcher's unread-replies badge.
 * @csspart launcher-preview - The start of the newest unread reply, shown beside the launcher.
 * @csspart close-button - Launcher mode: the panel's "Close support chat" button.
 * @csspart suggestions - The group of suggested questions under the greeting.
 * @csspart suggestion - One suggested question (a button that sends it).
 * @csspart restored-notice - "Conversation from DATE" above a conversation restored after a reload.
 * @csspart jump-button - "Jump to latest", shown while the reader is scrolled up.
 * @csspart new-divider - "New" above the first reply that arrived while the chat was closed.
 * @csspart panel - The chat panel (header, transcript, composer); floating in launcher mode.
 * @csspart header - The header: avatar, the assistant's name, the AI disclosure and the menu.
 * @csspart heading - The heading text (the assistant's name).
 * @csspart disclosure - The AI disclosure line under the name ("AI assistant · answers may be wrong").
 * @csspart menu-button - The header's "More actions" menu button.
 * @csspart menu - The header's menu of secondary actions.
 * @csspart new-conversation-button - The menu's "New conversation" item.
 * @csspart handoff-button - The menu's "Talk to a person" item (when the backend announces `features.handoff`).
 * @csspart download-transcript-button - The menu's "Download transcript" item.
 * @csspart previous-conversations-button - The menu's "Previous conversations" item.
 * @csspart thread-list - The list of previous conversations, shown in place of the transcript.
 * @csspart back-button - The list's "Back" button.
 * @csspart thread - A previous conversation in the list (a button that reopens it).
 * @csspart thread-delete-button - "Delete" beside a previous conversation (asks to confirm).
 * @csspart threads-empty - "No previous conversations yet."
 * @csspart threads-loading - "Loading…", while the list of previous conversations is read.
 * @csspart handoff-form - The "Talk to a person" form: email (anonymous visitors), message, Send request.
 * @csspart transcript - The transcript (`<ic-message-list>`).
 * @csspart log - The transcript's scrolling log.
 * @csspart greeting - The greeting shown before the first message.
 * @csspart message - Each message.
 * @csspart bubble - Each message's bubble.
 * @csspart badge - A message's "Stopped" / "Interrupted" badge.
 * @csspart error - The error alert of a failed reply.
 * @csspart retry-button - The "Retry" button.
 * @csspart undelivered - "Not delivered" under a question that got no reply.
 * @csspart typing - The animated dots while a reply's first words are awaited.
 * @csspart tool-call - A tool call shown in a reply (`<ic-tool-call>`).
 * @csspart approval - An approval request shown in a reply (`<ic-approval>`).
 * @csspart attachments - A list of attachment chips (the composer's draft, a sent message's files).
 * @csspart attachment - An attachment chip (`<ic-attachment-chip>`): thumbnail or icon, name, size.
 * @csspart attachment-thumbnail - An image attachment's thumbnail.
 * @csspart attachment-icon - A file attachment's icon.
 * @csspart attachment-name - An attachment's file name.
 * @csspart attachment-size - An attachment's size.
 * @csspart sources - The list of links labelled "Sources" under a reply.
 * @csspart reply-actions - The group of actions under a finished reply.
 * @csspart copy-button - "Copy" (the reply as Markdown).
 * @csspart ask-again-button - "Ask again" under the last finished reply.
 * @csspart continue-button - "Continue" under the last reply, when it was stopped.
 * @csspart helpful-button - "Helpful" (pressed once chosen).
 * @csspart not-helpful-button - "Not helpful" (pressed once chosen); offers reasons and a comment.
 * @csspart feedback-form - The "Not helpful" reasons and comment.
 * @csspart remove-button - A draft attachment's "Remove FILENAME" button.
 * @csspart attach-button - The "Attach files" button.
 * @csspart attachment-error - Why a file was not attached (naming the file and the reason).
 * @csspart drop-target - The overlay shown while files are dragged over the panel.
 * @csspart composer - The composer (`<ic-composer>`).
 * @csspart input - The message text area.
 * @csspart send-button - The "Send" button.
 * @csspart stop-button - The "Stop" button.
 * @csspart notice - Why nothing can be sent right now ("Waiting for connection…", an approval waits).
 *
 * @cssprop --ic-accent - Accent colour: Send button, visitor bubbles, links, launcher, focus ring.
 * @cssprop --ic-accent-hover - Accent colour of a hovered button.
 * @cssprop --ic-accent-contrast - Text and icons on the accent colour (`--ic-on-accent` also works).
 * @cssprop --ic-surface - Panel background.
 * @cssprop --ic-surface-raised - Background of the floating panel (launcher mode).
 * @cssprop --ic-surface-muted - Background of hovered secondary buttons.
 * @cssprop --ic-text - Text colour.
 * @cssprop --ic-text-muted - Secondary text colour (placeholder, badges, notices).
 * @cssprop --ic-border - Border colour of the panel and separators.
 * @cssprop --ic-control-border - Border colour of the text area and secondary buttons.
 * @cssprop --ic-radius - Corner radius of the panel and bubbles.
 * @cssprop --ic-radius-small - Corner radius of buttons and the text area.
 * @cssprop --ic-font-family - Font stack (default: the system UI font; nothing is downloaded).
 * @cssprop --ic-font-mono - Monospace font stack of code in replies.
 * @cssprop --ic-font-size - Base font size.
 * @cssprop --ic-space-s - Small spacing (8px).
 * @cssprop --ic-space-m - Base spacing: padding and gaps (12px; `--ic-space` also works).
 * @cssprop --ic-user-bubble-bg - Background of the visitor's messages (default: the accent; `--ic-user-bubble` also works).
 * @cssprop --ic-user-bubble-text - Text colour of the visitor's messages.
 * @cssprop --ic-assistant-bubble-bg - Background of the assistant's messages (`--ic-assistant-bubble` also works).
 * @cssprop --ic-assistant-bubble-text - Text colour of the assistant's messages.
 * @cssprop --ic-error-text - Text colour of error alerts.
 * @cssprop --ic-error-surface - Background of error alerts.
 * @cssprop --ic-code-bg - Background of code in replies.
 * @cssprop --ic-code-text - Text colour of code in replies.
 * @cssprop --ic-code-keyword - Keywords in code coloured by the `highlight` hook (default: the code's colour, bold).
 * @cssprop --ic-code-string - Strings in highlighted code.
 * @cssprop --ic-code-comment - Comments in highlighted code (italic).
 * @cssprop --ic-focus-ring - Focus indicator (a box-shadow).
 * @cssprop --ic-shadow - Shadow of the floating panel and launcher.
 * @cssprop --ic-z-index - Stacking order of the launcher and floating panel (default 2147483000).
 * @cssprop --ic-panel-width - Width of the floating panel (default 400px).
 * @cssprop --ic-panel-height - Height of the floating panel (default 640px, capped by the viewport).
 * @cssprop --ic-launcher-size - Diameter of the launcher button (default 56px).
 * @cssprop --ic-launcher-radius - Corner radius of the launcher button (default 50%: round).
 * @cssprop --ic-launcher-offset - Distance of the launcher and panel from the viewport's edges (default 20px).
 * @cssprop --ic-badge-bg - Background of the unread badge.
 * @cssprop --ic-badge-text - Text colour of the unread badge.
 *
 * @fires {IcSendEvent} ic-send - Before a turn is sent; cancelable (the text stays in the composer).
 * @fires {IcRunStartEvent} ic-run-start - The backend started a run for the turn.
 * @fires {IcRunCompleteEvent} ic-run-complete - A reply finished or was stopped.
 * @fires {IcThreadChangeEvent} ic-thread-change - The conversation's thread id changed.
 * @fires {IcErrorEvent} ic-error - A turn or `POST /session` failed.
 * @fires {IcOpenEvent} ic-open - Launcher mode: the panel opened (`detail.source` says how).
 * @fires {IcCloseEvent} ic-close - Launcher mode: the panel closed (`detail.source` says how).
 * @fires {IcToolCallEvent} ic-tool-call - The assistant started or finished using a tool.
 * @fires {IcFeedbackEvent} ic-feedback - The visitor rated a reply (Helpful / Not helpful) and the backend saved it.
 * @fires {IcHandoffEvent} ic-handoff - The visitor asked for a person ("Talk to a person") and the backend took the request.
 * @fires {IcApprovalRequestEvent} ic-approval-request - The assistant asks to approve an action; cancelable (the host then decides with `decideApproval()`).
 */
export class IcSupportChat extends LitElement {
  static override styles = [themeStyles, baseStyles, supportChatStyles, floatingPanelStyles, dropTargetStyles];

  /** `inline` fills its container; `launcher` is a floating button that opens the chat in a panel. */
  @property({ reflect: true }) mode: SupportChatMode = 'inline';

  /** Launcher mode: whether the panel is open (the `open` attribute). Use `open()`/`close()` to move focus too. */
  @property({ type: Boolean, reflect: true, attribute: 'open' }) isOpen = false;

  /**
   * Launcher mode: the corner of the button and panel: `bottom-end` (default: bottom right, bottom
   * left in right-to-left layouts), `bottom-start`, `bottom-right` or `bottom-left`.
   */
  @property() position: LauncherPosition = 'bottom-end';

  /** `light` (default), `dark`, or `auto` (follows the visitor's `prefers-color-scheme`). */
  @property({ reflect: true }) theme: Theme = 'light';

  /** Suggested questions shown under the greeting until the first message (a JSON array as an attribute). */
  @property({ converter: { fromAttribute: parseSuggestions } }) suggestions: string[] = [];

  /** Replies that finished while the panel was closed (launcher mode); shown as a badge. */
  @state() private unread = 0;
  /** The start of the newest of them, shown beside the launcher. */
  @state() private preview = '';
  /** The first of those replies: the transcript shows it under a "New" divider on the next open. */
  #firstUnread: string | null = null;

  /** How the next open/close happened (a method or button), so focus follows only deliberate ones. */
  #toggleSource: IcOpenCloseDetail['source'] | null = null;

  /** The backend's protocol v1 base URL, e.g. `/api/support`. */
  @property() endpoint = '';

  /** `v1` (default): the widget's own protocol; `ai-sdk`: a Vercel AI SDK chat route (`toUIMessageStreamResponse()`). */
  @property() protocol: 'v1' | 'ai-sdk' = 'v1';

  /** An explicit conversation thread id; wins over the stored one (and is not stored). */
  @property({ attribute: 'thread-id' }) threadId: string | null = null;

  /** Where the thread id is kept between page loads: `local` (default), `session` or `none`. */
  @property() persist: PersistMode = 'local';

  /** Header text (default from the strings table: "Support"). */
  @property() heading = '';

  /** The assistant's name, shown as the header's title (wins over `heading`). */
  @property({ attribute: 'assistant-name' }) assistantName = '';

  /**
   * The AI disclosure line under the name; default from the strings table ("AI assistant · answers
   * may be wrong"). Telling visitors they talk to an AI is a legal duty in the EU (AI Act, Art. 50).
   */
  @property() disclosure = '';

  /** Hides the AI disclosure line (only where the page itself already says an AI answers). */
  @property({ type: Boolean, attribute: 'hide-disclosure' }) hideDisclosure = false;

  /** Placeholder of the message box. */
  @property() placeholder = '';

  /** A welcome message (plain text) shown before the first message. */
  @property() greeting = '';

  /**
   * How long a reply stream may stay silent (no bytes, not even a `: ping`) before it fails with a
   * timeout and Retry, in milliseconds. `0` never times out.
   */
  @property({ type: Number, attribute: 'idle-timeout' }) idleTimeout = 45_000;

  /**
   * Attachment types accepted, comma-separated (checked against each file's first bytes, not its
   * name). Default `image/png,image/jpeg,image/webp,image/gif,application/pdf`. The backend's limits
   * from `POST /session` override it.
   */
  @property() accept = '';

  /** Largest attachment as sent, in bytes (default 10 MB); `POST /session` limits override it. */
  @property({ type: Number, attribute: 'max-file-size' }) maxFileSize: number | null = null;

  /** Most attachments in one message (default 5); `POST /session` limits override it. */
  @property({ type: Number, attribute: 'max-files' }) maxFiles: number | null = null;

  /** Images with a longer side are downscaled to it before sending, in pixels (default 2048). */
  @property({ type: Number, attribute: 'max-image-dimension' }) maxImageDimension = 2048;

  /** Overrides for single strings of the language's table (e.g. `{send: 'Ask'}`). */
  @property({ attribute: false }) strings: Partial<ChatStrings> = {};

  /** Talks to something other than protocol v1 over HTTP at `endpoint` (mocks, custom backends). */
  @property({ attribute: false }) transport: ChatTransport | null = null;

  /**
   * Colours the code blocks of replies: `(code, language) => html`, e.g. highlight.js or Prism
   * (none ships in the bundle). Its output is parsed inertly, only its text and `<span class>` are
   * kept (as spans the widget builds), and it is dropped unless its text is the code; colours come from `--ic-code-keyword` and its siblings.
   */
  @provide({ context: highlightContext })
  @property({ attribute: false })
  highlight: Highlighter | null = null;

  /** The chat's state; sub-elements get it through context. */
  @provide({ context: storeContext })
  readonly store: ChatStore = new ChatStore();

  @provide({ context: stringsContext })
  @state()
  protected resolvedStrings: ChatStrings = stringsFor(null);

  /** The polite live region: each finished reply, once. */
  readonly #announcer = new LiveAnnouncer(this);
  /** The reply text announced last, so a reply continued after an approval announces only what is new. */
  #announced: { messageId: string; text: string } | null = null;
  readonly #locale = new LocaleController(this);
  readonly #focusControl = new FocusController(this);

  #needsConnect = false;
  readonly #fileDrop: FileDropController;
  /** The breakpoint where the launcher's panel covers the screen (panel.styles.ts) and so is modal. */
  readonly #narrow = new MediaQueryController(this, FULL_SCREEN_QUERY);

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang', 'dir'];
  }

  constructor() {
    super();
    new StoreController(this, () => this.store, { keys: ['status', 'session'] });
    new VisualViewportController(this, () => this.mode === 'launcher' && this.isOpen);
    new ScrollLockController(this, () => this.#isModal());
    // Files dropped anywhere on the open panel join the composer's draft.
    this.#fileDrop = new FileDropController(
      this,
      (files) => void this.store.attachments.add(files),
      () => this.mode !== 'launcher' || this.isOpen,
    );
    // Store events become the element's public DOM events, after what the element does about them.
    bridgeStoreEvents(this.store, this, {
      'run-complete': (event) => {
        const { stopReason, message } = event.detail;
        this.#focusControl.forgetRetry();
        if (this.mode === 'launcher' && !this.isOpen && stopReason !== 'cancelled') {
          this.unread++;
          const text = markdownToPlainText(messageText(message));
          if (text) this.preview = text.length > 120 ? `${text.slice(0, 119)}…` : text;
          this.#firstUnread ??= message.id;
        }
        if (stopReason !== 'cancelled') this.#announceReply(message);
        if (stopReason === 'awaiting_approval') this.#focusControl.followApproval();
      },
      // The request's line joined the transcript, which is not a live region: it is said here.
      // (Only if there is one: a handoff event dispatched on its own, as the API test does, has none.)
      handoff: () => {
        const last = this.store.messages.at(-1);
        if (last) this.#announcer.say(messageText(last));
      },
      error: (event) => {
        if (event.detail.phase === 'run' && event.detail.messageId !== undefined) this.#focusControl.followRetry(event.detail.messageId);
      },
    });
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' || name === 'dir') this.requestUpdate();
  }

  /** The conversation's current thread id (the attribute's, the stored one, or a new one). */
  get currentThreadId(): string | null {
    return this.store.threadId;
  }

  /** Sends `text` (default: what is in the composer). Resolves when the reply ends; `true` if sent. */
  send(text?: string): Promise<boolean> {
    return this.store.send(text);
  }

  /** Stops the reply that is streaming; the partial reply stays, marked stopped. */
  stop(): void {
    this.store.stop();
  }

  /**
   * Decides a pending approval (for hosts that cancelled `ic-approval-request`, or to script it).
   * The continuation streams into the same reply. Resolves `false` if there is no such pending
   * approval: a decision is never sent twice.
   */
  decideApproval(approvalId: string, decision: 'approve' | 'deny'): Promise<boolean> {
    return this.store.decideApproval(approvalId, decision);
  }

  /** Clears the transcript and starts a new thread. */
  newConversation(): void {
    this.#onNewConversation();
  }

  /** Saves the conversation as a Markdown file (attachments named, sources linked). */
  async downloadTranscript(): Promise<void> {
    const { downloadTranscript } = await import('../transcript/transcript-markdown.js');
    downloadTranscript(this.store.messages, this.resolvedStrings, this.assistantName || this.heading || this.resolvedStrings.heading);
  }

  /** Launcher mode: opens the panel and moves focus into the message box. Inline: focuses it. */
  open(): void {
    this.#setOpen(true, 'method');
  }

  /** Launcher mode: closes the panel; focus goes back to the launcher if it was in the panel. */
  close(): void {
    this.#setOpen(false, 'method');
  }

  /** Launcher mode: opens the panel when closed, closes it when open. */
  toggle(): void {
    this.#setOpen(!this.isOpen, 'method');
  }

  /** Moves focus to the message box. */
  override focus(options?: FocusOptions): void {
    this.#part('ic-composer')?.focus(options);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('threadId')) this.store.setExplicitThreadId(this.threadId);
    if (changed.has('idleTimeout')) this.store.setIdleTimeout(this.idleTimeout);
    if (changed.has('accept') || changed.has('maxFileSize') || changed.has('maxFiles') || changed.has('maxImageDimension')) {
      this.store.attachments.configure({
        accept: parseAccept(this.accept),
        ...(this.maxFileSize !== null ? { maxFileBytes: this.maxFileSize } : {}),
        ...(this.maxFiles !== null ? { maxFiles: this.maxFiles } : {}),
        maxImageDimension: this.maxImageDimension,
      });
    }
    if (changed.has('endpoint') || changed.has('persist')) {
      this.store.setPersistence(storageFor(this.persist), threadStorageKey(this.endpoint || 'default'));
    }
    if (changed.has('endpoint') || changed.has('transport') || changed.has('protocol')) {
      const byProtocol = this.protocol === 'ai-sdk' ? new LazyAiSdkTransport(this.endpoint) : new ProtocolV1Transport(this.endpoint, { language: () => this.#locale.language });
      this.store.setTransport(this.transport ?? (this.endpoint ? byProtocol : null));
      this.#needsConnect = true;
    }
    const strings = this.#locale.update(this.strings);
    if (strings !== this.resolvedStrings) {
      this.resolvedStrings = strings;
      // The hand-off form is placed in the panel, not rendered here: it is told the new language.
      const form = this.shadowRoot?.querySelector('ic-handoff-form');
      if (form) form.strings = strings;
    }
    if (changed.has('isOpen') && this.isOpen) [this.unread, this.preview] = [0, ''];
    // Before the panel is hidden: was the visitor in it? (Then focus returns to the launcher.)
    if (changed.has('isOpen') && !this.isOpen) this.#focusControl.panelClosing();
    this.#announcer.place(this.#isModal());
    // Here rather than in updated(): connecting can restore a pending approval, which changes the
    // store at once; changes made before render join this update instead of scheduling another.
    if (this.#needsConnect && this.isConnected) {
      this.#needsConnect = false;
      void this.store.connect();
    }
  }

  /** Also waits for a language table being loaded, and the re-render it causes. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const pending = this.#locale.pending;
    if (!pending) return done;
    await pending;
    return this.getUpdateComplete();
  }

  protected override firstUpdated(): void {
    // The menu's button and keyboard: a chunk of their own, loaded once the chat is on screen.
    void import('../header-menu/header-menu.js');
    // The parts only some conversations show (tool calls, approvals, attachment chips), fetched before they are needed.
    prefetchLazyParts();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('isOpen') && (changed.get('isOpen') !== undefined || this.isOpen)) this.#afterToggle();
  }

  protected override render() {
    const s = this.resolvedStrings;
    const floating = this.mode === 'launcher';
    const modal = this.#isModal();
    const side = launcherSide(this.position, this.#locale.direction);
    const liveRegion = this.#announcer.region(this.#locale.direction);
    return html`${
        floating
          ? html`<ic-launcher
              part="launcher"
              exportparts=${launcherParts}
              label=${s.openChat}
              unread-label=${s.unreadReplies}
              unread=${this.unread}
              preview=${this.preview}
              position=${`bottom-${side}`}
              dir=${this.#locale.direction}
              ?expanded=${this.isOpen}
              ?hidden=${this.isOpen}
              @click=${() => this.#setOpen(true, 'launcher')}
            ></ic-launcher>`
          : nothing
      }
      <div
        part="panel"
        class="panel ${floating ? `floating ${side}${this.#narrow.matches ? ' full-screen' : ''}` : 'inline'}"
        dir=${this.#locale.direction}
        role=${floating ? 'dialog' : nothing}
        aria-label=${floating ? this.heading || s.heading : nothing}
        aria-modal=${modal ? 'true' : nothing}
        ?hidden=${floating && !this.isOpen}
        @keydown=${this.#onPanelKeyDown}
        @input=${this.#onPanelInput}
        @ic-retry=${this.#onRetry /* RETRY_EVENT of ic-message */}
      >
        ${modal ? html`<span class="focus-sentinel" tabindex="0" aria-hidden="true" @focus=${this.#focusControl.wrapToEnd}></span>` : nothing}
        <div part="header" class="header">
          <slot name="avatar"></slot>
          <div class="titles">
            <slot name="header"><h2 part="heading" class="heading">${this.assistantName || this.heading || s.heading}</h2></slot>
            ${this.hideDisclosure ? nothing : html`<p part="disclosure" class="disclosure">${this.disclosure || s.aiDisclosure}</p>`}
          </div>
          <ic-header-menu exportparts=${headerMenuParts} label=${s.moreActions}>
            <button part="new-conversation-button" role="menuitem" tabindex="-1" type="button" @click=${this.#onNewConversation}>${s.newConversation}</button>
            <button
              part="previous-conversations-button"
              role="menuitem"
              tabindex="-1"
              type="button"
              @click=${() => void import('../threads/thread-list.js').then((m) => m.openThreadList(this, s, this.#locale.language))}
            >
              ${s.previousConversations}
            </button>
            ${this.store.takesHandoff ? html`<button part="handoff-button" role="menuitem" tabindex="-1" type="button" @click=${this.#openHandoff}>${s.talkToPerson}</button>` : nothing}
            <button part="download-transcript-button" role="menuitem" tabindex="-1" type="button" @click=${() => void this.downloadTranscript()}>${s.downloadTranscript}</button>
          </ic-header-menu>
          ${
            floating
              ? html`<button part="close-button" class="button icon close" type="button" aria-label=${s.closeChat} @click=${() => this.#setOpen(false, 'close-button')}>
                  <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12 19 6.4 17.6 5 12 10.6z" />
                  </svg>
                </button>`
              : nothing
          }
        </div>
        <ic-thread-list part="thread-list" exportparts=${threadListParts} hidden></ic-thread-list>
        <ic-message-list
          part="transcript"
          exportparts=${messageListParts}
          .store=${this.store}
          .strings=${s}
          .greeting=${this.greeting}
          .suggestions=${this.suggestions}
          .locale=${this.#locale.language}
          @suggestion=${this.#onSuggestion}
        >
          <slot name="empty" slot="empty"></slot>
        </ic-message-list>
        <ic-composer part="composer" exportparts=${composerParts} .store=${this.store} .strings=${s} .placeholder=${this.placeholder}></ic-composer>
        ${this.#fileDrop.active ? html`<div part="drop-target" class="drop-target" aria-hidden="true">${s.dropFiles}</div>` : nothing}
        ${this.#announcer.inPanel ? liveRegion : nothing}
        ${modal ? html`<span class="focus-sentinel" tabindex="0" aria-hidden="true" @focus=${this.#focusControl.wrapToStart}></span>` : nothing}
      </div>
      ${this.#announcer.inPanel ? nothing : liveRegion}`;
  }

  /** A rendered sub-element (a lookup where it is needed, rather than a decorated property each). */
  #part<K extends 'ic-composer' | 'ic-message-list'>(tag: K): HTMLElementTagNameMap[K] | null {
    return this.renderRoot?.querySelector(tag) ?? null;
  }

  /** Launcher mode, open, on a narrow screen: the panel covers the page and is a modal dialog. */
  #isModal(): boolean {
    return this.mode === 'launcher' && this.isOpen && this.#narrow.matches;
  }

  /** Opens or closes the panel (launcher mode) and remembers why, for focus and the event's detail. */
  #setOpen(open: boolean, source: IcOpenCloseDetail['source']): void {
    if (this.mode !== 'launcher') {
      if (open) this.focus();
      return;
    }
    if (open === this.isOpen) {
      if (open) this.focus();
      return;
    }
    this.#toggleSource = source;
    this.isOpen = open;
  }

  /** After the panel opened or closed: announce it, and move focus if a person asked for it. */
  #afterToggle(): void {
    if (this.mode !== 'launcher') return;
    const source = this.#toggleSource ?? 'attribute';
    this.#toggleSource = null;
    if (this.isOpen) {
      if (this.#firstUnread) this.#part('ic-message-list')?.showNew(this.#firstUnread);
      this.#firstUnread = null;
      // Focus goes into the message box, unless the host page opened the chat on its own.
      if (source !== 'attribute') void this.#part('ic-composer')?.updateComplete.then(() => this.focus());
      this.dispatchEvent(new IcOpenEvent({ source }));
    } else {
      // Back to the launcher, but only from inside the panel: never steal focus from the page.
      this.#focusControl.panelClosed();
      this.dispatchEvent(new IcCloseEvent({ source }));
    }
  }

  /**
   * Announces a finished reply: after an approval, only the part not announced before it. A reply
   * that stops for an approval also says so, since the visitor (whose focus may be elsewhere on the
   * page) must act before the chat goes on.
   */
  #announceReply(message: ChatMessage): void {
    const s = this.resolvedStrings;
    const full = messageText(message);
    const previous = this.#announced?.messageId === message.id ? this.#announced.text : '';
    const fresh = previous && full.startsWith(previous) ? full.slice(previous.length) : full;
    this.#announced = { messageId: message.id, text: full };
    const text = markdownToPlainText(fresh);
    const said: string[] = text ? [formatString(s.replyAnnouncement, { text })] : [];
    const pending = message.parts.find((part) => part.kind === 'approval' && part.status === 'pending');
    if (pending?.kind === 'approval') {
      said.push(`${s.approvalHeading}. ${pending.host_decides ? s.approvalWaitingForHost : s.composerLockedForApproval}`);
    }
    if (said.length) this.#announcer.say(said.join(' '));
  }

  /** Retry was pressed: it disappears, so the focus it held goes to the message box. */
  #onRetry(event: CustomEvent<RetryEventDetail>): void {
    this.#focusControl.retryPressed(event.detail.focused);
  }

  /** The visitor typed: they are writing, so a failed retry must not move focus to its Retry. */
  #onPanelInput(): void {
    this.#focusControl.forgetRetry();
  }

  #onPanelKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.mode !== 'launcher' || event.isComposing || event.defaultPrevented) return;
    event.preventDefault();
    this.#setOpen(false, 'escape');
  }

  /** A suggested question was picked: send it and keep focus in the chat (the button goes away). */
  #onSuggestion(event: CustomEvent<{ text: string }>): void {
    event.preventDefault();
    this.focus();
    void this.store.send(event.detail.text);
  }

  /** "Talk to a person": the form (its own chunk) puts itself above the message box. */
  #openHandoff(): Promise<void> {
    return import('../handoff/handoff-form.js').then((m) => m.openHandoffForm(this, this.store, this.resolvedStrings)?.setAttribute('part', 'handoff-form'));
  }

  #onNewConversation(): void {
    this.store.newConversation();
    this.#announcer.clear();
    this.#announced = null;
    this.#focusControl.forgetRetry();
  }
}

/** The Web Storage for a persist mode; `null` when none is wanted or the browser blocks it. */
function storageFor(persist: PersistMode): KeyValueStorage | null {
  try {
    if (persist === 'none') return null;
    return persist === 'session' ? globalThis.sessionStorage : globalThis.localStorage;
  } catch {
    // Accessing storage throws in some sandboxed iframes and with cookies blocked.
    return null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-support-chat': IcSupportChat;
  }
}
