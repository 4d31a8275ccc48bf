import { ApiError } from '../core/errors.ts';

/**
 * Reads one secret (a password, an OAuth access token) from stdin: the first line, bounded. It stays in memory for
 * this call only. A longer input is refused rather than cut, so a truncated token is never sent; the message names
 * the limit, never the text.
 */
export async function readSecretFromStdin(what: string, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = chunk as Buffer;
    const nl = buf.indexOf(0x0a);
    const part = nl >= 0 ? buf.subarray(0, nl) : buf;
    size += part.length;
    if (size > maxBytes) throw new ApiError('bad-request', `the ${what} on standard input is longer than ${maxBytes} bytes`);
    chunks.push(part);
    if (nl >= 0) break;
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r$/, '');
}

/** Reads a password from stdin (first line, bounded). It stays in memory for this call only. */
export function readPasswordFromStdin(maxBytes = 4096): Promise<string> {
  return readSecretFromStdin('password', maxBytes);
}
