import type { FolderInfo, MessageInfo } from '../walk-model.ts';
import type { PropBag } from '../objects.ts';
import { decodeValue, PR } from '../props.ts';
import type { WalkObserver } from '../walk-observer.ts';
import { isAddress, type MigrationItem, type PstInventory } from './schema.ts';
import { ITEM_LIMIT_BYTES } from './rules.ts';

// Gathers what the migration rules and the owner guess need while the integrity walk goes by: the store's display
// name and code page, folder depth, item sizes, and who sent the mail in Sent Items. Only properties of objects the
// walk has already opened are read, so a readiness scan does not walk the store twice.

/** PidTagIpmSentMailEntryId on the message store: the Sent Items folder. */
const PR_IPM_SENTMAIL_ENTRYID = 0x35e4;
/** PidTagAttachSize. */
const PR_ATTACH_SIZE = 0x0e20;
const PR_SENT_REPRESENTING_EMAIL = 0x0065;
const PR_SENT_REPRESENTING_SMTP = 0x5d02;
/** When the store does not name its Sent Items folder: the names Outlook gives it in common languages. */
const SENT_NAMES = new Set(['sent items', 'sent', 'sent mail', 'gesendete elemente', 'gesendete objekte', 'éléments envoyés', 'elementos enviados',
  'posta inviata', 'itens enviados', 'verzonden items', 'skickade objekt', 'sendt post', 'sendte elementer', 'lähetetyt', 'wysłane elementy',
  'odeslaná pošta', 'отправленные', '送信済みアイテム', '已发送邮件', '寄件備份', '보낸 편지함']);
/** Distinct senders counted in Sent Items (a bound for stores of shared or odd mailboxes). */
const MAX_SENDERS = 2000;
/** Large items kept for the report, largest first. */
const MAX_LARGE_ITEMS = 200;

export interface MigrationFacts {
  inventory: PstInventory;
  /** Items over ITEM_LIMIT_BYTES (at most MAX_LARGE_ITEMS, largest first) and how many there are in all. */
  largeItems: MigrationItem[];
  largeItemCount: number;
}

export class MigrationCollector implements WalkObserver {
  private displayName: string | null = null;
  private storeCodepage: number | null = null;
  private readonly codepages = new Map<number, number>();
  private sentNid: number | null = null;
  private sentPath: string | null = null;
  private sentMessages = 0;
  private readonly senders = new Map<string, number>();
  private maxDepth = 0;
  private deepest: string | null = null;
  private largest = 0;
  private large: MigrationItem[] = [];
  private largeCount = 0;
  /** The message whose attachments are being added up (attachments follow their message in the walk). */
  private current: { m: MessageInfo; bytes: number; attachments: number } | null = null;

  constructor(private readonly ansi: boolean) {}

  async store(bag: PropBag): Promise<void> {
    this.storeCodepage = await bag.num(PR.MESSAGE_CODEPAGE);
    // The walk opens the store object before it knows the code page: decode an 8-bit name again in the store's own.
    const name = bag.props.get(PR.DISPLAY_NAME);
    const raw = name ? await bag.bytes(PR.DISPLAY_NAME) : null;
    const decoded = name && raw ? decodeValue(name.type, raw, this.storeCodepage ?? 1252) : null;
    this.displayName = typeof decoded === 'string' && decoded ? decoded : null;
    const sent = await bag.bytes(PR_IPM_SENTMAIL_ENTRYID);
    // An EntryID of a PST folder: 4 flag bytes, the store's 16-byte provider UID, then the folder's NID.
    if (sent && sent.length >= 24) this.sentNid = sent.readUInt32LE(20);
  }

  folder(f: FolderInfo, depth: number): void {
    // Depth 1 is the top of the store (or the IPM subtree); what a user sees as Inbox is level 1.
    const level = depth - 1;
    if (level > this.maxDepth) {
      this.maxDepth = level;
      this.deepest = f.path;
    }
    if (this.sentNid !== null ? f.nid === this.sentNid : this.sentPath === null && depth === 2 && SENT_NAMES.has(f.name.trim().toLowerCase())) {
      this.sentNid = f.nid;
      this.sentPath = f.path;
    }
  }

  async message(m: MessageInfo, bag: PropBag): Promise<void> {
    this.settle();
    const size = await bag.num(PR.MESSAGE_SIZE);
    this.current = { m, bytes: size !== null && size > 0 ? size : 0, attachments: 0 };
    if (this.ansi) {
      const cp = await bag.num(PR.MESSAGE_CODEPAGE);
      if (cp !== null && cp > 0) this.codepages.set(cp, (this.codepages.get(cp) ?? 0) + 1);
    }
    if (this.sentNid !== null && m.folderNid === this.sentNid) {
      this.sentMessages++;
      const addr = await this.senderAddress(bag);
      if (addr && (this.senders.has(addr) || this.senders.size < MAX_SENDERS)) this.senders.set(addr, (this.senders.get(addr) ?? 0) + 1);
    }
  }

  async attachment(m: MessageInfo, bag: PropBag): Promise<void> {
    if (this.current?.m !== m) {
      this.settle();
      this.current = { m, bytes: 0, attachments: 0 };
    }
    const size = await bag.num(PR_ATTACH_SIZE);
    if (size !== null && size > 0) this.current.attachments += size;
  }

  private async senderAddress(bag: PropBag): Promise<string | null> {
    for (const id of [PR.SENDER_SMTP, PR_SENT_REPRESENTING_SMTP, PR.SENDER_EMAIL, PR_SENT_REPRESENTING_EMAIL]) {
      const v = (await bag.str(id))?.trim();
      if (v && isAddress(v)) return v.toLowerCase();
    }
    return null;
  }

  /** Closes the message being added up: its size is the larger of PidTagMessageSize and its attachments' sizes. */
  private settle(): void {
    const c = this.current;
    this.current = null;
    if (!c) return;
    const bytes = Math.max(c.bytes, c.attachments);
    if (bytes > this.largest) this.largest = bytes;
    if (bytes <= ITEM_LIMIT_BYTES) return;
    this.largeCount++;
    this.large.push({ folder: c.m.folderPath, subject: c.m.subject, bytes });
    if (this.large.length > MAX_LARGE_ITEMS * 2) this.large = this.large.sort((a, b) => b.bytes! - a.bytes!).slice(0, MAX_LARGE_ITEMS);
  }

  finish(): MigrationFacts {
    this.settle();
    let codepage = this.storeCodepage;
    if (codepage === null || codepage <= 0) {
      const top = [...this.codepages].sort((a, b) => b[1] - a[1])[0];
      codepage = top ? top[0] : null;
    }
    const senders = [...this.senders].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
    return {
      inventory: {
        displayName: this.displayName,
        codepage,
        maxFolderDepth: this.maxDepth,
        deepestFolder: this.deepest,
        largestItemBytes: this.largest,
        sentItems: { folder: this.sentPath, messages: this.sentMessages, senders: senders.map(([address, messages]) => ({ address, messages })) },
      },
      largeItems: this.large.sort((a, b) => b.bytes! - a.bytes!).slice(0, MAX_LARGE_ITEMS),
      largeItemCount: this.largeCount,
    };
  }
}
