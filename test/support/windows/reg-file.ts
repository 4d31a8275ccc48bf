// .reg files for the Windows suite, written and read here and not with the product's regtext.ts: the suite checks
// the product against Wine's reg.exe, so its own view of the registry must not share the product's code.

/** A value as regedit writes it: sz "text", dword, binary bytes, or u16: text as Outlook stores it (REG_BINARY UTF-16LE + NUL). */
export type RegData = { sz: string } | { dword: number } | { bin: Buffer } | { u16: string };

export interface RegKeyModel {
  /** HKEY_CURRENT_USER\… */
  path: string;
  values: Array<[string, RegData]>;
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** hex:aa,bb,… wrapped at 80 columns with a trailing backslash, as regedit does. */
function hexLines(prefix: string, bytes: Buffer): string {
  const parts = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
  const lines: string[] = [];
  let line = prefix;
  parts.forEach((p, i) => {
    const tok = p + (i < parts.length - 1 ? ',' : '');
    if (line.length + tok.length > 77) {
      lines.push(line + '\\');
      line = '  ';
    }
    line += tok;
  });
  lines.push(line);
  return lines.join('\r\n');
}

export const u16z = (s: string): Buffer => Buffer.from(s + '\0', 'utf16le');

function valueLine(name: string, d: RegData): string {
  const n = name === '' ? '@' : quote(name);
  if ('sz' in d) return `${n}=${quote(d.sz)}`;
  if ('dword' in d) return `${n}=dword:${(d.dword >>> 0).toString(16).padStart(8, '0')}`;
  return hexLines(`${n}=hex:`, 'bin' in d ? d.bin : u16z(d.u16));
}

/** Keys → a .reg file: UTF-16LE with BOM, CRLF, "Windows Registry Editor Version 5.00". */
export function writeRegFile(keys: RegKeyModel[]): Buffer {
  const out = ['Windows Registry Editor Version 5.00', ''];
  for (const k of keys) {
    out.push(`[${k.path}]`);
    for (const [name, d] of k.values) out.push(valueLine(name, d));
    out.push('');
  }
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(out.join('\r\n') + '\r\n', 'utf16le')]);
}

/**
 * A `reg export` file → key (lower-cased path) → value name → the value as written in the file (`dword:0000024b`,
 * `hex:…` without line breaks). Compared as text: the suite asserts what reg.exe stored, not an interpretation.
 */
export function readRegExport(bytes: Buffer): Map<string, Map<string, string>> {
  if (bytes[0] !== 0xff || bytes[1] !== 0xfe) throw new Error('reg export: not UTF-16LE with a BOM');
  const text = bytes.subarray(2).toString('utf16le').replace(/\\\r\n\s*/g, '');
  const keys = new Map<string, Map<string, string>>();
  let cur: Map<string, string> | null = null;
  for (const line of text.split('\r\n')) {
    const k = /^\[(.+)\]$/.exec(line);
    if (k) {
      cur = new Map();
      keys.set(k[1]!.toLowerCase(), cur);
      continue;
    }
    const v = /^(@|"((?:[^"\\]|\\.)*)")=(.*)$/.exec(line);
    if (v && cur) cur.set(v[1] === '@' ? '' : v[2]!.replace(/\\(["\\])/g, '$1'), v[3]!);
  }
  return keys;
}

/** The text form readRegExport gives for a value written with this model. */
export function exportedForm(d: RegData): string {
  return valueLine('x', d).slice(2).replace(/\\\r\n\s*/g, '');
}

/** What changed between two exports: "key\\name" → [before, after] (undefined = absent). */
export function regDiff(a: Map<string, Map<string, string>>, b: Map<string, Map<string, string>>): Map<string, [string | undefined, string | undefined]> {
  const out = new Map<string, [string | undefined, string | undefined]>();
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const va = a.get(key) ?? new Map<string, string>();
    const vb = b.get(key) ?? new Map<string, string>();
    if (!a.has(key) || !b.has(key)) out.set(key, [a.has(key) ? 'key' : undefined, b.has(key) ? 'key' : undefined]);
    for (const name of new Set([...va.keys(), ...vb.keys()])) {
      if (va.get(name) !== vb.get(name)) out.set(`${key}\\${name}`, [va.get(name), vb.get(name)]);
    }
  }
  return out;
}
