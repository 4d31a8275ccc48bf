import type { PstFileResult } from '../schema.ts';
import type { MigrationItem, MigrationReason, MigrationRule, MigrationVerdict, PstInventory } from './schema.ts';
import { MIGRATION_RULES } from './schema.ts';

// The Microsoft 365 PST Import Service rules ("Import PST files" FAQ, network-upload guide), as pure functions of
// one file's scan result. Rules that need more than one file (duplicate, name-clash) or the running system (in-use)
// build their reasons here too, from facts the engine and the service gather.

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** Items over 150 MB are skipped by the import. */
export const ITEM_LIMIT_BYTES = 150 * MiB;
/** PSTs of 20 GB or less are recommended; bigger ones are slow or stall, so split them. */
export const FILE_LIMIT_BYTES = 20 * GiB;
/** Folders nested this deep or deeper cannot be imported. */
export const FOLDER_DEPTH_LIMIT = 300;
/** Outlook's practical ceiling for an ANSI PST (~1.93 GB); the warning starts at 90 % of it. */
export const ANSI_CEILING_BYTES = Math.round(1.93 * GiB);
export const ANSI_NEAR_BYTES = Math.round(0.9 * ANSI_CEILING_BYTES);
/** Items listed per reason; the detail always gives the full count. */
export const MAX_LISTED_ITEMS = 50;

/** Double-byte code pages: the import needs ContentCodePage for ANSI stores written in them. */
const DBCS: Record<number, string> = { 932: 'Japanese (Shift-JIS)', 936: 'Simplified Chinese (GBK)', 949: 'Korean', 950: 'Traditional Chinese (Big5)', 1361: 'Korean (Johab)' };
const SBCS: Record<number, string> = {
  874: 'Thai', 1250: 'Central European', 1251: 'Cyrillic', 1252: 'Western European', 1253: 'Greek', 1254: 'Turkish', 1255: 'Hebrew',
  1256: 'Arabic', 1257: 'Baltic', 1258: 'Vietnamese',
};

export const RULE_VERDICT: Record<MigrationRule, Exclude<MigrationVerdict, 'ready'>> = {
  unreadable: 'blocked',
  ost: 'blocked',
  'in-use': 'blocked',
  'folder-depth': 'blocked',
  password: 'needs-attention',
  'damaged-items': 'needs-attention',
  'damaged-structure': 'needs-attention',
  'item-over-150mb': 'needs-attention',
  'file-over-20gb': 'needs-attention',
  ansi: 'needs-attention',
  duplicate: 'needs-attention',
  'name-clash': 'needs-attention',
};

/** A long folder path by its last segments (the evidence keeps it whole). */
const tail = (p: string, max = 160) => (p.length <= max ? p : `…${p.slice(p.length - max).replace(/^[^/]*\//, '/')}`);
const gb = (n: number) => `${(n / GiB).toFixed(2)} GB`;
const mb = (n: number) => `${(n / MiB).toFixed(1)} MB`;

/** The ContentCodePage value for an ANSI store in this code page: only double-byte code pages need one. */
export function contentCodePage(codepage: number | null): number | null {
  return codepage !== null && codepage in DBCS ? codepage : null;
}

export function codepageName(cp: number): string {
  return DBCS[cp] ?? SBCS[cp] ?? `code page ${cp}`;
}

/** What the per-file rules need beyond the scan result; null when the store could not be walked. */
export interface FileFacts {
  inventory: PstInventory;
  largeItems: MigrationItem[];
  largeItemCount: number;
  /** Folders and messages the scan found damaged (the import skips them as corrupt). */
  damagedItems: MigrationItem[];
}

