import { consume } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApprovalDecision } from '../../protocol/types.js';
import { en, type ChatStrings } from '../i18n/strings.js';
import type { ChatStore } from '../state/chat-store.js';
import { storeContext, stringsContext } from '../state/store-context.js';
import { baseStyles } from '../styles/tokens.styles.js';
import { displayOf, fieldList, fieldStyles, fieldsFor } from '../tool-call/readable-fields.js';
import { toolLabel } from '../tool-call/tool-labels.js';
import type { ApprovalMessagePart, ToolCallMessagePart } from '../types.js';
import { approvalStyles } from './approval.styles.js';

/**
 * @tag ic-approval
 * @summary An action the assistant wants to take on the visitor's behalf: what it is (the backend's
 * display block, in the visitor's language, or the tool's label and its arguments with readable
 * names), why, and "Approve" and "Deny", nothing else. Once decided it collapses to one line: the
 * action (past tense once the tool ran) and the decision or the tool's result. A decision is sent once.
 *
 * @csspart base - The box; focused (from script) when the request locks the message box that had focus.
 * @csspart action - The action's label.
 * @csspart arguments - The action's details as labelled lines.
 * @csspart reason - Why the assistant asks.
 * @csspart approve-button - The "Approve" button.
 * @csspart deny-button - The "Deny" button.
 * @csspart decision - The one line a decided request collapses to (action and outcome).
 *
 * @cssprop --ic-accent - The box's accent border and the Approve button.
 * @cssprop --ic-control-border - The box's border.
 */
export class IcApproval extends LitElement {
  static override styles = [baseStyles, fieldStyles, approvalStyles];

  /** The approval to show (an `approval` part of a message). */
  @property({ attribute: false }) approval?: ApprovalMessagePart;

  /**
   * The tool call the approval led to (same `tool_call_id`), if it ran: the collapsed line then
   * says how it went, and the message shows no separate row for it.
   */
  @property({ attribute: false }) call?: ToolCallMessagePart;

  /** The store the decision goes to; provided by `<ic-support-chat>` or set directly. */
  @consume({ context: storeContext, subscribe: true })
  @property({ attribute: false })
  store?: ChatStore;

  /** The strings table; provided by `<ic-support-chat>` or set directly. */
  @consume({ context: stringsContext, subscribe: true })
  @property({ attribute: false })
  strings?: ChatStrings;

  /** Set on the first click so a double click cannot send twice before the store re-renders us. */
  @state() private deciding = false;

  /** The visitor decided from the keyboard: focus follows to the decision when the buttons go. */
  #focusDecision = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('approval');
    if (previous && previous.approval_id !== this.approval?.approval_id) this.deciding = false;
  }

  protected override render() {
    const approval = this.approval;
    if (!approval) return nothing;
    const s = this.strings ?? en;
    const display = displayOf(approval);
    const pending = approval.status === 'pending';
    if (!pending) return this.#renderDecided(approval, s);
    const label = display?.title ?? toolLabel(approval.name, s);
    // Focusable from script only (tabindex -1): the chat moves focus here when the request locks the
    // message box that held it; the request is read (with its reason), and Tab goes on to Approve.
    return html`<section part="base" class="box pending" tabindex="-1" aria-labelledby="heading action" aria-describedby=${approval.reason ? 'reason' : nothing}>
      <p id="heading" class="heading">${s.approvalHeading}</p>
      <p id="action" part="action" class="action" dir="auto">${label}</p>
      <div part="arguments">${fieldList(fieldsFor(display, approval.arguments))}</div>
      ${approval.reason ? html`<p id="reason" part="reason" class="reason" dir="auto">${approval.reason}</p>` : nothing}
      ${
        approval.host_decides
          ? html`<p part="decision" class="decision" role="status" tabindex="-1">${s.approvalWaitingForHost}</p>`
          : html`<div class="actions">
              <button part="approve-button" class="button primary" type="button" aria-disabled=${this.deciding ? 'true' : nothing} @click=${() => this.#decide('approve')}>
                ${s.approve}
              </button>
              <button part="deny-button" class="button secondary" type="button" aria-disabled=${this.deciding ? 'true' : nothing} @click=${() => this.#decide('deny')}>
                ${s.deny}
              </button>
            </div>`
      }
    </section>`;
  }

  /** One line: the action (past tense once its tool ran) and how it ended. No heading, no second row. */
  #renderDecided(approval: ApprovalMessagePart, s: ChatStrings) {
    // The call only tells how it went once approved (a denied call may complete as an error: it is "Denied").
    const call = approval.status === 'approved' && this.call?.tool_call_id === approval.tool_call_id ? this.call : undefined;
    const ran = call?.status === 'done';
    const display = (call && displayOf(call)) ?? displayOf(approval);
    const label = ran ? (display?.title_done ?? toolLabel(approval.name, s, true)) : (display?.title ?? toolLabel(approval.name, s));
    const outcome = call?.status === 'error' ? s.toolFailed : call?.status === 'running' ? s.toolRunning : decisionText(approval, s);
    const tone = call?.status === 'error' ? 'failed' : approval.status;
    return html`<section part="base" class="box decided ${tone}" aria-labelledby="line">
      <p id="line" part="decision" class="line" role="status" tabindex="-1">
        <span class="mark" aria-hidden="true"></span>
        <span part="action" class="action" dir="auto">${label}</span>
        <span class="outcome">${outcome}</span>
      </p>
    </section>`;
  }

  /**
   * Moves focus to the request itself, not to Approve: a visitor still typing when it arrives must
   * not approve with their next Space or Enter. Their next Tab reaches Approve.
   */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('[part="base"]')?.focus(options);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.#focusDecision) return;
    const decision = this.renderRoot.querySelector<HTMLElement>('[part="decision"]');
    if (!decision) return;
    this.#focusDecision = false;
    // The focused button is gone: without this, focus falls to <body> and Escape no longer closes the panel.
    decision.focus({ preventScroll: true });
  }

  #decide(decision: ApprovalDecision): void {
    const approval = this.approval;
    if (!approval || this.deciding || approval.status !== 'pending') return;
    // aria-disabled (not disabled) while deciding, so the focused button keeps focus until the decision shows.
    this.#focusDecision = this.renderRoot instanceof ShadowRoot && this.renderRoot.activeElement !== null;
    this.deciding = true;
    void this.store?.decideApproval(approval.approval_id, decision);
  }
}

/** The strings key naming each way an approval ended; any other status is still waiting for the host. */
const DECISION_KEYS = { approved: 'approved', denied: 'denied', cancelled: 'approvalCancelled' } as const;

function decisionText(approval: ApprovalMessagePart, s: ChatStrings): string {
  return s[DECISION_KEYS[approval.status as keyof typeof DECISION_KEYS] ?? 'approvalWaitingForHost'];
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-approval': IcApproval;
  }
}
