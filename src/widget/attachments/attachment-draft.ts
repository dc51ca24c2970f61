/**
 * The files waiting in the composer, DOM-element free: each file is checked by its first bytes and
 * against the limits, shrunk when it is a too-large image, and encoded to a data URL in the
 * background as soon as it is added, so pressing Send never waits on a 20 MB encode. Refused files
 * never enter the draft; they leave a refusal that names the file and says why.
 */
import type { ContentPart, Limits, StoredFileInfo } from '../../protocol/types.js';
import type { AttachmentMeta } from '../types.js';
import { accepts } from './accept.js';
import { attachmentParts } from '../lazy-parts.js';
import { sniffBlob, type AttachmentMediaType } from './sniff.js';

/** The limits the draft enforces. Attributes set them; `POST /session` limits override them. */
export interface AttachmentSettings {
  /** Accepted media types (checked against the file's first bytes); `image/*` wildcards work. */
  accept: readonly string[];
  /** Largest size of one file as sent (after shrinking), in bytes. */
  maxFileBytes: number;
  /** Most files in one message. */
  maxFiles: number;
  /** Images with a longer side are shrunk to it, in pixels. */
  maxImageDimension: number;
}

/** Images and PDFs, 10 MB and 5 files at most, images over 2,048 px downscaled: used until `/session` or attributes say otherwise. */
export const DEFAULT_ATTACHMENT_SETTINGS: Readonly<AttachmentSettings> = Object.freeze({
  accept: Object.freeze(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf']),
  maxFileBytes: 10 * 1024 * 1024,
  maxFiles: 5,
  maxImageDimension: 2048,
});

/** Why a file was not attached. */
export type RefusalReason = 'type' | 'size' | 'count' | 'unreadable';

export interface AttachmentRefusal {
  name: string;
  reason: RefusalReason;
  /** The file's size (`size`). */
  size?: number;
  /** The limit it broke: bytes (`size`) or files (`count`). */
  limit?: number;
  /** What is accepted (`type`). */
  accept?: readonly string[];
}

/** The last thing worth announcing politely about the draft. */
export type DraftNotice = { kind: 'added'; names: readonly string[] } | { kind: 'removed'; name: string };

/** One file in the draft, as the composer shows it. Replaced (never mutated) when it changes. */
export interface DraftAttachment {
  readonly id: string;
  readonly name: string;
  /** Sniffed from the bytes. */
  readonly mediaType: AttachmentMediaType;
  /** `preparing` while it is checked, shrunk and encoded; `ready` to send. */
  readonly status: 'preparing' | 'ready';
  /** The size that will be sent (after shrinking), in bytes. */
  readonly size: number;
  /** The size of the file the visitor picked. */
  readonly originalSize: number;
  /** Pixel size as sent (images). */
  readonly width?: number;
  readonly height?: number;
  /** An object URL for the thumbnail (images); revoked when the file leaves the draft unsent. */
  readonly previewUrl?: string;
}

type Outcome = 'ready' | 'refused' | 'removed';

/** A draft file with what the draft needs internally (the encoded bytes among them). */
export interface PreparedAttachment {
  snapshot: DraftAttachment;
  readonly done: Promise<Outcome>;
  dataUrl?: string;
  removed: boolean;
  /** Sent at least once: its preview is shown in the transcript, so it outlives the draft. */
  sent: boolean;
}

/** What one turn carries, built by `collect()`: the wire parts and the transcript's metadata. */
export interface TakenAttachments {
  readonly entries: readonly PreparedAttachment[];
  readonly parts: ContentPart[];
  readonly metas: AttachmentMeta[];
}

type FileLike = Blob & { readonly name?: string };

let nextId = 0;

/**
 * The files attached to the message being written: checked (type by first bytes, size, count),
 * downscaled and encoded before they are sent, with a refusal for each file that cannot go. Fires
 * `change` whenever the list, the refusals or the notice change.
 */
export class AttachmentDraft extends EventTarget {
  #entries: PreparedAttachment[] = [];
  #_items: readonly DraftAttachment[] = [];
  #_refusals: readonly AttachmentRefusal[] = [];
  #_notice: DraftNotice | null = null;
  #configured: AttachmentSettings = { ...DEFAULT_ATTACHMENT_SETTINGS };
  /** One file is shrunk and encoded at a time, so five big photos do not decode all at once. */
  #queue: Promise<unknown> = Promise.resolve();
  /** `add` calls still sniffing their files (before the files join the draft). */
  readonly #adding = new Set<Promise<void>>();
  /** Previews of sent files by message id, for the transcript's thumbnails (never persisted). */
  readonly #sentPreviews = new Map<string, readonly (string | undefined)[]>();

  /** `sessionLimits` returns the backend's limits once `POST /session` answered. */
  constructor(private readonly sessionLimits: () => Limits | null = () => null) {
    super();
  }

  /** Sets the limits from the element's attributes (unset ones keep their defaults). */
  configure(settings: Partial<AttachmentSettings>): void {
    const next = { ...DEFAULT_ATTACHMENT_SETTINGS };
    if (settings.accept?.length) next.accept = settings.accept;
    if (positive(settings.maxFileBytes)) next.maxFileBytes = settings.maxFileBytes;
    if (positive(settings.maxFiles)) next.maxFiles = Math.floor(settings.maxFiles);
    if (positive(settings.maxImageDimension)) next.maxImageDimension = Math.floor(settings.maxImageDimension);
    this.#configured = next;
    this.#changed();
  }

  /** The limits in force: the backend's (from `POST /session`) where it gave them, else the attributes'. */
  get settings(): AttachmentSettings {
    const limits = this.sessionLimits();
    return {
      accept: limits?.accept?.length ? limits.accept : this.#configured.accept,
      maxFileBytes: positive(limits?.max_file_bytes) ? limits.max_file_bytes : this.#configured.maxFileBytes,
      maxFiles: positive(limits?.max_files) ? limits.max_files : this.#configured.maxFiles,
      maxImageDimension: this.#configured.maxImageDimension,
    };
  }

  /** The accepted files, in the order they were added. */
  get items(): readonly DraftAttachment[] {
    return this.#_items;
  }
  /** Files refused since the last change, with the reason each was refused. */
  get refusals(): readonly AttachmentRefusal[] {
    return this.#_refusals;
  }
  /** What was last added or removed, for the live announcement (`Attached: …`, `Removed …`). */
  get notice(): DraftNotice | null {
    return this.#_notice;
  }
  /** True while a file is still being checked, shrunk or encoded. */
  get preparing(): boolean {
    return this.#adding.size > 0 || this.#_items.some((i) => i.status === 'preparing');
  }

  /**
   * Adds files (picked, dropped or pasted). Each is checked by its first bytes and the limits;
   * refused ones are listed in `refusals` (which this call replaces). Resolves once every accepted
   * file is ready to send (or was refused while being prepared).
   */
  async add(files: Iterable<FileLike> | ArrayLike<FileLike>): Promise<void> {
    const list = Array.from(files as ArrayLike<FileLike>);
    if (list.length === 0) return;
    const checked = this.#check(list);
    this.#adding.add(checked);
    try {
      await checked;
    } finally {
      this.#adding.delete(checked);
    }
    await Promise.all(this.#entries.map((e) => e.done));
  }

  async #check(list: FileLike[]): Promise<void> {
    const refusals: AttachmentRefusal[] = [];
    const added: PreparedAttachment[] = [];
    const settings = this.settings;
    // Sniffing reads 12 bytes per file: cheap, and done in order so refusals keep the visitor's order.
    for (const file of list) {
      const name = fileName(file);
      const type = await sniffBlob(file).catch(() => null);
      if (type === null || !accepts(settings.accept, type)) {
        refusals.push({ name, reason: 'type', accept: settings.accept });
        continue;
      }
      if (this.#entries.length + added.length >= settings.maxFiles) {
        refusals.push({ name, reason: 'count', limit: settings.maxFiles });
        continue;
      }
      // Only JPEG, PNG and WebP can be shrunk; anything else must fit as it is.
      if (file.size > settings.maxFileBytes && !shrinkable(type)) {
        refusals.push({ name, reason: 'size', size: file.size, limit: settings.maxFileBytes });
        continue;
      }
      added.push(this.#prepare(file, name, type, settings));
    }
    this.#entries = [...this.#entries, ...added];
    this.#_refusals = refusals;
    if (added.length) this.#_notice = { kind: 'added', names: added.map((e) => e.snapshot.name) };
    this.#changed();
  }

  /** Removes a file from the draft (the chip's Remove button). */
  remove(id: string): void {
    const entry = this.#entries.find((e) => e.snapshot.id === id);
    if (!entry) return;
    this.#drop(entry);
    this.#_notice = { kind: 'removed', name: entry.snapshot.name };
    this.#changed();
  }

  /** Hides the refusal messages. */
  dismissRefusals(): void {
    if (this.#_refusals.length === 0) return;
    this.#_refusals = [];
    this.#changed();
  }

  /** Waits for every file in the draft; `false` if any was refused meanwhile (then nothing may be sent). */
  async settle(): Promise<boolean> {
    // Files still being sniffed join the draft first (a drop just before Send goes with it).
    const refusalsBefore = this.#_refusals;
    while (this.#adding.size) await Promise.all(this.#adding);
    const outcomes = await Promise.all(this.#entries.map((e) => e.done));
    return !outcomes.includes('refused') && (this.#_refusals === refusalsBefore || this.#_refusals.length === 0);
  }

  /** The ready files as one turn would carry them (the draft is unchanged); `null` when there are none. */
  collect(): TakenAttachments | null {
    const entries = this.#entries.filter((e) => e.snapshot.status === 'ready' && e.dataUrl !== undefined);
    if (entries.length === 0) return null;
    const parts: ContentPart[] = entries.map((e) =>
      // Images carry their name too (optional in v1), so a reply can name the file.
      e.snapshot.mediaType.startsWith('image/') ? { type: 'image', image: e.dataUrl!, filename: e.snapshot.name } : { type: 'file', filename: e.snapshot.name, data: e.dataUrl! },
    );
    const metas: AttachmentMeta[] = entries.map((e) => ({ name: e.snapshot.name, media_type: e.snapshot.mediaType, size: e.snapshot.size }));
    return { entries, parts, metas };
  }

  /** Takes `collect()`'s files out of the draft: they were sent (their previews now belong to the transcript). */
  take(taken: TakenAttachments): void {
    for (const e of taken.entries) e.sent = true;
    this.#entries = this.#entries.filter((e) => !taken.entries.includes(e));
    this.#_refusals = [];
    this.#_notice = null;
    this.#changed();
  }

  /** Puts a failed turn's files back into an empty draft (nothing the visitor chose is lost). */
  restore(taken: TakenAttachments): boolean {
    if (this.#entries.length > 0) return false;
    this.#entries = taken.entries.filter((e) => !e.removed);
    this.#changed();
    return this.#entries.length > 0;
  }

  /** True when the draft holds exactly `taken`'s files (a restored failed turn). */
  holds(taken: TakenAttachments): boolean {
    return this.#entries.length === taken.entries.length && taken.entries.every((e) => this.#entries.includes(e));
  }

  /** Takes `taken`'s files out of the draft without revoking their previews (they are being resent). */
  discard(taken: TakenAttachments): void {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((e) => !taken.entries.includes(e));
    if (this.#entries.length !== before) this.#changed();
  }

  /** Remembers which previews a sent message shows. */
  remember(messageId: string, taken: TakenAttachments): void {
    this.#sentPreviews.set(
      messageId,
      taken.entries.map((e) => e.snapshot.previewUrl),
    );
  }

  /** The thumbnail of a sent message's `index`th attachment, while this page lives. */
  previewFor(messageId: string, index: number): string | undefined {
    return this.#sentPreviews.get(messageId)?.[index];
  }

  /** Frees the previews of sent files (a new conversation), except those back in the draft. */
  releaseSent(): void {
    const keep = new Set(this.#entries.map((e) => e.snapshot.previewUrl));
    for (const urls of this.#sentPreviews.values()) for (const url of urls) if (url && !keep.has(url)) URL.revokeObjectURL(url);
    this.#sentPreviews.clear();
  }

  // ---------------------------------------------------------------------------------------------

  #prepare(file: FileLike, name: string, type: AttachmentMediaType, settings: AttachmentSettings): PreparedAttachment {
    const isImage = type.startsWith('image/');
    const snapshot: DraftAttachment = {
      id: `att_${++nextId}`,
      name,
      mediaType: type,
      status: 'preparing',
      size: file.size,
      originalSize: file.size,
      ...(isImage ? { previewUrl: URL.createObjectURL(file) } : {}),
    };
    let settle!: (outcome: Outcome) => void;
    const entry: PreparedAttachment = { snapshot, done: new Promise((r) => (settle = r)), removed: false, sent: false };
    const work = async (): Promise<void> => {
      if (entry.removed) return settle('removed');
      try {
        // The shrinking and encoding are an on-demand chunk; if it cannot load, the file is refused as unreadable.
        const { prepareFile } = await attachmentParts();
        const prepared = await prepareFile(file, type, settings);
        if (prepared === 'size') return this.#refuse(entry, settle, { name, reason: 'size', size: file.size, limit: settings.maxFileBytes });
        if (prepared === 'type') return this.#refuse(entry, settle, { name, reason: 'type', accept: settings.accept });
        if (entry.removed) return settle('removed');
        const { dataUrl, ...sent } = prepared;
        entry.dataUrl = dataUrl;
        entry.snapshot = { ...entry.snapshot, ...sent, status: 'ready' };
        this.#changed();
        settle('ready');
      } catch {
        // Undecodable image (UndecodableImageError), unreadable file (FileReader error) or no chunk: same to the visitor.
        this.#refuse(entry, settle, { name, reason: 'unreadable' });
      }
    };
    this.#queue = this.#queue.then(work, work);
    return entry;
  }

  #refuse(entry: PreparedAttachment, settle: (o: Outcome) => void, refusal: AttachmentRefusal): void {
    if (entry.removed) return settle('removed');
    this.#drop(entry);
    this.#_refusals = [...this.#_refusals, refusal];
    this.#changed();
    settle('refused');
  }

  #drop(entry: PreparedAttachment): void {
    entry.removed = true;
    this.#entries = this.#entries.filter((e) => e !== entry);
    if (!entry.sent && entry.snapshot.previewUrl) URL.revokeObjectURL(entry.snapshot.previewUrl);
  }

  #changed(): void {
    this.#_items = this.#entries.map((e) => e.snapshot);
    this.dispatchEvent(new Event('change'));
  }
}

/** The transcript's attachments with the `file_id`s the backend gave them (`run.started.files`, in order). */
export function withFileIds(metas: readonly AttachmentMeta[], files: readonly StoredFileInfo[] | undefined): AttachmentMeta[] {
  if (!files?.length) return [...metas];
  const unused = [...files];
  return metas.map((meta, i) => {
    // The backend lists files in the order sent; fall back to a type-and-size match if it skipped one.
    const byIndex = files[i];
    const match =
      byIndex && unused.includes(byIndex) && byIndex.media_type === meta.media_type ? byIndex : unused.find((f) => f.media_type === meta.media_type && f.size === meta.size);
    if (!match) return meta;
    unused.splice(unused.indexOf(match), 1);
    return { ...meta, file_id: match.file_id };
  });
}

/** True when two turns carry the same files (a failed turn being sent again). */
export function sameAttachments(a: TakenAttachments | null | undefined, b: TakenAttachments | null | undefined): boolean {
  const x = a?.entries ?? [];
  const y = b?.entries ?? [];
  return x.length === y.length && x.every((e, i) => e === y[i]);
}

function shrinkable(type: AttachmentMediaType): boolean {
  return ['image/png', 'image/jpeg', 'image/webp'].includes(type);
}

function positive(n: number | null | undefined): n is number {
  // Number.isFinite is false for anything but a finite number (no coercion, unlike isFinite).
  return Number.isFinite(n) && n! > 0;
}

/** A pasted screenshot has no useful name ("image.png" at best): give it one that says what it is. */
function fileName(file: FileLike): string {
  const name = (file.name ?? '').trim();
  return name || 'attachment';
}
