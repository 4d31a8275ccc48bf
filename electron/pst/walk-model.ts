// What the messaging-layer walk finds: every folder and message it reached, with the names used in problem reports.

export interface AttachmentInfo {
  subnid: number;
  name: string;
  method: number | null;
}

export interface MessageInfo {
  nid: number;
  folderNid: number;
  folderPath: string;
  subject: string;
  sender: string;
  date: Date | null;
  attachments: AttachmentInfo[];
  /** Reached only through the NBT (its folder's contents table does not list it). */
  orphan: boolean;
  readable: boolean;
}

export interface FolderInfo {
  nid: number;
  path: string;
  name: string;
  readable: boolean;
  /**
   * Listed in a hierarchy table whose folder does not say it has subfolders (PidTagSubfolders false/absent), or below such a
   * folder. Walkers that trust the flag (pst-extractor, and counts made with it) never see these; we still read them.
   */
  hidden: boolean;
  /**
   * The folder it sits in: the one whose hierarchy table lists it (what Outlook shows), else, for a folder no hierarchy
   * table lists, the parent its node B-tree entry names; null for the root folder and for folders with neither.
   */
  parent: number | null;
}

export interface StoreWalk {
  folders: FolderInfo[];
  messages: MessageInfo[];
  passwordProtected: boolean;
  attachments: number;
}

export function folderLabel(f: FolderInfo): string {
  return f.path || '(root folder)';
}

export function messageLabel(m: MessageInfo): string {
  const date = m.date ? ` (${m.date.toISOString().slice(0, 10)})` : '';
  const from = m.sender ? ` from ${m.sender}` : '';
  return `${m.folderPath || '(root)'}/'${m.subject || '(no subject)'}'${date}${from}`;
}
