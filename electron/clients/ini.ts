// A line-preserving INI / key-file reader and editor (profiles.ini, Evolution .source, KMail mailtransports,
// Claws accountrc). Written here because the `ini` package re-serializes the whole file, while a fix must change
// only one value's bytes. Like prefs.ts it works on a binary (latin1) string so offsets are byte offsets.

export interface IniEntry {
  section: string;
  key: string;
  /** Decoded (UTF-8) value, trimmed. */
  value: string;
  /** Byte offsets of the raw value (after `=` and leading blanks, before trailing blanks and the line end). */
  valueStart: number;
  valueEnd: number;
  lineStart: number;
  lineEnd: number;
}

export interface IniSection {
  name: string;
  /** Byte offset just past the header line (or 0 for the unnamed top section). */
  bodyStart: number;
  /** Byte offset where the next section header starts (or the end of the file). */
  end: number;
  entries: IniEntry[];
}

export interface IniDoc {
  text: string;
  sections: IniSection[];
}

const MAX_LINES = 500_000;

/** Parses an INI file; `;` and `#` start comment lines. Never throws. */
export function parseIni(bytes: Buffer | string): IniDoc {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  const sections: IniSection[] = [{ name: '', bodyStart: 0, end: text.length, entries: [] }];
  let pos = text.startsWith('\u00EF\u00BB\u00BF') ? 3 : 0;
  for (let n = 0; pos < text.length && n < MAX_LINES; n++) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    let contentEnd = nl < 0 ? text.length : nl;
    if (text[contentEnd - 1] === '\r') contentEnd--;
    const line = text.slice(pos, contentEnd);
    const trimmed = line.trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      sections[sections.length - 1]!.end = pos;
      sections.push({ name: decode(trimmed.slice(1, -1)), bodyStart: lineEnd, end: text.length, entries: [] });
    } else if (trimmed && !trimmed.startsWith(';') && !trimmed.startsWith('#')) {
      const eq = line.indexOf('=');
      if (eq > 0) {
        let vs = pos + eq + 1;
        while (vs < contentEnd && (text[vs] === ' ' || text[vs] === '\t')) vs++;
        let ve = contentEnd;
        while (ve > vs && (text[ve - 1] === ' ' || text[ve - 1] === '\t')) ve--;
        sections[sections.length - 1]!.entries.push({
          section: sections[sections.length - 1]!.name,
          key: decode(line.slice(0, eq).trim()),
          value: decode(text.slice(vs, ve)),
          valueStart: vs,
          valueEnd: ve,
          lineStart: pos,
          lineEnd,
        });
      }
    }
    pos = lineEnd;
  }
  return { text, sections };
}

function decode(bin: string): string {
  return Buffer.from(bin, 'latin1').toString('utf8');
}

/** The value of `key` in the first section named `section` (last assignment wins); undefined when absent. */
export function iniGet(doc: IniDoc, section: string, key: string): string | undefined {
  const sec = doc.sections.find((s) => s.name === section);
  if (!sec) return undefined;
  let v: string | undefined;
  for (const e of sec.entries) if (e.key === key) v = e.value;
  return v;
}

/** All entries of a section as a plain map. */
export function iniSection(doc: IniDoc, section: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of doc.sections.find((s) => s.name === section)?.entries ?? []) m.set(e.key, e.value);
  return m;
}

function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * Sets `key=value` in `section`, replacing only the value bytes when the key exists, else inserting one line at
 * the end of the section's entries. Throws when the section does not exist (a fix never invents one).
 */
export function iniSet(doc: IniDoc, section: string, key: string, value: string): Buffer {
  const sec = doc.sections.find((s) => s.name === section);
  if (!sec) throw new Error(`section [${section}] not found`);
  const raw = Buffer.from(value, 'utf8').toString('latin1');
  if (/[\r\n]/.test(raw)) throw new Error('INI values cannot contain line breaks');
  const existing = [...sec.entries].reverse().find((e) => e.key === key);
  const t = doc.text;
  if (existing) return Buffer.from(t.slice(0, existing.valueStart) + raw + t.slice(existing.valueEnd), 'latin1');
  const eol = eolOf(t);
  const lastEntry = sec.entries[sec.entries.length - 1];
  let at = lastEntry ? lastEntry.lineEnd : sec.bodyStart;
  let prefix = '';
  if (at > 0 && t[at - 1] !== '\n') prefix = eol; // the entry was on the file's last, unterminated line
  if (at === 0 && sec.name !== '') at = t.length;
  const keyRaw = Buffer.from(key, 'utf8').toString('latin1');
  return Buffer.from(t.slice(0, at) + prefix + `${keyRaw}=${raw}` + eol + t.slice(at), 'latin1');
}

/** Applies several edits in order, re-parsing between them. */
export function iniSetAll(bytes: Buffer, edits: ReadonlyArray<readonly [string, string, string]>): Buffer {
  let out = bytes;
  for (const [section, key, value] of edits) out = iniSet(parseIni(out), section, key, value);
  return out;
}
