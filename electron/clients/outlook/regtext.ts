import type { RegType, RegValue } from '../../core/fix.ts';

// Pure parsers for the two text forms of the Windows registry: `reg query ... /s` output and `.reg` exports.
// Written here: the npm registry packages are native (native-reg) or only wrap reg.exe on Windows (winreg), and
// the tests and the fallback backend need exactly these two formats on any OS.

export interface RegKey {
  /** Full path with the hive abbreviated: `HKCU\Software\...`. */
  path: string;
  values: Map<string, RegValue>;
}

const HIVES: Record<string, string> = {
  HKEY_CURRENT_USER: 'HKCU',
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKEY_USERS: 'HKU',
  HKEY_CLASSES_ROOT: 'HKCR',
  HKEY_CURRENT_CONFIG: 'HKCC',
};

/** `HKEY_CURRENT_USER\X` and `hkcu\X` → `HKCU\X`; comparisons are case-insensitive like the registry's. */
export function normKey(k: string): string {
  const i = k.indexOf('\\');
  const hive = (i < 0 ? k : k.slice(0, i)).toUpperCase();
  const rest = i < 0 ? '' : k.slice(i);
  return (HIVES[hive] ?? hive) + rest.replace(/\\+$/, '');
}

export function sameKey(a: string, b: string): boolean {
  return normKey(a).toLowerCase() === normKey(b).toLowerCase();
}

const MAX_LINES = 2_000_000;

/** Data column of `reg query` → value. */
export function parseRegQueryData(type: string, raw: string): RegValue | null {
  switch (type) {
    case 'REG_DWORD':
    case 'REG_QWORD': {
      const n = Number.parseInt(raw, 16);
      return Number.isFinite(n) ? { type, data: n } : null;
    }
    case 'REG_BINARY':
    case 'REG_NONE':
      return /^([0-9A-Fa-f]{2})*$/.test(raw) ? { type, data: Buffer.from(raw, 'hex') } : null;
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { type, data: raw };
    case 'REG_MULTI_SZ':
      return { type, data: raw.split('\\0').join('\0') };
    default:
      return null;
  }
}

