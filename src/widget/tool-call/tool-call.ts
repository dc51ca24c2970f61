import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { en, type ChatStrings } from '../i18n/strings.js';
import { stringsContext } from '../state/store-context.js';
import { baseStyles } from '../styles/tokens.styles.js';
import type { ToolCallMessagePart } from '../types.js';
import { formatValue } from './format-value.js';
import { toolLabel } from './tool-labels.js';
import { toolCallStyles } from './tool-call.styles.js';

/**
 * @tag ic-tool-call
 * @summary A tool the assistant used, inline in its reply: a friendly label ("Looking up your
 * order"), a spinner while it runs, its state, and a collapsible view of its arguments and result
 * shown as text (pretty-printed JSON), never as HTML.
 *
 * @csspart base - The `<details>` wrapper.
 * @csspart summary - The always-visible line: icon, label and state.
 * @csspart label - The tool's friendly label.
 * @csspart state - "Running", "Done" or "Failed".
 * @csspart arguments - The arguments, as text.
 * @csspart output - The result, as text.
 *
 * @cssprop --ic-accent - Spinner and check-mark colour.
 * @cssprop --ic-border - Border of the box.
 * @cssprop --ic-error-text - Colour of the failed state.
 */
export class IcToolCall extends LitElement {
  static override styles = [baseStyles, toolCallStyles];

  /** The call to show (a `tool_call` part of a message). */
  @property({ attribute: false }) call?: ToolCallMessagePart;

  /** The strings table; provided by `<ic-support-chat>` or set directly. */
  @consume({ context: stringsContext, subscribe: true })
  @property({ attribute: false })
  strings?: ChatStrings;

  protected override render() {
    const call = this.call;
    if (!call) return nothing;
    const s = this.strings ?? en;
    const state = call.status === 'running' ? s.toolRunning : call.status === 'error' ? s.toolFailed : s.toolDone;
    const args = formatValue(call.arguments);
    const hasArgs = args !== '' && args !== '{}';
    const hasOutput = call.status !== 'running' && 'output' in call && call.output !== undefined;
    return html`<details part="base" class=${call.status} data-status=${call.status}>
      <summary part="summary">
        <span class="icon" aria-hidden="true"></span>
        <span part="label" class="label">${toolLabel(call.name, s)}</span>
        <span part="state" class="state">${state}</span>
      </summary>
      <div class="body">
        ${
          hasArgs
            ? html`<h4>${s.toolArguments}</h4>
                <pre part="arguments" dir="auto">${args}</pre>`
            : nothing
        }
        ${
          hasOutput
            ? html`<h4>${s.toolOutput}</h4>
                <pre part="output" dir="auto">${formatValue(call.output)}</pre>`
            : nothing
        }
        ${!hasArgs && !hasOutput ? html`<p class="state" dir="auto">${call.name}</p>` : nothing}
      </div>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-tool-call': IcToolCall;
  }
}