/** The reasons that follow from one file alone (everything but in-use, duplicate and name-clash). */
export function fileReasons(f: PstFileResult, facts: FileFacts | null): MigrationReason[] {
  const out: MigrationReason[] = [];
  if (f.status === 'unreadable') {
    out.push({ rule: 'unreadable', detail: `Not a readable PST: ${f.error ?? 'the header cannot be read'}. The import cannot open it.`, evidence: { error: f.error ?? null } });
  }
  if (f.kind === 'ost') {
    out.push({
      rule: 'ost',
      detail: 'An offline cache (.ost): the import service takes no OSTs. Its mailbox is normally still on the server; for mail only in this file, turn it into a PST with "mailmedic pst repair" (or salvage it) and import that.',
    });
  }
  if (f.status === 'unreadable' || !facts) return sortReasons(out);
  const inv = facts.inventory;
  if (inv.maxFolderDepth >= FOLDER_DEPTH_LIMIT) {
    out.push({
      rule: 'folder-depth',
      detail: `Folders are nested ${inv.maxFolderDepth} levels deep (the import refuses ${FOLDER_DEPTH_LIMIT} or more); deepest: ${tail(inv.deepestFolder ?? '?')}. Move the deepest folders up in Outlook before importing.`,
      evidence: { depth: inv.maxFolderDepth, limit: FOLDER_DEPTH_LIMIT, deepestFolder: inv.deepestFolder },
    });
  }
  if (f.passwordProtected) {
    out.push({ rule: 'password', detail: 'Password-protected: remove the password in Outlook (Data File Settings › Change Password) before the import. The password is never read or shown.' });
  }
  if (f.counts.damagedItems > 0) {
    const n = f.counts.damagedItems;
    out.push({
      rule: 'damaged-items',
      detail: `${n} damaged item(s) will be skipped as corrupt ("Items skipped (corrupted)"). To keep what is readable of them, repair the file into a new PST first ("mailmedic pst repair FILE --out NEW.pst": every readable part is kept, and the item list names what is not) and import that.`,
      items: facts.damagedItems.slice(0, MAX_LISTED_ITEMS),
      evidence: { count: n },
    });
  } else if (f.status === 'damaged') {
    const errors = f.problems.filter((p) => p.severity === 'error' || p.severity === undefined);
    out.push({
      rule: 'damaged-structure',
      detail: `The file structures are damaged (${errors.length} problem(s); first: ${errors[0]?.detail ?? '?'}) although every item could be read: the import may fail on it. Repair it into a new PST with sound structures first ("mailmedic pst repair FILE --out NEW.pst") and import that.`,
      evidence: { problems: errors.length },
    });
  }
  if (facts.largeItemCount > 0) {
    out.push({
      rule: 'item-over-150mb',
      detail: `${facts.largeItemCount} item(s) over 150 MB will be skipped by the import (largest ${mb(facts.largeItems[0]?.bytes ?? 0)}). Save their attachments elsewhere (OneDrive, SharePoint) and remove them from the store.`,
      items: facts.largeItems.slice(0, MAX_LISTED_ITEMS),
      evidence: { count: facts.largeItemCount, limitBytes: ITEM_LIMIT_BYTES },
    });
  }
  if (f.bytes > FILE_LIMIT_BYTES) {
    const parts = Math.ceil(f.bytes / FILE_LIMIT_BYTES);
    out.push({
      rule: 'file-over-20gb',
      detail: `${gb(f.bytes)}: over the recommended 20 GB, the import is slow or stalls. Split it into ${parts} PSTs of 20 GB or less ("mailmedic pst repair FILE --out NEW.pst --split-gb 20" writes NEW-1.pst, NEW-2.pst, …; no message is split), one mapping row each.`,
      evidence: { bytes: f.bytes, parts, partBytes: FILE_LIMIT_BYTES },
    });
  }
  if (f.format === 'ansi') {
    const cp = inv.codepage;
    const ccp = contentCodePage(cp);
    const found = cp === null ? 'no code page is recorded in it (Western European 1252 assumed)' : `its text is in ${codepageName(cp)} (code page ${cp})`;
    const use = ccp !== null ? `set ContentCodePage ${ccp} in the mapping CSV (the plan does)` : 'single-byte, so ContentCodePage stays empty';
    const near = f.bytes >= ANSI_NEAR_BYTES ? ` It is ${gb(f.bytes)}, near the ~1.93 GB an ANSI PST can hold: Outlook cannot add more mail to it.` : '';
    out.push({
      rule: 'ansi',
      detail: `An ANSI (Outlook 97–2002) PST: ${found}; ${use}.${near} Or convert it to a Unicode PST first ("mailmedic pst repair FILE --out NEW.pst" decodes its text with that code page).`,
      evidence: { codepage: cp, contentCodePage: ccp, bytes: f.bytes, ceilingBytes: ANSI_CEILING_BYTES, nearCeiling: f.bytes >= ANSI_NEAR_BYTES },
    });
  }
  return sortReasons(out);
}

export function inUseReason(holders: { pid: number | null; name: string | null }[]): MigrationReason {
  const who = holders.map((h) => (h.name ? `${h.name}${h.pid !== null ? ` (pid ${h.pid})` : ''}` : h.pid !== null ? `pid ${h.pid}` : 'another process')).join(', ');
  return {
    rule: 'in-use',
    detail: `Open in ${who}: a copy taken now may be inconsistent. Close Outlook (or the program holding it) and scan again before copying.`,
    evidence: { holders },
  };
}

/** Other files named in a reason's detail (the evidence lists up to MAX_OTHERS; a share may hold hundreds of copies). */
const NAMED_OTHERS = 5;
const MAX_OTHERS = 100;
const others = (list: string[]) => list.slice(0, NAMED_OTHERS).join(', ') + (list.length > NAMED_OTHERS ? ` and ${list.length - NAMED_OTHERS} more` : '');

export function duplicateReason(copies: string[], sha256: string): MigrationReason {
  return {
    rule: 'duplicate',
    detail: `Same content as ${others(copies)}: importing ${copies.length > 1 ? 'them all' : 'both'} puts every item in the mailbox ${copies.length > 1 ? 'several times' : 'twice'}. Import one of them.`,
    evidence: { sha256, others: copies.slice(0, MAX_OTHERS), count: copies.length },
  };
}

export function nameClashReason(name: string, clashing: string[], as: string | null): MigrationReason {
  return {
    rule: 'name-clash',
    detail: `Another file has the name ${name} (${others(clashing)}); import names must be unique, so ${as && as !== name ? `the plan imports this one as ${as} (upload it under that name)` : 'the plan keeps this one as it is and renames the other(s)'}.`,
    evidence: { name, others: clashing.slice(0, MAX_OTHERS), count: clashing.length, importName: as },
  };
}

const ORDER = new Map(MIGRATION_RULES.map((r, i) => [r, i]));

/** Blocking reasons first, then in the rule table's order. */
export function sortReasons(reasons: MigrationReason[]): MigrationReason[] {
  const rank = (r: MigrationReason) => (RULE_VERDICT[r.rule] === 'blocked' ? 0 : 100) + ORDER.get(r.rule)!;
  return [...reasons].sort((a, b) => rank(a) - rank(b));
}

export function verdictOf(reasons: MigrationReason[]): MigrationVerdict {
  if (reasons.some((r) => RULE_VERDICT[r.rule] === 'blocked')) return 'blocked';
  return reasons.length > 0 ? 'needs-attention' : 'ready';
}
