import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { en, type ChatStrings } from '../i18n/strings.js';
import { stringsContext } from '../state/store-context.js';
import { baseStyles } from '../styles/tokens.styles.js';
import type { ToolCallMessagePart } from '../types.js';
import { formatValue } from './format-value.js';
import { displayOf, fieldList, fieldStyles, fieldsFor, readableFields } from './readable-fields.js';
import { toolLabel } from './tool-labels.js';
import { toolCallStyles } from './tool-call.styles.js';

/**
 * @tag ic-tool-call
 * @summary A tool the assistant used, inline in its reply: what it does ("Looking up order
 * A-1001", and "Looked up order A-1001" once done, from the backend's display block or a neutral
 * wording), a spinner while it runs, and a collapsible view of its details as a readable list. The
 * raw arguments and result are behind "Show details", as text (pretty-printed JSON), never as HTML.
 *
 * @csspart base - The `<details>` wrapper.
 * @csspart summary - The always-visible line: icon, label and state.
 * @csspart label - What the tool does (present tense while running, past tense once done).
 * @csspart state - "Running" or "Failed" (and "Done" for screen readers).
 * @csspart arguments - The details as labelled lines (the display block's fields, or the arguments).
 * @csspart output - The result as labelled lines.
 * @csspart raw - The raw arguments and result (JSON text), behind "Show details".
 *
 * @cssprop --ic-accent - Spinner and check-mark colour.
 * @cssprop --ic-border - Border of the box.
 * @cssprop --ic-error-text - Colour of the failed state.
 */
export class IcToolCall extends LitElement {
  static override styles = [baseStyles, fieldStyles, toolCallStyles];

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
    const done = call.status === 'done';
    const state = call.status === 'running' ? s.toolRunning : call.status === 'error' ? s.toolFailed : s.toolDone;
    const display = displayOf(call);
    const label = (done ? display?.title_done : display?.title) ?? toolLabel(call.name, s, done);
    const args = formatValue(call.arguments);
    const hasArgs = args !== '' && args !== '{}';
    const hasOutput = call.status !== 'running' && 'output' in call && call.output !== undefined;
    return html`<details part="base" class=${call.status} data-status=${call.status}>
      <summary part="summary">
        <span class="icon" aria-hidden="true"></span>
        <span part="label" class="label" dir="auto">${label}</span>
        <span part="state" class="state ${done ? 'visually-hidden' : ''}">${state}</span>
      </summary>
      <div class="body">
        <div part="arguments">${fieldList(fieldsFor(display, call.arguments))}</div>
        ${hasOutput ? html`<div part="output">${fieldList(readableFields(call.output))}</div>` : nothing}
        ${
          hasArgs || hasOutput
            ? html`<details class="raw">
                <summary>${s.toolShowDetails}</summary>
                <div part="raw">
                  ${
                    hasArgs
                      ? html`<p class="raw-label">${s.toolArguments}</p>
                          <pre dir="ltr" tabindex="0">${args}</pre>`
                      : nothing
                  }
                  ${
                    hasOutput
                      ? html`<p class="raw-label">${s.toolOutput}</p>
                          <pre dir="ltr" tabindex="0">${formatValue(call.output)}</pre>`
                      : nothing
                  }
                </div>
              </details>`
            : html`<p class="state" dir="auto">${call.name}</p>`
        }
      </div>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-tool-call': IcToolCall;
  }
}
