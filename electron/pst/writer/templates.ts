// Column sets of the table templates a new store carries ([MS-PST] 2.4.4.4.1, 2.4.4.5.1, 2.4.4.6.1, 2.4.5.2,
// 2.4.6.1), in the order and with the types of the empty store Microsoft ships with outlook-pst-rs (shared fixture
// ms-outlook-pst-rs-Empty.pst). Every folder's tables start from these columns. String columns are listed as
// PT_UNICODE; PropKit.tags() turns them into PT_STRING8 for ANSI stores.

export const HIERARCHY_COLUMNS = [0x0e300102, 0x0e330014, 0x0e340102, 0x0e380003, 0x3001001f, 0x36020003, 0x36030003, 0x360a000b, 0x3613001f, 0x66350003, 0x66360003] as const;

export const CONTENTS_COLUMNS = [
  0x00170003, 0x001a001f, 0x00360003, 0x0037001f, 0x00390040, 0x0042001f, 0x0057000b, 0x0058000b, 0x0070001f, 0x00710102, 0x0e03001f,
  0x0e04001f, 0x0e060040, 0x0e070003, 0x0e080003, 0x0e170003, 0x0e300102, 0x0e330014, 0x0e340102, 0x0e380003, 0x0e3c0102, 0x0e3d0102,
  0x10970003, 0x30080040, 0x30130102, 0x65c60003,
] as const;

export const ASSOC_CONTENTS_COLUMNS = [
  0x001a001f, 0x0e070003, 0x0e170003, 0x3001001f, 0x6800001f, 0x6803000b, 0x68051003, 0x682f001f, 0x70030003, 0x70040102, 0x70050102,
  0x7006001f, 0x70070003,
] as const;

export const SEARCH_CONTENTS_COLUMNS = [
  0x00170003, 0x001a001f, 0x00360003, 0x0037001f, 0x0042001f, 0x0057000b, 0x0058000b, 0x0e03001f, 0x0e04001f, 0x0e05001f, 0x0e060040,
  0x0e070003, 0x0e080003, 0x0e170003, 0x0e2a000b, 0x30080040, 0x67f10003,
] as const;

export const ATTACHMENT_COLUMNS = [0x0e200003, 0x3704001f, 0x37050003, 0x370b0003] as const;

export const RECIPIENT_COLUMNS = [0x0c150003, 0x0e0f000b, 0x0ff90102, 0x0ffe0003, 0x0fff0102, 0x3001001f, 0x3002001f, 0x3003001f, 0x300b0102, 0x39000003, 0x39ff001f, 0x3a40000b] as const;

/** Receive folder table (node 0x62B): message class → the folder NID that receives it. */
export const RECEIVE_FOLDER_COLUMNS = [0x001a001f, 0x66050003] as const;
export const TAG_RECEIVE_FOLDER_NID = 0x66050003;

/** Further empty templates Outlook keeps at fixed NIDs ([MS-PST] 2.4.1). */
export const OTHER_TEMPLATES: readonly { nid: number; columns: readonly number[] }[] = [
  { nid: 0x64c, columns: [0x00390040, 0x0e100003, 0x0e140003] }, // outgoing queue
  { nid: 0x6b6, columns: [0x0e330014, 0x0e370102, 0x0e380003] },
  { nid: 0x6d7, columns: [0x001a001f, 0x0e300102, 0x0e310102, 0x0e330014, 0x0e340102, 0x0e380003, 0x0e3e0102] },
  { nid: 0x6f8, columns: [0x0e330014, 0x30070040] },
];
