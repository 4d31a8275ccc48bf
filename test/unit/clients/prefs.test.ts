import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodePrefValue, parsePrefs, prefMap, setPref, setPrefs, type PrefValue } from '../../../electron/clients/thunderbird/prefs.ts';

const FIX = path.resolve(import.meta.dirname, '../../fixtures/clients');
const read = (rel: string) => fs.readFileSync(path.join(FIX, rel));

describe('prefs.js parser on real-shaped files', () => {
  it('reads the Linux fixture (the documented broken state) with no errors', () => {
    const doc = parsePrefs(read('tb-linux/.thunderbird/abcd1234.default-release/prefs.js'));
    expect(doc.errors).toEqual([]);
    const m = prefMap(doc);
    expect(m.get('mail.smtpserver.smtp1.port')).toBe(25);
    expect(m.get('mail.identity.id1.valid')).toBe(true);
    expect(m.get('mail.server.server1.directory-rel')).toBe('[ProfD]ImapMail/imap.example.com');
  });

  it('decodes CRLF, UTF-8, \\u and \\x escapes, single quotes, escaped quotes and backslashes, all comment styles', () => {
    const doc = parsePrefs(read('tb-windows/AppData/Roaming/Thunderbird/Profiles/q1w2e3r4.default-release/prefs.js'));
    expect(doc.errors).toEqual([]);
    const m = prefMap(doc);
    expect(m.get('mail.identity.id1.fullName')).toBe('Jürgen Müller');
    expect(m.get('mail.identity.id2.fullName')).toBe('Jürgen (work)');
    expect(m.get('mail.server.server1.name')).toBe('Jürgen "Mail"');
    expect(m.get('mail.server.server1.directory')).toBe('C:\\Users\\Jürgen\\AppData\\Roaming\\Thunderbird\\Profiles\\q1w2e3r4.default-release\\Mail\\pop.example.de');
    expect(m.get('mail.smtpserver.smtp1.try_ssl')).toBe(2);
    expect(doc.entries.find((e) => e.name === 'mail.server.server1.directory')?.quote).toBe("'");
  });

  it('keeps a stray Latin-1 byte in a comment and still reads every pref', () => {
    const bytes = read('tb-macos/Library/Thunderbird/Profiles/k9m8n7b6.work/prefs.js');
    expect(bytes.includes(Buffer.from([0xe9]))).toBe(true);
    const doc = parsePrefs(bytes);
    expect(doc.errors).toEqual([]);
    expect(Buffer.from(doc.text, 'latin1').equals(bytes)).toBe(true);
    expect(prefMap(doc).get('mail.identity.id1.fullName')).toBe('Ana Pérez');
  });

  it('reports syntax errors with their offset and recovers at the next statement', () => {
    const src = 'user_pref("a", 1);\nuser_pref("b" 2);\nuser_pref("c", "x\\q");\nuser_pref("d", tru);\nuser_pref("e", "ok");\n';
    const doc = parsePrefs(Buffer.from(src));
    expect(doc.entries.map((e) => e.name)).toEqual(['a', 'e']);
    expect(doc.errors).toHaveLength(3);
    expect(doc.errors[0]!.offset).toBe(src.indexOf('2);'));
  });

  it('edits a value in place, keeping the quote style, CRLF and every other byte', () => {
    const bytes = read('tb-windows/AppData/Roaming/Thunderbird/Profiles/q1w2e3r4.default-release/prefs.js');
    const out = setPrefs(bytes, [['mail.smtpserver.smtp1.port', 587], ['mail.server.server1.directory', 'D:\\Mail']]);
    const expected = bytes
      .toString('latin1')
      .replace('"mail.smtpserver.smtp1.port", 465', '"mail.smtpserver.smtp1.port", 587')
      .replace(/'C:\\\\Users[^']*'/, "'D:\\\\Mail'");
    expect(out.toString('latin1')).toBe(expected);
    expect(prefMap(parsePrefs(out)).get('mail.server.server1.directory')).toBe('D:\\Mail');
  });

  it('appends a missing pref as one line in the file\'s line-ending style', () => {
    const crlf = Buffer.from('// x\r\nuser_pref("a", 1);\r\n');
    expect(setPref(parsePrefs(crlf), 'b', 'é').toString('utf8')).toBe('// x\r\nuser_pref("a", 1);\r\nuser_pref("b", "é");\r\n');
    const noEol = Buffer.from('user_pref("a", 1);');
    expect(setPref(parsePrefs(noEol), 'b', true).toString()).toBe('user_pref("a", 1);\nuser_pref("b", true);\n');
  });

  it('keeps a Latin-1 (not UTF-8) byte inside another pref\'s string value when editing', () => {
    const bytes = Buffer.concat([Buffer.from('user_pref("a", "caf'), Buffer.from([0xe9]), Buffer.from('");\nuser_pref("b", 1);\n')]);
    const out = setPref(parsePrefs(bytes), 'b', 2);
    expect(out.equals(Buffer.from(bytes.toString('latin1').replace('"b", 1', '"b", 2'), 'latin1'))).toBe(true);
    expect(prefMap(parsePrefs(bytes)).get('a')).toBe('caf\uFFFD'); // shown with a replacement character, never rewritten
  });

  it('refuses values Mozilla cannot store', () => {
    expect(() => encodePrefValue(2 ** 31)).toThrow(RangeError);
    expect(() => encodePrefValue('a\0b')).toThrow(RangeError);
  });
});

