import { describe, expect, it } from 'vitest';
import { classFromItems, folderClassOf, specialFolderClasses } from '../../../electron/pst/repair/folder-class.ts';
import type { RawProp } from '../../../electron/pst/repair/read.ts';
import { entryIdNid } from '../../../electron/pst/repair/store-info.ts';

// The container class a folder that lost its own is given: the one the store names it by, else its items' majority.

const UID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const entryId = (nid: number, uid = UID) => {
  const b = Buffer.alloc(24);
  uid.copy(b, 4);
  b.writeUInt32LE(nid, 20);
  return b;
};
const prop = (id: number, type: number, bytes: Buffer): RawProp => ({ id, type, value: { bytes } });
/** A multi-valued binary as a PC stores it: count, offsets, then the values. */
function mvBinary(items: Buffer[]): Buffer {
  const head = Buffer.alloc(4 + 4 * items.length);
  head.writeUInt32LE(items.length, 0);
  let at = head.length;
  items.forEach((b, i) => {
    head.writeUInt32LE(at, 4 + 4 * i);
    at += b.length;
  });
  return Buffer.concat([head, ...items]);
}

describe('folder classes', () => {
  it('maps each message class to the folder class it belongs in', () => {
    expect(['IPM.Appointment', 'IPM.Schedule.Meeting.Request', 'IPM.Contact', 'IPM.DistList', 'IPM.Task', 'IPM.StickyNote', 'IPM.Activity', 'IPM.Note', 'REPORT.IPM.Note.NDR', 'ipm.contact.custom'].map(folderClassOf))
      .toEqual(['IPF.Appointment', 'IPF.Appointment', 'IPF.Contact', 'IPF.Contact', 'IPF.Task', 'IPF.StickyNote', 'IPF.Journal', 'IPF.Note', 'IPF.Note', 'IPF.Contact']);
  });

  it('takes the class most items call for, and none for an empty folder', () => {
    expect(classFromItems(['IPM.Contact', 'IPM.DistList', 'IPM.Note'])).toEqual({ cls: 'IPF.Contact', why: '2 of its 3 item(s) belong in such a folder' });
    expect(classFromItems(['IPM.Note', 'IPM.Appointment'])).toEqual({ cls: 'IPF.Note', why: '1 of its 2 item(s) belong in such a folder' });
    expect(classFromItems([])).toBeNull();
  });

  it('reads the special-folder entry IDs of this store (and only of this store), the additional ones by position', () => {
    const other = Buffer.from('ffeeddccbbaa99887766554433221100', 'hex');
    const props = [
      prop(0x36d0, 0x0102, entryId(0x8122)),
      prop(0x36d1, 0x0102, entryId(0x8142, other)),
      prop(0x36d4, 0x0102, Buffer.alloc(7)),
      prop(0x36d8, 0x1102, mvBinary([entryId(0x8242), entryId(0x8262), entryId(0x8282), entryId(0x82a2), entryId(0x8202)])),
    ];
    const got = specialFolderClasses(props, (b) => entryIdNid(b, UID));
    expect([...got]).toEqual([
      [0x8122, { cls: 'IPF.Appointment', why: 'the store names it its calendar' }],
      [0x8242, { cls: 'IPF.Note', why: 'the store names it its conflicts folder' }],
      [0x8262, { cls: 'IPF.Note', why: 'the store names it its sync issues folder' }],
      [0x8282, { cls: 'IPF.Note', why: 'the store names it its local failures folder' }],
      [0x82a2, { cls: 'IPF.Note', why: 'the store names it its server failures folder' }],
      [0x8202, { cls: 'IPF.Note', why: 'the store names it its junk e-mail folder' }],
    ]);
  });
});
