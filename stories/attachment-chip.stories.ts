import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';

interface ChipArgs {
  name: string;
  'media-type': string;
  size: number;
  'preview-url': string;
  href: string;
  removable: boolean;
  pending: boolean;
  viewable: boolean;
}

// A 16×10 indigo PNG, inline: nothing is fetched.
const THUMBNAIL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAKCAIAAAA7N+mxAAAAGElEQVR4nGPceuEZAymAiSTVoxpGNQwlDQCXiwJSf9jREQAAAABJRU5ErkJggg==';

/** `<ic-attachment-chip>`: a file in the composer's draft (removable) or in a sent message (a link). */
const meta: Meta<ChipArgs> = {
  title: 'Parts/ic-attachment-chip',
  component: 'ic-attachment-chip',
  tags: ['autodocs'],
  args: { name: 'receipt-march.pdf', 'media-type': 'application/pdf', size: 48_213, 'preview-url': '', href: '', removable: true, pending: false, viewable: false },
  render: (args) =>
    html`<ic-attachment-chip
      name=${args.name}
      media-type=${args['media-type']}
      size=${args.size}
      preview-url=${args['preview-url'] || nothing}
      href=${args.href || nothing}
      ?removable=${args.removable}
      ?pending=${args.pending}
      ?viewable=${args.viewable}
      attachment-id="a1"
    ></ic-attachment-chip>`,
};
export default meta;

type Story = StoryObj<ChipArgs>;

/** A PDF in the draft, with Remove. */
export const DraftFile: Story = {};
/** An image in the draft, with its thumbnail. */
export const DraftImage: Story = { args: { name: 'screenshot.png', 'media-type': 'image/png', size: 182_400, 'preview-url': THUMBNAIL } };
/** Still being checked and shrunk ("Preparing…"). */
export const Preparing: Story = { args: { name: 'photo.jpg', 'media-type': 'image/jpeg', pending: true } };
/** Sent: a link to the stored file, no Remove. */
export const Sent: Story = { args: { removable: false, href: '#receipt' } };

/** A sent image: a thumbnail that opens full size in a dialog (Escape closes it). */
export const SentImage: Story = { args: { name: 'error-screenshot.png', 'media-type': 'image/png', size: 137_000, 'preview-url': THUMBNAIL, removable: false, viewable: true } };
