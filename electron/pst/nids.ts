// NIDs ([MS-PST] 2.2.2.1, 2.4.1): well-known nodes and NID types, for the reader, the repair and the writer alike.

export const NID = {
  STORE: 0x21,
  NAMEID: 0x61,
  ROOT: 0x122,
  SEARCH_MANAGEMENT_QUEUE: 0x1e1,
  SEARCH_ACTIVITY_LIST: 0x201,
  SEARCH_DOMAIN_OBJECT: 0x261,
  RECEIVE_FOLDER_TABLE: 0x62b,
  ATT_TABLE: 0x671,
  RCP_TABLE: 0x692,
} as const;
export const TYPE = {
  FOLDER: 0x02,
  SEARCH_FOLDER: 0x03,
  MESSAGE: 0x04,
  ATTACHMENT: 0x05,
  ASSOC_MESSAGE: 0x08,
  HIER: 0x0d,
  CONTENTS: 0x0e,
  ASSOC: 0x0f,
  ATT_TABLE: 0x11,
  RCP_TABLE: 0x12,
} as const;

/** No node of a store has an id below the message store's: a lower one is damage (readpst refuses the store). */
export const LOWEST_NID = NID.STORE;

export const nidOf = (index: number, type: number) => ((index << 5) | type) >>> 0;
export const nidIndex = (nid: number) => nid >>> 5;
export const nidType = (nid: number) => nid & 0x1f;
