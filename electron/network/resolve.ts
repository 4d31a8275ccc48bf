import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type Resolver = (host: string) => Promise<string | null>;

/** System resolver (what the mail client uses), bounded in time; null when the name does not resolve. */
export const systemResolver: Resolver = async (host) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), 5_000);
  });
  try {
    const r = await Promise.race([lookup(host).then((a) => a.address), timeout]);
    return r;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
};

/** An IP literal is used as is; a name is resolved; null when neither works. */
export async function toAddress(host: string, resolve: Resolver): Promise<string | null> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return bare;
  return resolve(host);
}
