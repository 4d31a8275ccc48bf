// Where a repair writes, named as the engine names it: one file, or with a split size OUT-1.pst, OUT-2.pst, … in
// the same folder (OUT's name without its extension, then -N, then the extension).

/** The split sizes the contract accepts, in GB. */
export const SPLIT_GB = { min: 0.001, max: 50 } as const;

const cutOf = (p: string) => Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1;

/** The default new file: beside the source, `<name>-repaired.pst` (an OST becomes a PST too). */
export function defaultRepairTarget(source: string): string {
  const cut = cutOf(source);
  const stem = source.slice(cut).replace(/\.(pst|ost)$/i, '');
  return `${source.slice(0, cut)}${stem}-repaired.pst`;
}

/** Part K (1-based) of a split repair into OUT: `<stem>-K<ext>` in OUT's folder. */
export function splitPartPath(out: string, k: number): string {
  const cut = cutOf(out);
  const name = out.slice(cut);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${out.slice(0, cut)}${stem}-${k}${ext}`;
}

/** The split field: empty → one file (undefined); a number in the contract's range → GB; anything else → 'invalid'. */
export function parseSplitGb(text: string): number | undefined | 'invalid' {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) && n >= SPLIT_GB.min && n <= SPLIT_GB.max ? n : 'invalid';
}