/** Pure: `reg query KEY /s` (or `/v NAME`) output → keys with their values. */
export function parseRegQuery(out: string): RegKey[] {
  const keys: RegKey[] = [];
  let cur: RegKey | null = null;
  for (const line of out.split(/\r?\n/).slice(0, MAX_LINES)) {
    if (/^HKEY_[A-Z_]+(\\|$)/.test(line)) {
      cur = { path: normKey(line.trim()), values: new Map() };
      keys.push(cur);
      continue;
    }
    // 4 spaces, name, 4 spaces, type, 4 spaces, data (data may be empty); names may contain spaces.
    const m = /^ {4}(.*?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (m && cur) {
      const v = parseRegQueryData(m[2]!, m[3] ?? '');
      if (v) cur.values.set(m[1] === '(Default)' ? '' : m[1]!, v);
    }
  }
  return keys;
}

/** `.reg` files are UTF-16LE with a BOM when written by regedit/reg export; older REGEDIT4 files are ANSI. */
export function decodeRegFile(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('latin1');
}

function unescapeRegString(s: string): string {
  return s.replace(/\\(["\\])/g, '$1');
}

/** hex(N): type codes used by .reg files. */
const HEX_TYPES: Record<string, RegType> = { '': 'REG_BINARY', '0': 'REG_NONE', '2': 'REG_EXPAND_SZ', '3': 'REG_BINARY', '4': 'REG_DWORD', '7': 'REG_MULTI_SZ', 'b': 'REG_QWORD' };

function parseRegFileData(raw: string): RegValue | null {
  if (raw.startsWith('"') && raw.endsWith('"')) return { type: 'REG_SZ', data: unescapeRegString(raw.slice(1, -1)) };
  const dw = /^dword:([0-9A-Fa-f]{8})$/.exec(raw);
  if (dw) return { type: 'REG_DWORD', data: Number.parseInt(dw[1]!, 16) };
  const hx = /^hex(?:\(([0-9a-fA-F]+)\))?:([0-9A-Fa-f,\s]*)$/.exec(raw);
  if (!hx) return null;
  const type = HEX_TYPES[(hx[1] ?? '').toLowerCase()];
  if (!type) return null;
  const bytes = Buffer.from(hx[2]!.replace(/[\s,]/g, ''), 'hex');
  if (type === 'REG_EXPAND_SZ' || type === 'REG_MULTI_SZ') {
    const s = bytes.toString('utf16le').replace(/\0+$/, '');
    return { type, data: s };
  }
  if (type === 'REG_QWORD') return { type, data: Number(bytes.readBigUInt64LE(0)) };
  if (type === 'REG_DWORD') return { type, data: bytes.readUInt32LE(0) };
  return { type, data: bytes };
}

/** Pure: a `.reg` export (text already decoded) → keys. Deleted values (`=-`) and keys (`[-…]`) are skipped. */
export function parseRegFile(text: string): RegKey[] {
  const keys: RegKey[] = [];
  let cur: RegKey | null = null;
  // Join continuation lines (trailing `\`).
  const lines = text.replace(/\\\r?\n\s*/g, '').split(/\r?\n/).slice(0, MAX_LINES);
  for (const line of lines) {
    const t = line.trim();
    if (!t || t.startsWith(';')) continue;
    const km = /^\[(.*)\]$/.exec(t);
    if (km) {
      cur = km[1]!.startsWith('-') ? null : { path: normKey(km[1]!), values: new Map() };
      if (cur) keys.push(cur);
      continue;
    }
    if (!cur) continue;
    const vm = /^(@|"((?:[^"\\]|\\.)*)")=(.*)$/.exec(t);
    if (!vm || vm[3] === '-') continue;
    const v = parseRegFileData(vm[3]!);
    if (v) cur.values.set(vm[1] === '@' ? '' : unescapeRegString(vm[2]!), v);
  }
  return keys;
}

/** A REG_BINARY UTF-16LE string (Outlook's usual form) or a REG_SZ → text. */
export function regString(v: RegValue | undefined): string | null {
  if (!v) return null;
  if (typeof v.data === 'string') return v.data.replace(/\0+$/, '') || null;
  if (Buffer.isBuffer(v.data)) return v.data.toString('utf16le').replace(/\0[\s\S]*$/, '') || null;
  return null;
}

export function regNumber(v: RegValue | undefined): number | null {
  return v && typeof v.data === 'number' ? v.data : null;
}

const LONG_HIVES: Record<string, string> = Object.fromEntries(Object.entries(HIVES).map(([k, v]) => [v, k]));

/** `reg query` data column for a value. */
export function formatRegQueryData(v: RegValue): string {
  if (Buffer.isBuffer(v.data)) return v.data.toString('hex').toUpperCase();
  if (typeof v.data === 'number') return `0x${v.data.toString(16)}`;
  return v.type === 'REG_MULTI_SZ' ? v.data.split('\0').join('\\0') : v.data;
}

/** Pure: keys → text in `reg query /s` format (used to save a readable copy of settings before a change). */
export function formatRegQuery(keys: RegKey[]): string {
  const out: string[] = [''];
  for (const k of keys) {
    const p = normKey(k.path);
    const i = p.indexOf('\\');
    const hive = i < 0 ? p : p.slice(0, i);
    out.push((LONG_HIVES[hive] ?? hive) + (i < 0 ? '' : p.slice(i)));
    for (const [name, v] of k.values) out.push(`    ${name === '' ? '(Default)' : name}    ${v.type}    ${formatRegQueryData(v)}`);
    out.push('');
  }
  return out.join('\r\n') + '\r\n';
}

function regFileValue(v: RegValue): string {
  const hex = (b: Buffer) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(',');
  const u16z = (s: string) => Buffer.from(s + '\0', 'utf16le');
  switch (v.type) {
    case 'REG_SZ':
      return `"${String(v.data).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    case 'REG_DWORD':
      return `dword:${(Number(v.data) >>> 0).toString(16).padStart(8, '0')}`;
    case 'REG_QWORD': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt(Number(v.data)));
      return `hex(b):${hex(b)}`;
    }
    case 'REG_EXPAND_SZ':
      return `hex(2):${hex(u16z(String(v.data)))}`;
    case 'REG_MULTI_SZ':
      return `hex(7):${hex(u16z(String(v.data) + '\0'))}`;
    case 'REG_NONE':
      return `hex(0):${hex(v.data as Buffer)}`;
    default:
      return `hex:${hex(v.data as Buffer)}`;
  }
}

/** Pure: keys → a `.reg` file as `reg export` writes it (UTF-16LE with BOM, CRLF). */
export function formatRegFile(keys: RegKey[]): Buffer {
  const out = ['Windows Registry Editor Version 5.00', ''];
  for (const k of keys) {
    const p = normKey(k.path);
    const i = p.indexOf('\\');
    out.push(`[${(LONG_HIVES[p.slice(0, i < 0 ? undefined : i)] ?? p.slice(0, i)) + (i < 0 ? '' : p.slice(i))}]`);
    for (const [name, v] of k.values) out.push(`${name === '' ? '@' : `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`}=${regFileValue(v)}`);
    out.push('');
  }
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(out.join('\r\n') + '\r\n', 'utf16le')]);
}
