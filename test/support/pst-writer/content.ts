import type { Rng } from './rng.ts';

// Synthetic but realistic-looking mail content. Latin-1 only, so ANSI stores (8-bit strings) hold it unchanged.

const FIRST = ['Anna', 'Bernd', 'Chloé', 'David', 'Eva', 'Farid', 'Greta', 'Hugo', 'Inès', 'Jonas', 'Katrin', 'Luis'];
const LAST = ['Müller', 'Schmidt', 'Dubois', 'García', 'Rossi', 'Novak', 'Jensen', 'Kowalski', 'Silva', 'Berg'];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const TOPICS = ['Q3 budget', 'Offsite agenda', 'Invoice 4471', 'Server migration', 'Lunch on Friday', 'Contract draft',
  'Holiday plan', 'Weekly report', 'Customer feedback', 'Release notes', 'Travel expenses', 'Team photo'];
const WORDS = ['please', 'review', 'the', 'attached', 'numbers', 'before', 'our', 'meeting', 'thanks', 'regards', 'about',
  'schedule', 'update', 'project', 'résumé', 'café', 'next', 'week', 'we', 'agreed', 'on', 'draft', 'final', 'change'];
export const FOLDER_NAMES = ['Inbox', 'Sent Items', 'Projects', 'Archive', 'Customers', 'Travel', 'Finance', 'Team',
  'Newsletters', 'Receipts', 'Drafts', 'Old mail'];
const EXT = [
  { ext: '.pdf', mime: 'application/pdf' },
  { ext: '.jpg', mime: 'image/jpeg' },
  { ext: '.xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { ext: '.txt', mime: 'text/plain' },
];

export interface Person {
  name: string;
  email: string;
}

export function person(rng: Rng): Person {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const ascii = `${first}.${last}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase();
  return { name: `${first} ${last}`, email: `${ascii}@${rng.pick(DOMAINS)}` };
}

export function subject(rng: Rng, n: number): string {
  return `${rng.pick(TOPICS)} #${n}`;
}

/** Plain-text body of roughly `bytes` characters. */
export function body(rng: Rng, bytes: number): string {
  const out: string[] = [];
  let len = 0;
  while (len < bytes) {
    const w = rng.pick(WORDS);
    out.push(w);
    len += w.length + 1;
    if (rng.u32() % 12 === 0) {
      out.push('\r\n');
      len += 2;
    }
  }
  return out.join(' ');
}

export function html(text: string, subj: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<html><head><meta charset="utf-8"><title>${esc(subj)}</title></head><body><p>${esc(text).replace(/\r\n/g, '</p><p>')}</p></body></html>`;
}

/** File name unique within the store: message serial and attachment index. */
export function attachmentName(rng: Rng, message: number, index: number): { name: string; ext: string; mime: string } {
  const e = rng.pick(EXT);
  return { name: `${rng.pick(['report', 'scan', 'photo', 'notes', 'plan'])}-${message}-${index}${e.ext}`, ...e };
}
