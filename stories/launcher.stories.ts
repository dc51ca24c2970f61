import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { createQuickPanel } from '../src/widget/launcher/quick-panel.js';

interface LauncherArgs {
  label: string;
  'unread-label': string;
  unread: number;
  expanded: boolean;
  position: string;
}

/**
 * `<ic-launcher>` on its own (no Lit): the floating button `<ic-support-chat mode="launcher">`
 * renders. See the ic-support-chat stories for the launcher opening the chat.
 */
const meta: Meta<LauncherArgs> = {
  title: 'Parts/ic-launcher',
  component: 'ic-launcher',
  tags: ['autodocs'],
  args: { label: 'Open support chat', 'unread-label': 'New replies: {count}', unread: 0, expanded: false, position: 'bottom-right' },
  argTypes: { position: { control: 'select', options: ['bottom-right', 'bottom-left'] } },
  parameters: { docs: { story: { inline: false, height: '160px' } } },
  render: (args) =>
    html`<div style="min-height: 140px">
      <ic-launcher label=${args.label} unread-label=${args['unread-label']} unread=${args.unread} position=${args.position} ?expanded=${args.expanded}></ic-launcher>
    </div>`,
};
export default meta;

type Story = StoryObj<LauncherArgs>;

export const Closed: Story = {};
/** Replies arrived while the chat was closed. */
export const UnreadBadge: Story = { args: { unread: 3 } };

/** Hover or focus the button: its name shows beside it. */
export const NameOnFocus: Story = {
  play: ({ canvasElement }) => canvasElement.querySelector('ic-launcher')?.focus(),
};

/**
 * What a click on the lazy entry's launcher shows at once while the full chat loads: the panel's
 * frame, its heading and a focused message box (plain DOM, ~1.8 KB). The full chat takes over the
 * text, caret and focus when it arrives.
 */
export const QuickPanelWhileLoading: Story = {
  parameters: { docs: { story: { inline: false, height: '680px' } } },
  render: () => {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    const quick = createQuickPanel(root, 'en', 'Acme Support', '', 'ltr', 'right', () => {});
    root.append(quick.element);
    return host;
  },
};
