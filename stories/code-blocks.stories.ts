import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { Highlighter } from '../src/widget/markdown/highlight.js';
import type { ChatMessage } from '../src/widget/types.js';

interface CodeArgs {
  width: number;
  highlight: boolean;
}

const REPLY = `Run this from the project folder:

\`\`\`ts
// Export one notebook as PDF, then print where the file went (a deliberately long line that scrolls on a phone).
const res = await fetch('https://api.notably.example/v1/exports', { method: 'POST', body: JSON.stringify({ notebook: 'Work', format: 'pdf' }) });
\`\`\`
`;

/** A toy highlighter (keywords, strings, comments), the shape highlight.js or Prism output has. */
const toy: Highlighter = (code) =>
  code
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
    .replace(/(\/\/.*)|('[^']*')|\b(const|await)\b/g, (m, comment, string) =>
      comment ? `<span class="hljs-comment">${m}</span>` : string ? `<span class="hljs-string">${m}</span>` : `<span class="hljs-keyword">${m}</span>`,
    );

/**
 * Code in a reply: the bubble takes the whole row, long lines scroll with a shadow at the hidden side,
 * "Wrap lines" wraps them, and a host's `highlight` hook colours them (`--ic-code-keyword`, …).
 */
const meta: Meta<CodeArgs> = {
  title: 'Parts/Code blocks',
  component: 'ic-message',
  args: { width: 375, highlight: false },
  render: ({ width, highlight }) => {
    const message: ChatMessage = { id: 'm1', role: 'assistant', status: 'complete', created_at: 0, parts: [{ kind: 'text', text: REPLY }] };
    return html`<div style="width: ${width}px; --ic-code-keyword: #8b2fc9; --ic-code-string: #0b6e3a; --ic-code-comment: #5c6370">
      <ic-message .message=${message} .highlight=${highlight ? toy : null}></ic-message>
    </div>`;
  },
};
export default meta;

type Story = StoryObj<CodeArgs>;

/** On a 375 px phone: full-width bubble, scroll shadow on the right. */
export const Phone: Story = {};
/** On a desktop-wide panel. */
export const Desktop: Story = { args: { width: 720 } };
/** With a host highlighter. */
export const Highlighted: Story = { args: { highlight: true } };
