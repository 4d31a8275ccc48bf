import type { CommandRunner } from '../../engine/context.ts';
import type { RegistryBackend, RegValue } from '../../fixes/types.ts';
import { normKey, parseRegQuery, sameKey, type RegKey } from './regtext.ts';

const NOT_FOUND = /unable to find the specified registry key or value/i;

/**
 * The registry through Windows' own reg.exe (no native module to rebuild for Electron). Every call goes through
 * the injectable CommandRunner, so tests replay recorded `reg query` output.
 */
export class RegExeBackend implements RegistryBackend {
  constructor(private readonly run: CommandRunner) {}

  async listTree(key: string): Promise<RegKey[]> {
    const r = await this.run('reg', ['query', normKey(key), '/s'], { timeoutMs: 30_000 });
    if (r.code !== 0) {
      if (NOT_FOUND.test(r.stderr + r.stdout) || r.code === 1) return [];
      throw new Error(`reg query failed: ${r.error ?? r.stderr.trim()}`);
    }
    return parseRegQuery(r.stdout);
  }

  async getValue(key: string, name: string): Promise<RegValue | null> {
    const r = await this.run('reg', ['query', normKey(key), '/v', name], { timeoutMs: 15_000 });
    if (r.code !== 0) {
      if (NOT_FOUND.test(r.stderr + r.stdout) || r.code === 1) return null;
      throw new Error(`reg query failed: ${r.error ?? r.stderr.trim()}`);
    }
    const k = parseRegQuery(r.stdout).find((x) => sameKey(x.path, key));
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
