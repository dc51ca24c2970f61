import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

/**
 * Styles for rendered assistant Markdown, adopted by the element that hosts a StreamingMarkdown
 * target (the target gets the `markdown` class). Sized for a chat bubble: modest headings, code and
 * tables that scroll inside the bubble instead of widening it, long words that wrap.
 *
 * @cssprop --ic-text - Text colour.
 * @cssprop --ic-accent - Link and accent colour.
 * @cssprop --ic-code-bg - Background of code blocks and inline code.
 * @cssprop --ic-code-text - Text colour of code.
 * @cssprop --ic-code-keyword - Keywords in code coloured by a `highlight` hook (default: the code's colour, bold).
 * @cssprop --ic-code-string - Strings in highlighted code.
 * @cssprop --ic-code-comment - Comments in highlighted code (italic).
 * @cssprop --ic-border - Border colour of tables, rules and blockquotes.
 * @cssprop --ic-font-mono - Monospace font stack.
 * @cssprop --ic-radius - Corner radius (code blocks use half of it).
 */
export const markdownStyles = css`
  .markdown {
    overflow-wrap: anywhere;
    word-break: normal;
    line-height: 1.5;
    min-width: 0;
    max-width: 100%;
  }
  /* An id isolated in right-to-left text (decorate.ts): one piece, not "A-" here and "10482" below. */
  .markdown bdi {
    white-space: nowrap;
  }
  /* No content-visibility: auto on blocks, though it would make long transcripts cheaper to lay out:
     Chromium leaves the text of skipped (off-screen) blocks out of the accessibility tree, so screen
     readers met earlier replies as empty paragraphs and headings, and tables not at all. Long
     replies group their blocks under layout containment instead (.chunk, below). */
  .markdown > :first-child {
    margin-top: 0;
  }
  .markdown > :last-child,
  .markdown > .chunk:last-child > :last-child {
    margin-bottom: 0;
  }
  /* A group of a long reply's blocks (chunks.ts): one box, laid out again only when it changes. */
  .markdown > .chunk {
    contain: layout;
  }
  .markdown p,
  .markdown ul,
  .markdown ol,
  .markdown blockquote,
  .markdown .code-block,
  .markdown .table-wrap,
  .markdown details,
  .markdown dl {
    margin: 0 0 0.65em;
  }
  /* :is() of type selectors (or of classes, or of same-shape attribute selectors) keeps each one's specificity. */
  .markdown :is(h1, h2, h3, h4, h5, h6) {
    margin: 0.9em 0 0.4em;
    line-height: 1.25;
    font-weight: 650;
  }
  /* Sized by the author's level (headings are nested under the chat's own: see decorate.ts). */
  .markdown .heading-1 {
    font-size: 1.25em;
  }
  .markdown .heading-2 {
    font-size: 1.15em;
  }
  .markdown .heading-3 {
    font-size: 1.05em;
  }
  .markdown :is(.heading-4, .heading-5, .heading-6) {
    font-size: 1em;
  }
  .markdown :is(ul, ol) {
    padding-inline-start: 1.4em;
  }
  .markdown li > p {
    margin: 0.25em 0;
  }
  .markdown li + li {
    margin-top: 0.2em;
  }
  .markdown a {
    color: ${tokens.accent};
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  .markdown a:focus-visible,
  .markdown :is(.table-wrap, .code-action):focus-visible {
    outline: 2px solid ${tokens.accent};
    outline-offset: 2px;
  }
  /* A link whose address is still arriving: looks like a link, is not one yet. */
  .markdown .pending-link {
    color: ${tokens.accent};
    text-decoration: underline dotted;
    text-underline-offset: 0.15em;
    opacity: 0.8;
    cursor: progress;
  }
  .markdown blockquote {
    margin-inline: 0;
    padding: 0.1em 0 0.1em 0.8em;
    border-inline-start: 3px solid ${tokens.border};
    color: ${tokens.textMuted};
  }
  .markdown hr {
    border: 0;
    border-top: 1px solid ${tokens.border};
    margin: 0.9em 0;
  }
  .markdown img {
    max-width: 100%;
    height: auto;
    border-radius: calc(var(--ic-radius, 12px) / 2);
  }
  .markdown :is(code, kbd, samp, pre) {
    font-family: var(--ic-font-mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    font-size: 0.9em;
  }
  .markdown :not(pre) > code {
    background: var(--ic-code-bg, rgba(127, 127, 127, 0.15));
    color: ${tokens.codeText};
    padding: 0.1em 0.35em;
    border-radius: 4px;
  }
  .markdown .code-block {
    background: ${tokens.codeBg};
    color: ${tokens.codeText};
    border-radius: calc(var(--ic-radius, 12px) / 2);
    overflow: hidden;
  }
  .markdown .code-header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5em;
    padding: 0.25em 0.5em 0.25em 0.8em;
    font-size: 0.8em;
    border-bottom: 1px solid var(--ic-border, rgba(127, 127, 127, 0.25));
  }
  .markdown .code-lang {
    flex: 1;
    opacity: 0.8;
    text-transform: lowercase;
  }
  .markdown .code-action {
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid var(--ic-border, rgba(127, 127, 127, 0.4));
    border-radius: 4px;
    padding: 0.15em 0.6em;
    cursor: pointer;
  }
  .markdown .code-action:hover,
  .markdown .code-action[aria-pressed='true'] {
    background: rgba(127, 127, 127, 0.15);
  }
  .markdown .code-action[aria-pressed='true'] {
    border-color: currentColor;
  }
  .markdown pre {
    margin: 0;
    padding: 0.7em 0.8em;
    overflow-x: auto;
    white-space: pre;
    overflow-wrap: normal;
    tab-size: 2;
    /* Code reads left to right in any chat direction. */
    direction: ltr;
    text-align: left;
    /* The scroll affordance: a shadow at each side that still has hidden code (the covers scroll
       with the content and hide the shadow at an end that is reached). */
    background:
      linear-gradient(to right, ${tokens.codeBg} 30%, transparent) left / 2.5em 100% no-repeat local,
      linear-gradient(to left, ${tokens.codeBg} 30%, transparent) right / 2.5em 100% no-repeat local,
      radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, 0.3), transparent) left / 0.9em 100% no-repeat scroll,
      radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, 0.3), transparent) right / 0.9em 100% no-repeat scroll;
    scrollbar-width: thin;
  }
  .markdown .wrapped pre {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  /* A reply with code takes the whole row: a bubble held to 85 % cut each line short on a phone. */
  .bubble:has(.code-block) {
    align-self: stretch;
    max-width: min(100%, 46rem);
  }
  /* Host highlighters' token classes (highlight.js, Prism), coloured through custom properties. */
  .markdown :is(.hljs-keyword, .keyword) {
    color: var(--ic-code-keyword, inherit);
    font-weight: 600;
  }
  .markdown :is(.hljs-string, .string) {
    color: var(--ic-code-string, inherit);
  }
  .markdown :is(.hljs-comment, .comment) {
    color: var(--ic-code-comment, inherit);
    font-style: italic;
  }
  .markdown pre code {
    background: none;
    padding: 0;
    font-size: inherit;
  }
  /* Wide tables scroll inside the bubble instead of stretching it. */
  .markdown .table-wrap {
    overflow-x: auto;
    max-width: 100%;
  }
  .markdown table {
    border-collapse: collapse;
    font-size: 0.95em;
  }
  .markdown :is(th, td) {
    border: 1px solid ${tokens.border};
    padding: 0.3em 0.6em;
    text-align: start;
    overflow-wrap: normal;
  }
  .markdown th {
    font-weight: 600;
    background: var(--ic-code-bg, rgba(127, 127, 127, 0.08));
  }
  .markdown :is(th, td)[align='center'] {
    text-align: center;
  }
  .markdown :is(th, td)[align='right'] {
    text-align: end;
  }
  @media (prefers-reduced-motion: no-preference) {
    .markdown .copy-code {
      transition: background-color 0.15s;
    }
  }
`;
