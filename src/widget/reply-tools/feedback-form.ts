/**
 * `<ic-feedback-form>`: after "Not helpful", a few reasons and an optional comment. Its own chunk:
 * only visitors who say an answer did not help load it. Fires `feedback-submit` (not composed: it
 * stays with `<ic-reply-tools>`).
 */
import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { FEEDBACK_LIMITS } from '../../protocol/types.js';
import { en, type ChatStrings } from '../i18n/strings.js';
import { baseStyles, tokens } from '../styles/tokens.styles.js';

export interface FeedbackFormDetail {
  reasons: string[];
  comment: string;
}

/** The reason codes sent, and the string naming each. */
const REASONS = [
  ['incorrect', 'reasonIncorrect'],
  ['unclear', 'reasonUnclear'],
  ['incomplete', 'reasonIncomplete'],
  ['other', 'reasonOther'],
] as const;

/**
 * @tag ic-feedback-form
 * @summary The "Not helpful" reasons and comment (internal to `<ic-reply-tools>`).
 */
export class IcFeedbackForm extends LitElement {
  static override styles = [
    baseStyles,
    css`
      fieldset {
        margin: 4px 0;
        padding: 8px 10px;
        border: 1px solid ${tokens.border};
        border-radius: ${tokens.radiusSmall};
      }
      legend {
        font-weight: 600;
      }
      label {
        display: block;
        margin: 2px 0;
      }
      textarea {
        display: block;
        width: 100%;
        margin: 6px 0;
        font: inherit;
        color: inherit;
        background: ${tokens.surface};
        border: 1px solid ${tokens.controlBorder};
        border-radius: ${tokens.radiusSmall};
      }
      textarea:focus-visible,
      input:focus-visible {
        outline: 2px solid transparent;
        box-shadow: ${tokens.focusRing};
      }
    `,
  ];

  @property({ attribute: false }) strings?: ChatStrings;

  override focus(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  protected override render() {
    const s = this.strings ?? en;
    return html`<form @submit=${this.#submit}>
      <fieldset>
        <legend>${s.feedbackReasons}</legend>
        ${REASONS.map(([code, label]) => html`<label><input type="checkbox" name="reason" value=${code} /> ${s[label]}</label>`)}
        <label for="comment">${s.feedbackComment}</label>
        <textarea id="comment" rows="2" maxlength=${FEEDBACK_LIMITS.max_comment_chars}></textarea>
        <button class="button secondary" type="submit">${s.feedbackSubmit}</button>
      </fieldset>
    </form>`;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const reasons = [...this.renderRoot.querySelectorAll<HTMLInputElement>('input:checked')].map((input) => input.value);
    const comment = this.renderRoot.querySelector('textarea')!.value.trim();
    this.dispatchEvent(submitEvent({ reasons, comment }));
  }
}

// Built outside the class so the manifest analyzer does not list this internal event as public.
function submitEvent(detail: FeedbackFormDetail): CustomEvent<FeedbackFormDetail> {
  return new CustomEvent('feedback-submit', { detail });
}

// Its own chunk, loaded on demand: it registers itself (once, like define.ts).
if (typeof customElements !== 'undefined' && !customElements.get('ic-feedback-form')) customElements.define('ic-feedback-form', IcFeedbackForm);

declare global {
  interface HTMLElementTagNameMap {
    'ic-feedback-form': IcFeedbackForm;
  }
}