// ---- property tests: any file the generator makes ----

const nameArb = fc.stringMatching(/^[a-z][a-z0-9._-]{0,30}$/);
const valueArb: fc.Arbitrary<PrefValue> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes('\0')),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  fc.boolean(),
);
const quoteArb = fc.constantFrom<'"' | "'">('"', "'");
const spaceArb = fc.constantFrom('', ' ', '  ', '\t');
const commentArb = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => `// ${s.replace(/[\r\n]/g, '')}`),
  fc.string({ maxLength: 20 }).map((s) => `# ${s.replace(/[\r\n]/g, '')}`),
  fc.string({ maxLength: 20 }).map((s) => `/* ${s.replace(/\*\//g, '')} */`),
  fc.constant(''),
);
type Item = { kind: 'pref'; name: string; value: PrefValue; quote: '"' | "'"; sp: [string, string, string] } | { kind: 'comment'; text: string };
const itemArb: fc.Arbitrary<Item> = fc.oneof(
  fc.record({ kind: fc.constant('pref' as const), name: nameArb, value: valueArb, quote: quoteArb, sp: fc.tuple(spaceArb, spaceArb, spaceArb) }),
  fc.record({ kind: fc.constant('comment' as const), text: commentArb }),
);
const fileArb = fc.record({ items: fc.array(itemArb, { maxLength: 25 }), eol: fc.constantFrom('\n', '\r\n'), bom: fc.boolean(), trailingEol: fc.boolean() });

function render(f: { items: Item[]; eol: string; bom: boolean; trailingEol: boolean }): Buffer {
  const lines = f.items.map((it) =>
    it.kind === 'comment'
      ? Buffer.from(it.text, 'utf8').toString('latin1')
      : `user_pref(${it.sp[0]}${encodePrefValue(it.name)},${it.sp[1]}${encodePrefValue(it.value, it.quote)}${it.sp[2]});`,
  );
  const text = (f.bom ? '\u00EF\u00BB\u00BF' : '') + lines.join(f.eol) + (f.trailingEol && lines.length ? f.eol : '');
  return Buffer.from(text, 'latin1');
}

describe('prefs.js properties', () => {
  it('parse → write with no change → byte-identical, and every generated pref reads back', () => {
    fc.assert(
      fc.property(fileArb, (f) => {
        const bytes = render(f);
        const doc = parsePrefs(bytes);
        expect(Buffer.from(doc.text, 'latin1').equals(bytes)).toBe(true);
        expect(doc.errors).toEqual([]);
        const prefs = f.items.filter((i) => i.kind === 'pref');
        expect(doc.entries.map((e) => [e.name, e.value])).toEqual(prefs.map((p) => [p.name, p.value]));
        // Re-setting every pref to the value it has rewrites nothing.
        let out = bytes;
        for (const p of prefs) out = setPref(parsePrefs(out), p.name, prefMap(parsePrefs(out)).get(p.name)!);
        expect(out.equals(bytes)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('setting one pref changes only its value bytes and nothing else', () => {
    fc.assert(
      fc.property(fileArb, fc.nat(), valueArb, (f, pick, value) => {
        const bytes = render(f);
        const doc = parsePrefs(bytes);
        if (doc.entries.length === 0) return;
        const names = [...new Set(doc.entries.map((e) => e.name))];
        const name = names[pick % names.length]!;
        const last = [...doc.entries].reverse().find((e) => e.name === name)!;
        const out = setPref(doc, name, value);
        const after = parsePrefs(out);
        expect(after.errors).toEqual([]);
        expect(prefMap(after).get(name)).toEqual(value);
        const o = out.toString('latin1');
        expect(o.slice(0, last.valueStart)).toBe(doc.text.slice(0, last.valueStart));
        expect(o.slice(o.length - (doc.text.length - last.valueEnd))).toBe(doc.text.slice(last.valueEnd));
        for (const [k, v] of prefMap(doc)) if (k !== name) expect(prefMap(after).get(k)).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });
});
