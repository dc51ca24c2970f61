import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { directive, Directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import type { IcSupportChat } from '../src/widget/support-chat/support-chat.js';
import { MockTransport } from './support/mock-transport.js';

const RESET_PASSWORD = `To reset your password:

1. Open **Settings → Account** in the Notably app.
2. Choose **Reset password**; we email you a link that works for 30 minutes.
3. Pick a new password of at least 12 characters.

If the email does not arrive, check your spam folder or see [Troubleshooting sign-in](https://example.com/help/sign-in).`;

const FALLBACK = `I could not find a help article about that. Would you like me to **open a ticket** so someone from the team gets back to you?`;

interface Args {
  heading: string;
  greeting: string;
  placeholder: string;
  question: string;
}

const meta: Meta<Args> = {
  title: 'Elements/ic-support-chat',
  component: 'ic-support-chat',
  tags: ['autodocs'],
  args: {
    heading: 'Notably support',
    greeting: 'Hi! Ask me anything about Notably — for example, how to reset your password.',
    placeholder: '',
    question: '',
  },
  argTypes: {
    question: { description: 'Sent automatically when the story renders (story only).' },
  },
  render: (args) => {
    // A scripted stream stands in for the backend: no network in Storybook.
    const transport = new MockTransport({ replies: [{ match: 'password', text: RESET_PASSWORD }, { text: FALLBACK }] });
    return html`<div style="height: 560px; max-width: 420px">
      <ic-support-chat
        persist="none"
        heading=${args.heading}
        greeting=${args.greeting}
        placeholder=${args.placeholder}
        .transport=${transport}
        ${askOnRender(args.question)}
      ></ic-support-chat>
    </div>`;
  },
};
export default meta;

type Story = StoryObj<Args>;

/** An empty chat with a greeting: type a question (try "password") and watch the reply stream. */
export const Inline: Story = {};

/** A reply streaming in, word by word, from a scripted stream. */
export const StreamingReply: Story = {
  args: { question: 'How do I reset my password?' },
};

/** Sends `question` once the element is in the page (story helper). */
class AskOnRender extends Directive {
  private asked = false;
  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('askOnRender is an element directive');
  }
  override update(part: ElementPart, [question]: [string]) {
    if (question && !this.asked) {
      this.asked = true;
      const chat = part.element as IcSupportChat;
      // The element may not be upgraded yet while the story's template is being created.
      void customElements
        .whenDefined('ic-support-chat')
        .then(() => chat.updateComplete)
        .then(() => chat.send(question));
    }
    return this.render(question);
  }
  render(_question: string) {
    return undefined;
  }
}
const askOnRender = directive(AskOnRender);
