import type { Method } from '../contract/api.ts';
import { confinePath } from './roots.ts';

/** The request fields that name files or folders on this machine, per method. */
const PATH_FIELDS: Partial<Record<Method, { single: string[]; lists: string[] }>> = {
  pstScan: { single: ['mailboxMap', 'importCsv'], lists: ['paths'] },
  pstSalvage: { single: ['file', 'out'], lists: [] },
  pstRepair: { single: ['file', 'out'], lists: [] },
  scan: { single: ['home'], lists: [] },
  accounts: { single: ['home'], lists: [] },
  fixList: { single: ['home'], lists: [] },
  fixPreview: { single: ['home'], lists: [] },
  fixApply: { single: ['home'], lists: [] },
  undo: { single: ['home'], lists: [] },
};

/** Rejects a request whose paths leave the allowed roots; leaves everything else to the contract's validation. */
export async function confineRequestPaths(method: Method, body: unknown, roots: string[]): Promise<unknown> {
  const fields = PATH_FIELDS[method];
  if (!fields || typeof body !== 'object' || body === null) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const key of fields.single) if (typeof out[key] === 'string') out[key] = await confinePath(out[key] as string, roots);
  for (const key of fields.lists) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = await Promise.all(list.map((p) => (typeof p === 'string' ? confinePath(p, roots) : p)));
  }
  return out;
}
