import type { Rng } from './rng.ts';

// Synthetic but realistic-looking mail content. Latin-1 by default, so ANSI stores (8-bit strings) hold it unchanged;
// Cyrillic (code page 1251) and Japanese (code page 932) word lists make ANSI stores whose strings only decode right
// with the store's code page.

const DOMAINS = ['example.com', 'example.org', 'example.net'];
const EXT = [
  { ext: '.pdf', mime: 'application/pdf' },
  { ext: '.jpg', mime: 'image/jpeg' },
  { ext: '.xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { ext: '.txt', mime: 'text/plain' },
];

/** Names and words in a script code page `cp` can encode (1252 and anything unknown: Latin-1). */
export interface Script {
  first: readonly string[];
  last: readonly string[];
  topics: readonly string[];
  words: readonly string[];
  folders: readonly string[];
}

const CYRILLIC: Script = {
  first: ['Анна', 'Борис', 'Вера', 'Глеб', 'Дарья', 'Егор'],
  last: ['Иванова', 'Петров', 'Смирнова', 'Кузнецов', 'Попова'],
  topics: ['Бюджет на квартал', 'Повестка встречи', 'Счёт 4471', 'Перенос сервера', 'Отчёт за неделю'],
  words: ['пожалуйста', 'проверьте', 'цифры', 'до', 'встречи', 'спасибо', 'с', 'уважением', 'проект', 'неделя', 'ёлка'],
  folders: ['Входящие', 'Отправленные', 'Проекты', 'Архив'],
};

const JAPANESE: Script = {
  first: ['花子', '太郎', '美咲', '健太', '陽子'],
  last: ['山田', '佐藤', '鈴木', '高橋', '田中'],
  topics: ['四半期の予算', '会議の議題', '請求書 4471', 'サーバー移行', '週報'],
  words: ['よろしく', 'お願いします', '資料', 'を', '確認', 'して', 'ください', '会議', 'の', '前に', 'ありがとう'],
  folders: ['受信トレイ', '送信済み', 'プロジェクト', 'アーカイブ'],
};

const LATIN: Script = {
  first: ['Anna', 'Bernd', 'Chloé', 'David', 'Eva', 'Farid', 'Greta', 'Hugo', 'Inès', 'Jonas', 'Katrin', 'Luis'],
  last: ['Müller', 'Schmidt', 'Dubois', 'García', 'Rossi', 'Novak', 'Jensen', 'Kowalski', 'Silva', 'Berg'],
  topics: ['Q3 budget', 'Offsite agenda', 'Invoice 4471', 'Server migration', 'Lunch on Friday', 'Contract draft',
    'Holiday plan', 'Weekly report', 'Customer feedback', 'Release notes', 'Travel expenses', 'Team photo'],
  words: ['please', 'review', 'the', 'attached', 'numbers', 'before', 'our', 'meeting', 'thanks', 'regards', 'about',
    'schedule', 'update', 'project', 'résumé', 'café', 'next', 'week', 'we', 'agreed', 'on', 'draft', 'final', 'change'],
  folders: ['Inbox', 'Sent Items', 'Projects', 'Archive', 'Customers', 'Travel', 'Finance', 'Team', 'Newsletters', 'Receipts', 'Drafts', 'Old mail'],
};

export function scriptFor(cp: number | undefined): Script {
  return cp === 1251 ? CYRILLIC : cp === 932 ? JAPANESE : LATIN;
}

export interface Person {
  name: string;
  email: string;
}

export function person(rng: Rng, sc: Script = LATIN): Person {
  const fi = rng.u32() % sc.first.length;
  const la = rng.u32() % sc.last.length;
  const first = sc.first[fi]!;
  const last = sc.last[la]!;
  const ascii = `${first}.${last}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase();
  const local = /^[a-z]/.test(ascii) && ascii.length > 3 ? ascii : `user${fi}.${la}`;
  return { name: `${first} ${last}`, email: `${local}@${rng.pick(DOMAINS)}` };
}

export function subject(rng: Rng, n: number, sc: Script = LATIN): string {
  return `${rng.pick(sc.topics)} #${n}`;
}

/** Plain-text body of roughly `bytes` characters. */
export function body(rng: Rng, bytes: number, sc: Script = LATIN): string {
  const out: string[] = [];
  let len = 0;
  while (len < bytes) {
    const w = rng.pick(sc.words);
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
export function attachmentName(rng: Rng, message: number, index: number, sc: Script = LATIN): { name: string; ext: string; mime: string } {
  const e = rng.pick(EXT);
  const stem = sc === LATIN ? rng.pick(['report', 'scan', 'photo', 'notes', 'plan']) : rng.pick(sc.words);
  return { name: `${stem}-${message}-${index}${e.ext}`, ...e };
}
