/** Reads a password from stdin (first line, bounded). It stays in memory for this call only. */
export async function readPasswordFromStdin(maxBytes = 4096): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) break;
    chunks.push(buf);
    if (buf.includes(0x0a)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}
