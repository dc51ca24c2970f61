// The render function and story helpers shared by the <ic-support-chat> stories.
import { html, nothing } from 'lit';
import { directive, Directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { StoryContext } from '@storybook/web-components-vite';
import type { IcSupportChat } from '../../src/widget/support-chat/support-chat.js';
import { MockTransport, type ScriptedReply } from './mock-transport.js';
import { SCRIPT } from './scripts.js';

/** Attributes of `<ic-support-chat>` the stories control, plus story-only inputs. */
export interface ChatArgs {
  mode: 'inline' | 'launcher';
  open: boolean;
  theme: 'light' | 'dark' | 'auto';
  lang: string;
  dir: '' | 'ltr' | 'rtl';
  position: 'bottom-end' | 'bottom-start' | 'bottom-right' | 'bottom-left';
  heading: string;
  greeting: string;
  placeholder: string;
  suggestions: string[];
  accept: string;
  'max-files': number | undefined;
  'idle-timeout': number;
  /** Story only: sent once the chat is on the page. */
  question: string;
  /** Story only: files put in the composer's draft (and sent with `question` for `sent`). */
  files: 'none' | 'drafts' | 'refused' | 'sent';
}

/** Story parameters: the scripted replies (default: the full script). */
export interface ChatParameters {
  replies?: ScriptedReply[];
  /** The mock backend takes feedback (Helpful / Not helpful show under finished replies). */
  feedback?: boolean;
  /** The mock backend hands conversations to a person ("Talk to a person" in the menu). */
  handoff?: boolean | 'signed-in';
}

export const chatArgTypes = {
  mode: { control: 'inline-radio', options: ['inline', 'launcher'] },
  open: { control: 'boolean', description: 'Launcher mode: the panel is open.' },
  theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
  lang: { control: 'select', options: ['', 'en', 'fr', 'de', 'es', 'ja', 'ar'], description: 'The language of the built-in strings.' },
  dir: { control: 'inline-radio', options: ['', 'ltr', 'rtl'], description: 'Layout direction (default: from the language).' },
  position: { control: 'select', options: ['bottom-end', 'bottom-start', 'bottom-right', 'bottom-left'] },
  suggestions: { control: 'object' },
  'idle-timeout': { control: 'number' },
  'max-files': { control: 'number' },
  question: { control: 'text', description: 'Story only: sent once the chat is on the page.', table: { category: 'story' } },
  files: {
    control: 'select',
    options: ['none', 'drafts', 'refused', 'sent'],
    description: 'Story only: files in the draft (`sent`: sent with the question).',
    table: { category: 'story' },
  },
} as const;

export const chatArgs: ChatArgs = {
  mode: 'inline',
  open: false,
  theme: 'light',
  lang: '',
  dir: '',
  position: 'bottom-end',
  heading: 'Notably support',
  greeting: 'Hi! Ask me anything about Notably, for example how to reset your password.',
  placeholder: '',
  suggestions: [],
  accept: '',
  'max-files': undefined,
  'idle-timeout': 45_000,
  question: '',
  files: 'none',
};

export function renderChat(args: ChatArgs, context: StoryContext<ChatArgs>) {
  const { replies = SCRIPT, feedback = false, handoff = false } = context.parameters as ChatParameters;
  // A scripted stream stands in for the backend: no network in Storybook.
  const transport = new MockTransport({ replies, feedback, handoff });
  const chat = html`<ic-support-chat
    persist="none"
    mode=${args.mode}
    ?open=${args.open}
    theme=${args.theme}
    lang=${args.lang || nothing}
    dir=${args.dir || nothing}
    position=${args.position}
    heading=${args.heading}
    greeting=${args.greeting}
    placeholder=${args.placeholder}
    accept=${args.accept || nothing}
    max-files=${ifDefined(args['max-files'])}
    idle-timeout=${args['idle-timeout']}
    .suggestions=${args.suggestions}
    .transport=${transport}
    ${whenReady(args.question, args.files)}
  ></ic-support-chat>`;
  const dark = args.theme === 'dark';
  const background = dark ? '#0f1115' : '#ffffff';
  return args.mode === 'launcher'
    ? html`<div style="min-height: 720px; background: ${background}">${chat}</div>`
    : html`<div style="height: 600px; max-width: 440px; padding: 8px; background: ${background}">${chat}</div>`;
}

/** Puts story files in the draft and/or sends the story's question once the element is ready. */
class WhenReady extends Directive {
  private done = false;
  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('whenReady is an element directive');
  }
  override update(part: ElementPart, [question, files]: [string, ChatArgs['files']]) {
    if (!this.done && (question || files !== 'none')) {
      this.done = true;
      const chat = part.element as IcSupportChat;
      // The element may not be upgraded yet while the story's template is being created.
      void customElements
        .whenDefined('ic-support-chat')
        .then(() => chat.updateComplete)
        .then(async () => {
          if (files !== 'none') await chat.store.attachments.add(await storyFiles(files));
          if (files === 'sent') {
            chat.store.setDraft(question);
            await chat.send();
          } else if (question) {
            await chat.send(question);
          }
        });
    }
    return this.render(question, files);
  }
  render(_question: string, _files: ChatArgs['files']) {
    return undefined;
  }
}
export const whenReady = directive(WhenReady);

/** A real PNG (drawn on a canvas) and PDF, or files the draft refuses (wrong type, too large). */
async function storyFiles(kind: ChatArgs['files']): Promise<File[]> {
  const pdf = new File(['%PDF-1.4\n% receipt\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'], 'receipt-march.pdf', { type: 'application/pdf' });
  if (kind === 'refused') {
    const big = new Uint8Array(12 * 1024 * 1024);
    big.set([0x25, 0x50, 0x44, 0x46, 0x2d]); // %PDF-
    return [new File(['just some text'], 'notes.txt', { type: 'text/plain' }), new File([big], 'scan-600dpi.pdf', { type: 'application/pdf' })];
  }
  return [await screenshotPng(), pdf];
}

function screenshotPng(): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 200;
  const g = canvas.getContext('2d');
  if (g) {
    g.fillStyle = '#eef2ff';
    g.fillRect(0, 0, 320, 200);
    g.fillStyle = '#4f46e5';
    g.fillRect(20, 20, 280, 36);
    g.fillStyle = '#c7d2fe';
    for (let y = 76; y < 180; y += 24) g.fillRect(20, y, 200 + (y % 60), 12);
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(new File([blob], 'screenshot.png', { type: 'image/png' })) : reject(new Error('toBlob failed'))), 'image/png'),
  );
}
