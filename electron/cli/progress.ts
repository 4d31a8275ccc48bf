import type { Progress } from '../core/progress.ts';

/** Progress on stderr, and only when stderr is a terminal: pipes and RMM logs get none of it. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): ((p: Progress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    const final = p.total !== null && p.done >= p.total;
    if (!final && now - last < 100) return;
    last = now;
    const width = 24;
    const bar =
      p.total && p.total > 0 ? '[' + '#'.repeat(Math.round((p.done / p.total) * width)).padEnd(width, '.') + '] ' : '';
    const amount = p.unit === 'bytes' ? `${(p.done / 1048576).toFixed(1)} MB` : p.total ? `${p.done}/${p.total}` : `${p.done}`;
    const text = `${bar}${p.phase} ${amount}${p.detail ? ' — ' + p.detail : ''}`;
    stream.write('\r\x1b[2K' + text.slice(0, (stream.columns ?? 100) - 1));
    if (final) stream.write('\r\x1b[2K');
  };
}
