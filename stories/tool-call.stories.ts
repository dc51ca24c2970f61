import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { DisplayBlock } from '../src/protocol/types.js';
import type { ToolCallMessagePart } from '../src/widget/types.js';

// ---------------------------------------------------------------------------------------------
// <ic-tool-call>

interface ToolCallArgs {
  display?: DisplayBlock;
  name: string;
  status: ToolCallMessagePart['status'];
  arguments: unknown;
  output: unknown;
}

const toolCallMeta: Meta<ToolCallArgs> = {
  title: 'Parts/ic-tool-call',
  component: 'ic-tool-call',
  tags: ['autodocs'],
  args: { name: 'lookup_order', status: 'running', arguments: { order_id: 'A-10482' }, output: undefined },
  argTypes: {
    status: { control: 'inline-radio', options: ['running', 'done', 'error'] },
    arguments: { control: 'object' },
    output: { control: 'object' },
  },
  render: (args) => {
    const call: ToolCallMessagePart = {
      kind: 'tool_call',
      tool_call_id: 'call_1',
      name: args.name,
      arguments: args.arguments,
      status: args.status,
      ...(args.output !== undefined ? { output: args.output } : {}),
      ...(args.display ? { display: args.display } : {}),
    };
    return html`<div style="max-width: 380px"><ic-tool-call .call=${call}></ic-tool-call></div>`;
  },
};
export default toolCallMeta;

type ToolCallStory = StoryObj<ToolCallArgs>;

export const Running: ToolCallStory = {};
export const Done: ToolCallStory = {
  args: { status: 'done', output: { order_id: 'A-10482', status: 'shipped', carrier: 'DHL', eta: '2026-03-14' } },
};
export const Failed: ToolCallStory = { args: { status: 'error', output: { error: 'order_not_found' } } };
export const UnknownTool: ToolCallStory = { args: { name: 'search_docs', status: 'done', arguments: { query: 'export' }, output: ['Exporting notes'] } };

const ORDER: DisplayBlock = { title: 'Looking up order A-10482', title_done: 'Looked up order A-10482', fields: [{ label: 'Order number', value: 'A-10482' }] };
/** The backend's display block: its title while running... */
export const RunningWithDisplayBlock: ToolCallStory = { args: { display: ORDER } };
/** ...and its past-tense title once done; details as a readable list, raw JSON behind "Show details". */
export const DoneWithDisplayBlock: ToolCallStory = { args: { display: ORDER, status: 'done', output: { status: 'shipped', carrier: 'DHL', eta: '2026-03-14' } } };
