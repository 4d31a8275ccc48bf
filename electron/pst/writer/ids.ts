import type { Prop, RawValue } from './props.ts';

// Table rows keyed by NIDs (the NIDs themselves: ../nids.ts).

/** A table row: its row id (for hierarchy and contents tables, the child's NID) and its cells by property tag. */
export type ContentsRow = { rowId: number; values: Map<number, RawValue> };

export function tagsOf(props: Prop[]): Map<number, RawValue> {
  return new Map(props.map((p) => [p.tag, p.value]));
}
