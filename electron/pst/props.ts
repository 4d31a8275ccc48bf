import iconv from 'iconv-lite';

// MAPI property ids and value decoding used by the messaging walk ([MS-OXPROPS]).

export const PR = {
  SUBJECT: 0x0037,
  CLIENT_SUBMIT_TIME: 0x0039,
  MESSAGE_CLASS: 0x001a,
  TRANSPORT_HEADERS: 0x007d,
  SENDER_NAME: 0x0c1a,
  SENDER_EMAIL: 0x0c1f,
  SENDER_SMTP: 0x5d01,
  SENT_REPRESENTING_NAME: 0x0042,
  RECIPIENT_TYPE: 0x0c15,
  DISPLAY_CC: 0x0e03,
  DISPLAY_TO: 0x0e04,
  DELIVERY_TIME: 0x0e06,
  MESSAGE_SIZE: 0x0e08,
  INTERNET_MESSAGE_ID: 0x1035,
  BODY: 0x1000,
  BODY_HTML: 0x1013,
  DISPLAY_NAME: 0x3001,
  EMAIL_ADDRESS: 0x3003,
  CONTENT_COUNT: 0x3602,
  SUBFOLDERS: 0x360a,
  ATTACH_DATA: 0x3701,
  ATTACH_FILENAME: 0x3704,
  ATTACH_METHOD: 0x3705,
  ATTACH_LONG_FILENAME: 0x3707,
  ATTACH_MIME_TAG: 0x370e,
  ATTACH_CONTENT_ID: 0x3712,
  SMTP_ADDRESS: 0x39fe,
  INTERNET_CODEPAGE: 0x3fde,
  MESSAGE_CODEPAGE: 0x3ffd,
  PST_PASSWORD: 0x67ff,
  LTP_ROW_ID: 0x67f2,
} as const;

export type PropValue = string | number | boolean | Date | Buffer | null;

/** FILETIME (100 ns since 1601) → Date; null for 0 or out-of-range values. */
export function filetime(bytes: Buffer): Date | null {
  if (bytes.length < 8) return null;
  const v = bytes.readUInt32LE(0) + bytes.readUInt32LE(4) * 0x100000000;
  if (v === 0) return null;
  const ms = v / 10_000 - 11_644_473_600_000;
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) && ms > 0 && ms < 8_640_000_000_000_000 ? d : null;
}

/** Decodes a value's bytes by MAPI type; 8-bit strings use the store's code page (default windows-1252). */
export function decodeValue(type: number, bytes: Buffer, codepage = 1252): PropValue {
  switch (type) {
    case 0x0002:
      return bytes.length >= 2 ? bytes.readInt16LE(0) : null;
    case 0x0003:
    case 0x000a:
      return bytes.length >= 4 ? bytes.readInt32LE(0) : null;
    case 0x000b:
      return bytes.length >= 1 ? bytes[0] !== 0 : null;
    case 0x0014:
      return bytes.length >= 8 ? bytes.readUInt32LE(0) + bytes.readInt32LE(4) * 0x100000000 : null;
    case 0x0005:
      return bytes.length >= 8 ? bytes.readDoubleLE(0) : null;
    case 0x0040:
      return filetime(bytes);
    case 0x001f:
      return bytes.subarray(0, bytes.length & ~1).toString('utf16le').replace(/\0+$/, '');
    case 0x001e: {
      const enc = iconv.encodingExists(`cp${codepage}`) ? `cp${codepage}` : 'win1252';
      return iconv.decode(bytes, enc).replace(/\0+$/, '');
    }
    default:
      return bytes;
  }
}

/** Subjects may start with a 0x01 marker plus a prefix-length character ([MS-OXCMSG] 2.2.1.46 normalization). */
export function cleanSubject(s: string): string {
  return s.charCodeAt(0) === 1 ? s.slice(2) : s;
}
