import { describe, expect, it } from 'vitest';
import { iniGet, iniSet, iniSetAll, parseIni } from '../../../electron/clients/ini.ts';
import { listProcesses, parsePs, parseTasklist, parseWmicProcesses } from '../../../electron/clients/processes.ts';
import type { CommandResult, EngineContext } from '../../../electron/core/context.ts';
import { parseLockTarget } from '../../../electron/clients/thunderbird/running.ts';

describe('INI reader/editor', () => {
  const src = '; comment\r\n[Data Source]\r\nDisplayName=Jürgen\r\nEnabled=true\r\n\r\n[Authentication]\r\nHost = smtp.example.de \r\nPort=25\r\n';
  it('reads sections and values (UTF-8, spaces around =, CRLF)', () => {
    const doc = parseIni(Buffer.from(src));
    expect(iniGet(doc, 'Data Source', 'DisplayName')).toBe('Jürgen');
    expect(iniGet(doc, 'Authentication', 'Host')).toBe('smtp.example.de');
    expect(iniGet(doc, 'Authentication', 'Missing')).toBeUndefined();
  });
  it('changes only the value bytes, keeping padding and CRLF', () => {
    const out = iniSetAll(Buffer.from(src), [['Authentication', 'Port', '587'], ['Authentication', 'Host', 'mail.example.de']]);
    expect(out.toString()).toBe(src.replace('Port=25', 'Port=587').replace('Host = smtp.example.de ', 'Host = mail.example.de '));
  });
  it('inserts a missing key after the section\'s last entry, in the file\'s line-ending style', () => {
    const out = iniSet(parseIni(Buffer.from(src)), 'Data Source', 'Parent', 'x');
    expect(out.toString()).toContain('Enabled=true\r\nParent=x\r\n\r\n[Authentication]');
    expect(() => iniSet(parseIni(Buffer.from(src)), 'Nope', 'a', 'b')).toThrow(/not found/);
    expect(() => iniSet(parseIni(Buffer.from(src)), 'Data Source', 'a', 'x\ny')).toThrow(/line breaks/);
  });
  it('appends to a last line without a line end', () => {
    expect(iniSet(parseIni('[a]\nk=v'), 'a', 'n', '1').toString()).toBe('[a]\nk=v\nn=1\n');
  });
});

describe('process lists and lock targets', () => {
  it('parses ps output (full paths, arguments)', () => {
    const out = '    1 /sbin/init splash\n 4242 /usr/lib/thunderbird/thunderbird -P default\n 4250 thunderbird-bin\n';
    expect(parsePs(out)).toEqual([{ pid: 1, name: 'init' }, { pid: 4242, name: 'thunderbird' }, { pid: 4250, name: 'thunderbird-bin' }]);
  });
  it('parses tasklist CSV output', () => {
    const out = '"System Idle Process","0","Services","0","8 K"\r\n"OUTLOOK.EXE","9120","Console","1","312,456 K"\r\n"thunderbird.exe","700","Console","1","1 K"\r\n';
    expect(parseTasklist(out).map((p) => p.name)).toEqual(['system idle process', 'outlook', 'thunderbird']);
  });
  // wmic's columns as Wine 8 writes them, UTF-16LE with a BOM, read by the runner as UTF-8.
  const wmicOut = (rows: Array<[string, number]>) =>
    Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(['Name              ProcessId  ', ...rows.map(([n, p]) => `${n.padEnd(18)}${String(p).padEnd(11)}`)].join('\r\n') + '\r\n', 'utf16le'),
    ]).toString('utf8');
  it('parses wmic process output (UTF-16LE read as UTF-8, names with spaces)', () => {
    expect(parseWmicProcesses(wmicOut([['services.exe', 56], ['My Tool.exe', 70], ['OUTLOOK.EXE', 312]]))).toEqual([
      { pid: 56, name: 'services' },
      { pid: 70, name: 'my tool' },
      { pid: 312, name: 'outlook' },
    ]);
    expect(parseWmicProcesses('')).toEqual([]);
  });
  it('an empty tasklist is no process list: wmic is asked, and with no answer the list is unknown', async () => {
    const answers: Record<string, CommandResult> = { tasklist: { code: 0, stdout: '', stderr: '', error: null } };
    const ctx = { platform: 'win32', run: async (cmd: string) => answers[cmd] ?? { code: null, stdout: '', stderr: '', error: 'not-found' } } as unknown as EngineContext;
    expect(await listProcesses(ctx)).toBeNull();
    answers.wmic = { code: 0, stdout: wmicOut([['OUTLOOK.EXE', 312]]), stderr: '', error: null };
    expect(await listProcesses(ctx)).toEqual([{ pid: 312, name: 'outlook' }]);
  });
  it('reads the pid from the lock symlink target', () => {
    expect(parseLockTarget('127.0.0.1:+31337')).toBe(31337);
    expect(parseLockTarget('garbage')).toBeNull();
  });
});
