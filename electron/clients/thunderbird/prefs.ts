// A byte-preserving reader/editor for Mozilla prefs.js / user.js.
// Written here because no npm package keeps the file's bytes: they parse to a map and re-serialize, which would
// rewrite comments, CRLF, escapes and order. A fix must touch only the value it changes.
//
// The file is handled as a "binary" (latin1) string: one char per byte, so every offset is a byte offset and any
// encoding (UTF-8, stray Latin-1, a BOM) survives untouched. Only string *values* are decoded, as UTF-8.

export type PrefValue = string | number | boolean;

export interface PrefEntry {
  /** 'user_pref', 'pref' or 'sticky_pref'. */
  kind: string;
  name: string;
  value: PrefValue;
  /** Byte offsets of the value token (quotes included for strings). */
  valueStart: number;
  valueEnd: number;
  /** Byte offsets of the whole statement, from its keyword to the `;`. */
  start: number;
  end: number;
  /** The quote the value was written with (strings only), kept on edit. */
  quote: '"' | "'" | null;
}

export interface PrefsParseError {
  offset: number;
  message: string;
}

export interface PrefsDoc {
  /** The file as a binary string (one char per byte). */
  text: string;
  entries: PrefEntry[];
  errors: PrefsParseError[];
}

/** Statements in one file are bounded by its size; this caps the work on a hostile file. */
const MAX_ENTRIES = 200_000;

type Tok =
  | { t: 'id'; v: string; s: number; e: number }
  | { t: 'str'; v: string; q: '"' | "'"; s: number; e: number }
  | { t: 'num'; v: number; s: number; e: number }
  | { t: 'punct'; v: string; s: number; e: number }
  | { t: 'bad'; v: string; s: number; e: number };

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isIdent = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** Quote, backslash, CR or LF end a plain run inside a string. */
const isStringStop = (c: number, q: string) => c === q.charCodeAt(0) || c === 92 || c === 10 || c === 13;

class Lexer {
  pos: number;
  constructor(private readonly src: string) {
    // A UTF-8 byte order mark (EF BB BF) is skipped, never removed.
    this.pos = src.startsWith('\u00EF\u00BB\u00BF') ? 3 : 0;
  }

  /** Next token, skipping whitespace and all three comment styles; null at the end. */
  next(): Tok | null {
    const src = this.src;
    for (;;) {
      while (this.pos < src.length && isSpace(src.charCodeAt(this.pos))) this.pos++;
      if (this.pos >= src.length) return null;
      if (src[this.pos] === '#' || src.startsWith('//', this.pos)) {
        const nl = src.indexOf('\n', this.pos);
        this.pos = nl < 0 ? src.length : nl + 1;
        continue;
      }
      if (src.startsWith('/*', this.pos)) {
        const close = src.indexOf('*/', this.pos + 2);
        this.pos = close < 0 ? src.length : close + 2;
        continue;
      }
      break;
    }
    const s = this.pos;
    const c = src[s]!;
    if (c === '"' || c === "'") return this.string(c);
    if (/[A-Za-z_]/.test(c)) {
      let e = s + 1;
      while (e < src.length && isIdent(src.charCodeAt(e))) e++;
      this.pos = e;
      return { t: 'id', v: src.slice(s, e), s, e };
    }
    if (/[-+0-9]/.test(c)) {
      let e = s + 1;
      while (e < src.length && src.charCodeAt(e) >= 48 && src.charCodeAt(e) <= 57) e++;
      this.pos = e;
      const raw = src.slice(s, e);
      const n = Number(raw);
      if (!/[0-9]/.test(raw) || !Number.isSafeInteger(n)) return { t: 'bad', v: raw, s, e };
      return { t: 'num', v: n, s, e };
    }
    this.pos = s + 1;
    if ('(),;'.includes(c)) return { t: 'punct', v: c, s, e: s + 1 };
    return { t: 'bad', v: c, s, e: s + 1 };
  }

  private string(q: '"' | "'"): Tok {
    const src = this.src;
    const s = this.pos;
    let i = s + 1;
    let out = '';
    let run = '';
    let badEscape: string | undefined;
    const flush = () => {
      // Only non-ASCII runs need decoding; most pref strings are ASCII.
      out += /[\u0080-\u00ff]/.test(run) ? Buffer.from(run, 'latin1').toString('utf8') : run;
      run = '';
    };
    while (i < src.length && src[i] !== q) {
      const c = src[i]!;
      if (c === '\n' || c === '\r') break; // Mozilla strings cannot span lines.
      if (c !== '\\') {
        let j = i + 1;
        while (j < src.length && !isStringStop(src.charCodeAt(j), q)) j++;
        run += src.slice(i, j);
        i = j;
        continue;
      }
      flush();
      const n = src[i + 1];
      if (n === 'x' && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 2, i + 4))) {
        out += String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16));
        i += 4;
      } else if (n === 'u' && /^[0-9A-Fa-f]{4}$/.test(src.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
        i += 6;
      } else if (n === 'n') {
        out += '\n';
        i += 2;
      } else if (n === 'r') {
        out += '\r';
        i += 2;
      } else if (n === '"' || n === "'" || n === '\\') {
        out += n;
        i += 2;
      } else {
        // Keep scanning to the closing quote so the error stays within this statement.
        badEscape ??= `bad escape \\${n ?? ''}`;
        i += 2;
      }
    }
    flush();
    if (src[i] !== q) {
      this.pos = i;
      return { t: 'bad', v: 'unterminated string', s, e: i };
    }
    this.pos = i + 1;
    if (badEscape) return { t: 'bad', v: badEscape, s, e: i + 1 };
    return { t: 'str', v: out, q, s, e: i + 1 };
  }
}

