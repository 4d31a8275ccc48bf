import { finding, type Finding } from '../core/finding.ts';
import type { PstFileResult } from './schema.ts';

// Migration summary: what IT needs to know before moving these stores (totals, ANSI size limit, OSTs,
// password-protected stores, damaged and unreadable ones). Pure: results in, findings out.

/** ANSI stores stop working at 2 GB; warn from 1.8 GB ([MS-PST] / KB 287497). */
export const ANSI_WARN_BYTES = 1.8 * 1024 ** 3;

const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;

export function pstFindings(files: PstFileResult[]): Finding[] {
  const out: Finding[] = [];
  const sum = (k: keyof PstFileResult['counts']) => files.reduce((a, f) => a + f.counts[k], 0);
  const damaged = files.filter((f) => f.status === 'damaged');
  const unreadable = files.filter((f) => f.status === 'unreadable');
  out.push(finding({
    id: 'pst.summary',
    area: 'pst',
    severity: 'info',
    title: `${files.length} data file(s) scanned: ${files.length - damaged.length - unreadable.length} ok, ${damaged.length} damaged, ${unreadable.length} unreadable`,
    detail: `${sum('folders')} folders, ${sum('messages')} messages, ${sum('attachments')} attachments in ${mb(files.reduce((a, f) => a + f.bytes, 0))}; ${sum('damagedItems')} damaged item(s).`,
    evidence: { files: files.length, bytes: files.reduce((a, f) => a + f.bytes, 0), folders: sum('folders'), messages: sum('messages'), attachments: sum('attachments'), damagedItems: sum('damagedItems') },
  }));
  for (const f of damaged) {
    const errors = f.problems.filter((p) => p.severity === 'error' || p.severity === undefined);
    out.push(finding({
      id: 'pst.damaged',
      area: 'pst',
      severity: 'error',
      title: f.counts.damagedItems > 0
        ? `${f.path} is damaged (${f.counts.damagedItems} item(s) affected)`
        : `${f.path} is damaged (file structures only; every item could still be read)`,
      detail: `${errors.length} structural problem(s); first: ${errors[0]?.detail ?? ''}. Outlook may not open it: rebuild it into a new PST with every readable item ("Repair into a new file", or "mailmedic pst repair FILE --out NEW.pst"); the original is never changed.`,
      evidence: { path: f.path, problems: errors.length, first: errors.slice(0, 3).map((p) => ({ structure: p.structure, offset: p.offset, detail: p.detail, affects: p.affects.slice(0, 5) })) },
    }));
  }
  for (const f of unreadable) {
    out.push(finding({ id: 'pst.unreadable', area: 'pst', severity: 'error', title: `${f.path} cannot be read as a PST/OST`, detail: f.error ?? '', evidence: { path: f.path, bytes: f.bytes } }));
  }
  for (const f of files.filter((x) => x.format === 'ansi' && x.bytes >= ANSI_WARN_BYTES)) {
    out.push(finding({
      id: 'pst.ansi-size-limit',
      area: 'pst',
      severity: 'warning',
      title: `${f.path} is an ANSI (Outlook 97–2002) store near its 2 GB limit`,
      detail: `${mb(f.bytes)} of 2048 MB. Outlook cannot add to it beyond 2 GB and the repair tool may fail on it; migrate it to a Unicode store.`,
      evidence: { path: f.path, bytes: f.bytes, limit: 2 * 1024 ** 3 },
    }));
  }
  const osts = files.filter((f) => f.kind === 'ost');
  if (osts.length > 0) {
    out.push(finding({
      id: 'pst.ost',
      area: 'pst',
      severity: 'info',
      title: `${osts.length} offline cache file(s) (.ost)`,
      detail: 'An OST is a cache of a server mailbox; it is usually rebuilt from the server rather than migrated. Items only in the OST (not yet synced) need salvage.',
      evidence: { paths: osts.map((f) => f.path) },
    }));
  }
  const pw = files.filter((f) => f.passwordProtected);
  if (pw.length > 0) {
    out.push(finding({
      id: 'pst.password-protected',
      area: 'pst',
      severity: 'warning',
      title: `${pw.length} password-protected store(s)`,
      detail: 'Import tools ask for the password (or fail) on these; remove the password in Outlook before migrating. The password itself is never read or shown.',
      evidence: { paths: pw.map((f) => f.path) },
    }));
  }
  return out;
}
