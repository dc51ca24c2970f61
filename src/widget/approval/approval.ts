import { consume } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApprovalDecision } from '../../protocol/types.js';
import { en, type ChatStrings } from '../i18n/strings.js';
import type { ChatStore } from '../state/chat-store.js';
import { storeContext, stringsContext } from '../state/store-context.js';
import { baseStyles } from '../styles/tokens.styles.js';
import { shortValue } from '../tool-call/format-value.js';
import { toolLabel } from '../tool-call/tool-labels.js';
import type { ApprovalMessagePart } from '../types.js';
import { approvalStyles } from './approval.styles.js';

/** At most this many arguments are listed: the key ones, not a dump. */
const MAX_ARGUMENTS = 6;

/**
 * @tag ic-approval
 * @summary An action the assistant wants to take on the visitor's behalf: what it is (label, key
 * arguments, reason) with "Approve" and "Deny". Once decided it shows the decision ("Approved" /
 * "Denied") and the buttons are gone: a decision is sent once.
 *
 * @csspart base - The box; focused (from script) when the request locks the message box that had focus.
 * @csspart action - The action's label.
 * @csspart arguments - The list of key arguments.
 * @csspart reason - Why the assistant asks.
 * @csspart approve-button - The "Approve" button.
 * @csspart deny-button - The "Deny" button.
 * @csspart decision - The decision once made.
 *
 * @cssprop --ic-accent - The box's accent border and the Approve button.
 * @cssprop --ic-control-border - The box's border.
 */
export class IcApproval extends LitElement {
  static override styles = [baseStyles, approvalStyles];

  /** The approval to show (an `approval` part of a message). */
  @property({ attribute: false }) approval?: ApprovalMessagePart;

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
    const label = toolLabel(approval.name, s);
    const args = keyArguments(approval.arguments);
    const pending = approval.status === 'pending';
    // Focusable from script only (tabindex -1): the chat moves focus here when the request locks the
    // message box that held it; the request is read (with its reason), and Tab goes on to Approve.
    return html`<section part="base" class="box ${approval.status}" tabindex="-1" aria-labelledby="heading action" aria-describedby=${approval.reason ? 'reason' : nothing}>
      <p id="heading" class="heading">${s.approvalHeading}</p>
      <p id="action" part="action" class="action">${label}</p>
      ${
        args.length
          ? html`<dl part="arguments">
              ${args.map(
                ([key, value]) =>
                  html`<dt dir="auto">${key}</dt>
                    <dd dir="auto">${value}</dd>`,
              )}
            </dl>`
          : nothing
      }
      ${approval.reason ? html`<p id="reason" part="reason" class="reason" dir="auto">${approval.reason}</p>` : nothing}
      ${
        pending && !approval.host_decides
          ? html`<div class="actions">
              <button part="approve-button" class="button primary" type="button" aria-disabled=${this.deciding ? 'true' : nothing} @click=${() => this.#decide('approve')}>
                ${s.approve}
              </button>
              <button part="deny-button" class="button secondary" type="button" aria-disabled=${this.deciding ? 'true' : nothing} @click=${() => this.#decide('deny')}>
                ${s.deny}
              </button>
            </div>`
          : html`<p part="decision" class="decision" role="status" tabindex="-1">${decisionText(approval, s)}</p>`
      }
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

function decisionText(approval: ApprovalMessagePart, s: ChatStrings): string {
  switch (approval.status) {
    case 'approved':
      return s.approved;
    case 'denied':
      return s.denied;
    case 'cancelled':
      return s.approvalCancelled;
    default:
      return s.approvalWaitingForHost;
  }
}

/** The arguments worth showing, as `[name, short text]`: top-level fields of an object, in order. */
function keyArguments(value: unknown): [string, string][] {
  if (typeof value !== 'object' || value === null) {
    const text = value === undefined ? '' : shortValue(value);
    return text ? [['', text]] : [];
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i + 1), v] as const) : Object.entries(value);
  return entries
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .slice(0, MAX_ARGUMENTS)
    .map(([k, v]) => [k.replace(/[_-]+/g, ' '), shortValue(v)]);
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-approval': IcApproval;
  }
}