/** Parses prefs.js/user.js bytes. Never throws: syntax errors are collected and the statement is skipped. */
export function parsePrefs(bytes: Buffer | string): PrefsDoc {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  const lx = new Lexer(text);
  const entries: PrefEntry[] = [];
  const errors: PrefsParseError[] = [];
  const fail = (tok: Tok | null, message: string) => {
    errors.push({ offset: tok ? tok.s : text.length, message });
    // Recover at the next `;` like Mozilla's parser does.
    for (let t = tok; t && !(t.t === 'punct' && t.v === ';'); t = lx.next()) {
      /* skip */
    }
  };
  for (let tok = lx.next(); tok && entries.length < MAX_ENTRIES; tok = lx.next()) {
    if (tok.t !== 'id' || !['user_pref', 'pref', 'sticky_pref'].includes(tok.v)) {
      fail(tok, tok.t === 'bad' ? tok.v : `unexpected ${JSON.stringify(tok.t === 'str' ? tok.v : String(tok.v))}`);
      continue;
    }
    const kw = tok;
    const open = lx.next();
    if (!open || open.t !== 'punct' || open.v !== '(') { fail(open, 'expected ('); continue; }
    const name = lx.next();
    if (!name || name.t !== 'str') { fail(name, 'expected a pref name string'); continue; }
    const comma = lx.next();
    if (!comma || comma.t !== 'punct' || comma.v !== ',') { fail(comma, 'expected ,'); continue; }
    const val = lx.next();
    let value: PrefValue;
    if (val && val.t === 'str') value = val.v;
    else if (val && val.t === 'num') value = val.v;
    else if (val && val.t === 'id' && (val.v === 'true' || val.v === 'false')) value = val.v === 'true';
    else { fail(val, 'expected a value'); continue; }
    let close = lx.next();
    // `pref("a", 1, locked)` attributes are only legal in default pref files; skip them without failing.
    while (close && close.t === 'punct' && close.v === ',') {
      lx.next();
      close = lx.next();
    }
    if (!close || close.t !== 'punct' || close.v !== ')') { fail(close, 'expected )'); continue; }
    const semi = lx.next();
    if (!semi || semi.t !== 'punct' || semi.v !== ';') { fail(semi, 'expected ;'); continue; }
    entries.push({
      kind: kw.v,
      name: name.v,
      value,
      valueStart: val.s,
      valueEnd: val.e,
      start: kw.s,
      end: semi.e,
      quote: val.t === 'str' ? val.q : null,
    });
  }
  return { text, entries, errors };
}

/** The effective value of each pref: the last assignment wins, as in Mozilla. */
export function prefMap(doc: PrefsDoc): Map<string, PrefValue> {
  const m = new Map<string, PrefValue>();
  for (const e of doc.entries) m.set(e.name, e.value);
  return m;
}

/** Encodes a value as a prefs.js token (binary string), escaping like Mozilla's own writer. */
export function encodePrefValue(value: PrefValue, quote: '"' | "'" = '"'): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError(`not a 32-bit integer: ${value}`);
    return String(value);
  }
  let out = '';
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\0') throw new RangeError('prefs strings cannot hold NUL');
    else if (ch.charCodeAt(0) < 0x20) out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += Buffer.from(ch, 'utf8').toString('latin1');
  }
  return quote + out + quote;
}

/** The file's line ending: CRLF if its first line break is one. */
function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * Sets a user pref, touching only its value bytes when it exists (the last assignment, which is the effective one);
 * otherwise appends one `user_pref(...)` line in the file's line-ending style. Returns the new bytes.
 */
export function setPref(doc: PrefsDoc, name: string, value: PrefValue): Buffer {
  let last: PrefEntry | undefined;
  for (let i = doc.entries.length - 1; i >= 0 && !last; i--) if (doc.entries[i]!.name === name) last = doc.entries[i];
  if (last) {
    const token = encodePrefValue(value, last.quote ?? '"');
    return Buffer.from(doc.text.slice(0, last.valueStart) + token + doc.text.slice(last.valueEnd), 'latin1');
  }
  const eol = eolOf(doc.text);
  const line = `user_pref(${encodePrefValue(name)}, ${encodePrefValue(value)});`;
  const sep = doc.text.length === 0 || doc.text.endsWith('\n') ? '' : eol;
  return Buffer.from(doc.text + sep + line + eol, 'latin1');
}

/** Applies several edits in order; each re-parses so offsets stay right. */
export function setPrefs(bytes: Buffer, edits: ReadonlyArray<readonly [string, PrefValue]>): Buffer {
  let out = bytes;
  for (const [name, value] of edits) out = setPref(parsePrefs(out), name, value);
  return out;
}
