import type { CommandRunner, CommandResult } from '../../../electron/core/context.ts';
import type { RegType, RegValue } from '../../../electron/core/fix.ts';
import fs from 'node:fs';
import path from 'node:path';
import { formatRegFile, formatRegQuery, normKey, parseRegQuery, type RegKey } from '../../../electron/clients/outlook/regtext.ts';
import { CLIENT_FIXTURES } from './context.ts';

// Stands in for Windows' reg.exe and tasklist on this Linux machine: a hive loaded from recorded `reg query /s`
// output or a .reg export, answering in reg.exe's own text format, so the real RegExeBackend (argument building,
// output parsing) runs unchanged. Not the thing under test: the Outlook reader and the fix engine are.

const NOT_FOUND: CommandResult = { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n', error: null };
/** reg.exe prints to the console in the OEM code page: non-ASCII text does not survive the trip into Node. */
const oem = (text: string) => text.replace(/[\u0080-\uffff]/g, '?');
const OK: CommandResult = { code: 0, stdout: 'The operation completed successfully.\r\n', stderr: '', error: null };

export class RegExeEmulator {
  readonly keys = new Map<string, RegKey>();
  /** Lines of `tasklist /FO CSV /NH`. */
  processes: string[] = ['"System Idle Process","0","Services","0","8 K"', '"explorer.exe","4312","Console","1","98,112 K"'];
  readonly calls: string[][] = [];

  constructor(...hives: RegKey[][]) {
    for (const h of hives) for (const k of h) this.keys.set(normKey(k.path).toLowerCase(), { path: normKey(k.path), values: new Map(k.values) });
  }

  value(key: string, name: string): RegValue | undefined {
    return this.keys.get(normKey(key).toLowerCase())?.values.get(name);
  }

  private under(key: string): RegKey[] {
    const k = normKey(key).toLowerCase();
    return [...this.keys.entries()].filter(([p]) => p === k || p.startsWith(k + '\\')).map(([, v]) => v);
  }

  readonly run: CommandRunner = async (cmd, args) => {
    this.calls.push([cmd, ...args]);
    if (cmd === 'tasklist') return { code: 0, stdout: this.processes.join('\r\n') + '\r\n', stderr: '', error: null };
    if (cmd !== 'reg') return { code: null, stdout: '', stderr: '', error: 'not-found' };
    const [verb, key, ...rest] = args;
    const opt = (flag: string) => {
      const i = rest.indexOf(flag);
      return i >= 0 ? rest[i + 1] : undefined;
    };
    if (!key) return { code: 1, stdout: '', stderr: 'ERROR: Invalid syntax.', error: null };
    const k = this.keys.get(normKey(key).toLowerCase());
    if (verb === 'export') {
      const keys = this.under(key);
      if (!keys.length || !rest[0]) return NOT_FOUND;
      fs.writeFileSync(rest[0], formatRegFile(keys));
      return OK;
    }
    if (verb === 'query' && rest.includes('/s')) {
      const keys = this.under(key);
      return keys.length ? { code: 0, stdout: oem(formatRegQuery(keys)), stderr: '', error: null } : NOT_FOUND;
    }
    if (verb === 'query') {
      const name = opt('/v');
      const v = name !== undefined ? k?.values.get(name) : undefined;
      if (!k || name === undefined || !v) return NOT_FOUND;
      return { code: 0, stdout: oem(formatRegQuery([{ path: k.path, values: new Map([[name, v]]) }])), stderr: '', error: null };
    }
    if (verb === 'add') {
      const name = opt('/v');
      const type = opt('/t') as RegType | undefined;
      const data = opt('/d') ?? '';
      if (name === undefined || !type) return { code: 1, stdout: '', stderr: 'ERROR: Invalid syntax.', error: null };
      let value: RegValue;
      if (type === 'REG_DWORD' || type === 'REG_QWORD') value = { type, data: data.startsWith('0x') ? Number.parseInt(data, 16) : Number(data) };
      else if (type === 'REG_BINARY' || type === 'REG_NONE') value = { type, data: Buffer.from(data, 'hex') };
      else value = { type, data: type === 'REG_MULTI_SZ' ? data.split('\\0').join('\0') : data };
      const target = k ?? { path: normKey(key), values: new Map() };
      target.values.set(name, value);
      this.keys.set(normKey(key).toLowerCase(), target);
      return OK;
    }
    if (verb === 'delete') {
      const name = opt('/v');
      if (!k || name === undefined || !k.values.delete(name)) return NOT_FOUND;
      return OK;
    }
    return { code: 1, stdout: '', stderr: 'ERROR: Invalid syntax.', error: null };
  };
}

/** The recorded Outlook 16.0 + Windows Messaging Subsystem hives of test/fixtures/clients/outlook. */
export function outlookEmulator(): RegExeEmulator {
  const rec = (f: string) => parseRegQuery(fs.readFileSync(path.join(CLIENT_FIXTURES, 'outlook', f), 'utf8'));
  return new RegExeEmulator(rec('reg-query-office16.txt'), rec('reg-query-office16-default.txt'), rec('reg-query-wms.txt'));
}
