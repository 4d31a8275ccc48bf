import type { Prop, RawValue } from './props.ts';

// NIDs ([MS-PST] 2.2.2.1, 2.4.1): well-known nodes, NID types, and table rows keyed by them.

export const NID = { STORE: 0x21, NAMEID: 0x61, ROOT: 0x122 } as const;
export const TYPE = { FOLDER: 0x02, MESSAGE: 0x04, ATTACHMENT: 0x05, HIER: 0x0d, CONTENTS: 0x0e, ASSOC: 0x0f, ATT_TABLE: 0x11, RCP_TABLE: 0x12 } as const;
export const NID_ATT_TABLE = 0x671;
export const NID_RCP_TABLE = 0x692;
export const BASE_TIME = Date.UTC(2024, 0, 1);

export const nidOf = (index: number, type: number) => ((index << 5) | type) >>> 0;

export type ContentsRow = { rowId: number; values: Map<number, RawValue> };

export function tagsOf(props: Prop[]): Map<number, RawValue> {
  return new Map(props.map((p) => [p.tag, p.value]));
}
