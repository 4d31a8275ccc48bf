import { isAddress } from './schema.ts';
import type { MigrationOwner, OwnerConfidence, OwnerSource, PstInventory } from './schema.ts';

export { isAddress };

// Whose mail is this? Each source gives its evidence and a confidence; the guess is the most confident address
// (an address is what the import needs as Mailbox), else the most confident name. Pure.

/** Display names Outlook and converters give every store: they say nothing about the owner. */
const GENERIC_STORE_NAME = /personal folders|outlook data file|^(outlook|archives?|archive folders|mailbox|backup|pst|import|export|data)$/i;
/** Accounts that own files but are nobody's mailbox. */
const GENERIC_ACCOUNT = /^(root|nobody|daemon|system|administrator|administrators|trustedinstaller|everyone|users|\d+|s-1-[\d-]+)$/i;

const RANK: Record<OwnerConfidence, number> = { high: 3, medium: 2, low: 1 };
const SOURCE_ORDER: OwnerSource['source'][] = ['outlook-profile', 'sent-items', 'display-name', 'file-owner'];

/** What the store itself says: its display name and who sent the mail in its Sent Items. */
export function storeOwnerSources(inv: PstInventory): OwnerSource[] {
  const out: OwnerSource[] = [];
  const top = inv.sentItems.senders[0];
  if (top) {
    const share = inv.sentItems.messages > 0 ? top.messages / inv.sentItems.messages : 0;
    const confidence: OwnerConfidence = top.messages >= 3 && share >= 0.5 ? 'high' : share >= 0.5 ? 'medium' : 'low';
    out.push({
      source: 'sent-items',
      value: top.address,
      address: true,
      confidence,
      evidence: `${top.messages} of ${inv.sentItems.messages} message(s) in '${inv.sentItems.folder ?? 'Sent Items'}' were sent by ${top.address}`,
    });
  }
  const name = inv.displayName?.trim();
  if (name && !GENERIC_STORE_NAME.test(name)) {
    const address = isAddress(name);
    out.push({
      source: 'display-name',
      value: address ? name.toLowerCase() : name,
      address,
      confidence: address ? 'medium' : 'low',
      evidence: `the store's display name is "${name}"`,
    });
  }
  return out;
}

/** The file's owner on disk, unless it is a system or administrators account (files copied by IT). */
export function fileOwnerSource(owner: string | null | undefined): OwnerSource | null {
  if (!owner) return null;
  const bare = owner.split('\\').pop()!.trim();
  if (!bare || GENERIC_ACCOUNT.test(bare) || /^(nt authority|builtin|nt service)\\/i.test(owner)) return null;
  return { source: 'file-owner', value: owner, address: isAddress(owner), confidence: 'low', evidence: `the file belongs to ${owner} on disk` };
}

/**
 * The guess: the most confident address (sources in the order profile, Sent Items, display name, disk owner break
 * ties); one notch less sure when another source of medium or high confidence names a different address.
 */
export function pickOwner(sources: OwnerSource[]): MigrationOwner {
  const ordered = [...sources].sort((a, b) => RANK[b.confidence] - RANK[a.confidence] || SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source));
  const best = ordered.find((s) => s.address) ?? ordered[0];
  if (!best) return { guess: null, confidence: null, sources };
  let confidence = best.confidence;
  const disagree = best.address && ordered.some((s) => s.address && s.value.toLowerCase() !== best.value.toLowerCase() && RANK[s.confidence] >= RANK.medium);
  if (disagree) confidence = confidence === 'high' ? 'medium' : 'low';
  return { guess: best.value, confidence, sources: ordered };
}
