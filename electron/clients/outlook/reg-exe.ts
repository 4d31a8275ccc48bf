import type { CommandRunner } from '../../core/context.ts';
import type { RegistryBackend, RegValue } from '../../core/fix.ts';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeRegFile, normKey, parseRegFile, parseRegQuery, sameKey, type RegKey } from './regtext.ts';

const NOT_FOUND = /unable to find the specified registry key or value/i;

/**
 * The registry through Windows' own reg.exe (no native module to rebuild for Electron). Every call goes through
 * the injectable CommandRunner, so tests replay recorded `reg query` output.
 */
export class RegExeBackend implements RegistryBackend {
  constructor(private readonly run: CommandRunner) {}

  /**
   * Whole trees go through `reg export` (a UTF-16LE file), not `reg query` (console text in the OEM code page):
   * a profile named "Büro" must come back as "Büro", or the fix could not find its key again.
   */
  async listTree(key: string): Promise<RegKey[]> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailmedic-reg-'));
    const file = path.join(dir, 'export.reg');
    try {
      const r = await this.run('reg', ['export', normKey(key), file, '/y'], { timeoutMs: 30_000 });
      if (r.code !== 0) {
        if (NOT_FOUND.test(r.stderr + r.stdout) || r.code === 1) return [];
        throw new Error(`reg export failed: ${r.error ?? r.stderr.trim()}`);
      }
      return parseRegFile(decodeRegFile(await fs.readFile(file)));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  async getValue(key: string, name: string): Promise<RegValue | null> {
    const r = await this.run('reg', ['query', normKey(key), '/v', name], { timeoutMs: 15_000 });
    if (r.code !== 0) {
      if (NOT_FOUND.test(r.stderr + r.stdout) || r.code === 1) return null;
      throw new Error(`reg query failed: ${r.error ?? r.stderr.trim()}`);
    }
    // Exactly one key was asked for: take it whatever its printed name (non-ASCII names print in the OEM code page).
    const keys = parseRegQuery(r.stdout);
    const k = keys.find((x) => sameKey(x.path, key)) ?? keys[0];
    const v = k?.values.get(name) ?? null;
    // Text printed by `reg query` went through the OEM code page too ("Büro – Jürgen" came back as "B?ro - J?rgen"):
    // a string value is read again from a UTF-16LE export, which is exact.
    if (v && typeof v.data === 'string') return (await this.exportedValue(key, name)) ?? v;
    return v;
  }

  private async exportedValue(key: string, name: string): Promise<RegValue | null> {
    const k = (await this.listTree(key)).find((x) => sameKey(x.path, key));
    return k?.values.get(name) ?? null;
  }

  async setValue(key: string, name: string, value: RegValue): Promise<void> {
    const r = await this.run('reg', ['add', normKey(key), '/v', name, '/t', value.type, '/d', regExeData(value), '/f'], { timeoutMs: 15_000 });
    if (r.code !== 0) throw new Error(`reg add failed: ${r.error ?? r.stderr.trim()}`);
  }

  async deleteValue(key: string, name: string): Promise<void> {
    const r = await this.run('reg', ['delete', normKey(key), '/v', name, '/f'], { timeoutMs: 15_000 });
    if (r.code !== 0) throw new Error(`reg delete failed: ${r.error ?? r.stderr.trim()}`);
  }
}

/** The `/d` argument reg.exe expects for each type. */
export function regExeData(v: RegValue): string {
  if (Buffer.isBuffer(v.data)) return v.data.toString('hex').toUpperCase();
  if (typeof v.data === 'number') return String(v.data);
  return v.type === 'REG_MULTI_SZ' ? v.data.split('\0').join('\\0') : v.data;
}
