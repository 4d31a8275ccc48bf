// A readable line diff for fix previews. Written here (Myers' O(ND) algorithm, ~60 lines) rather than adding a
// dependency: a fix changes a handful of lines, so D is tiny and the common prefix/suffix are trimmed first.

type Op = { t: ' ' | '-' | '+'; line: string };

const MAX_D = 2000;

function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, MAX_D); d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, off);
    }
  }
  // Too different to diff cheaply: show it as a whole replacement.
  return [...a.map((line) => ({ t: '-' as const, line })), ...b.map((line) => ({ t: '+' as const, line }))];
}

function backtrack(trace: Int32Array[], a: string[], b: string[], off: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : v[off + prevK]!;
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ t: ' ', line: a[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ t: '+', line: b[--y]! });
      else ops.push({ t: '-', line: a[--x]! });
    }
  }
  return ops.reverse();
}

function lines(bytes: Buffer): string[] {
  const s = bytes.toString('utf8');
  if (s === '') return [];
  const parts = s.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((l) => l.replace(/\r$/, ''));
}

/** A unified diff (2 lines of context) of two versions of a file, for people, not for `patch`. */
export function unifiedDiff(label: string, before: Buffer, after: Buffer, context = 2): string {
  const a = lines(before);
  const b = lines(after);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const ops: Op[] = [
    ...a.slice(0, pre).map((line) => ({ t: ' ' as const, line })),
    ...myers(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf)),
    ...a.slice(a.length - suf).map((line) => ({ t: ' ' as const, line })),
  ];
  const out = [`--- ${label}`, `+++ ${label}`];
  const changed = ops.map((o, i) => (o.t !== ' ' ? i : -1)).filter((i) => i >= 0);
  let i = 0;
  while (i < changed.length) {
    let j = i;
    while (j + 1 < changed.length && changed[j + 1]! - changed[j]! <= 2 * context + 1) j++;
    const from = Math.max(0, changed[i]! - context);
    const to = Math.min(ops.length, changed[j]! + context + 1);
    let la = 1;
    let lb = 1;
    for (let q = 0; q < from; q++) {
      if (ops[q]!.t !== '+') la++;
      if (ops[q]!.t !== '-') lb++;
    }
    const hunk = ops.slice(from, to);
    const na = hunk.filter((o) => o.t !== '+').length;
    const nb = hunk.filter((o) => o.t !== '-').length;
    out.push(`@@ -${la},${na} +${lb},${nb} @@`);
    for (const o of hunk) out.push(`${o.t}${o.line}`);
    i = j + 1;
  }
  if (changed.length === 0) out.push('(no change)');
  return out.join('\n');
}
