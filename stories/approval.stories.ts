import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ApprovalMessagePart } from '../src/widget/types.js';

interface ApprovalArgs {
  name: string;
  status: ApprovalMessagePart['status'];
  arguments: unknown;
  reason: string;
  host_decides: boolean;
}

/** `<ic-approval>` on its own. Inside `<ic-support-chat>` the decision goes to its store. */
const meta: Meta<ApprovalArgs> = {
  title: 'Parts/ic-approval',
  component: 'ic-approval',
  tags: ['autodocs'],
  args: {
    name: 'open_ticket',
    status: 'pending',
    arguments: { subject: 'Charged twice in March', priority: 'normal', email: 'sam@example.com' },
    reason: 'A person from billing will reply by email within one business day.',
    host_decides: false,
  },
  argTypes: {
    status: { control: 'inline-radio', options: ['pending', 'approved', 'denied', 'cancelled'] },
    arguments: { control: 'object' },
  },
  render: (args) => {
    const approval: ApprovalMessagePart = {
      kind: 'approval',
      run_id: 'run_1',
      approval_id: 'appr_1',
      tool_call_id: 'call_1',
      name: args.name,
      arguments: args.arguments,
      status: args.status,
      ...(args.reason ? { reason: args.reason } : {}),
      ...(args.host_decides ? { host_decides: true } : {}),
    };
    return html`<div style="max-width: 380px"><ic-approval .approval=${approval}></ic-approval></div>`;
  },
};
export default meta;

type Story = StoryObj<ApprovalArgs>;

export const Pending: Story = {};
export const Approved: Story = { args: { status: 'approved' } };
export const Denied: Story = { args: { status: 'denied' } };
export const Cancelled: Story = { args: { status: 'cancelled' } };
/** The host page decides (it cancelled `ic-approval-request`): no buttons. */
export const HostDecides: Story = { args: { host_decides: true } };
