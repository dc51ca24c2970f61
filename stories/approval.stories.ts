import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { DisplayBlock } from '../src/protocol/types.js';
import type { ApprovalMessagePart, ToolCallMessagePart } from '../src/widget/types.js';

interface ApprovalArgs {
  display?: DisplayBlock;
  /** The tool call the approval led to (same id), as the message passes it once the tool ran. */
  call?: ToolCallMessagePart['status'];
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
      ...(args.display ? { display: args.display } : {}),
    };
    const call: ToolCallMessagePart | undefined = args.call ? { kind: 'tool_call', tool_call_id: 'call_1', name: args.name, arguments: {}, status: args.call } : undefined;
    return html`<div style="max-width: 380px"><ic-approval .approval=${approval} .call=${call}></ic-approval></div>`;
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

const TICKET: DisplayBlock = {
  title: 'Open a support ticket',
  title_done: 'Opened a support ticket',
  fields: [
    { label: 'Subject', value: 'Charged twice in March' },
    { label: 'Summary', value: 'Visitor asked: why was I charged twice for order A-1001?' },
  ],
};
/** The backend's display block (title and labelled fields in the visitor's language) instead of the raw arguments. */
export const WithDisplayBlock: Story = { args: { display: TICKET } };
/** Decided and run: one line, past tense, with its result; no separate tool-call row. */
export const ApprovedAndDone: Story = { args: { display: TICKET, status: 'approved', call: 'done' } };
/** The tool failed after approval: the line says so. */
export const ApprovedButFailed: Story = { args: { display: TICKET, status: 'approved', call: 'error' } };
/** Arabic, right to left: the backend wrote the block in Arabic; ids keep their order. */
export const ArabicDisplayBlock: Story = {
  args: {
    display: {
      title: 'فتح تذكرة دعم',
      title_done: 'تم فتح تذكرة دعم',
      fields: [
        { label: 'الموضوع', value: 'أين طلبي A-1001؟' },
        { label: 'الملخص', value: 'Visitor asked about order A-1001' },
      ],
    },
    reason: 'فتح تذكرة يرسل هذه المحادثة إلى فريق الدعم، الذي سيرد عبر البريد الإلكتروني.',
  },
  decorators: [(story) => html`<div dir="rtl" lang="ar">${story()}</div>`],
};
