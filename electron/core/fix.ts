import type { Area } from './finding.ts';
import type { EngineContext } from './context.ts';

// The one fix mechanism. A domain describes a fix as a plan of changes; electron/fixes/engine.ts does the
// preview, the safety checks, the backup/atomic write/verify, the journal and the undo. Domains never write files.

/** A registry value as read/written by a RegistryBackend. Strings of REG_BINARY are raw bytes. */
export type RegType = 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_MULTI_SZ' | 'REG_DWORD' | 'REG_QWORD' | 'REG_BINARY' | 'REG_NONE';
export interface RegValue {
  type: RegType;
  /** REG_DWORD/REG_QWORD: number; REG_SZ/EXPAND/MULTI: string; REG_BINARY/NONE: bytes. */
  data: number | string | Buffer;
}

/**
 * Replace one file's bytes, or create it (`before` null; undo deletes it again). `before` is what the plan was
 * computed from; apply refuses if the file moved on.
 */
export interface FileChange {
  kind: 'file';
  path: string;
  before: Buffer | null;
  after: Buffer;
}

/** Set (after ≠ null) or delete (after = null) one registry value; `before` null means the value did not exist. */
export interface RegistryChange {
  kind: 'registry';
  key: string;
  name: string;
  before: RegValue | null;
  after: RegValue | null;
}

/** One external command, run without a shell through ctx.run. */
export interface CommandSpec {
  cmd: string;
  args: string[];
}

/**
 * Run commands (a firewall allow rule, say). Undo is known only after apply (e.g. the new rule's handle), so it is
 * computed from the apply commands' stdout and journaled; null there means undo would be impossible, and apply
 * is rolled back instead of being kept.
 */
export interface CommandChange {
  kind: 'command';
  description: string;
  apply: CommandSpec[];
  undoPreview: CommandSpec[];
  undoFor(applyStdout: string[]): CommandSpec[] | null;
}

export type Change = FileChange | RegistryChange | CommandChange;

/** A serializable condition re-checked before apply and before undo (undo runs in a later process). */
export type ClientGuard = { kind: 'thunderbird-closed'; profileDir: string } | { kind: 'process-closed'; client: string; names: string[]; howToClose: string };
export type Guard = ClientGuard | { kind: 'admin'; why: string };

export interface Fix {
  /** Stable id, usable as `mailmedic fix ID`. */
  id: string;
  title: string;
  area: Area;
  /** Account ids (Account.id) this fix changes, so checks can offer it in their findings. */
  accounts: string[];
  /** What it does, so checks can pick a fitting fix: e.g. 'smtp-587-starttls', 'smtp-465-implicit', 'smtp-auth-on'. */
  action: string;
  guards: Guard[];
  /** Computes the changes from the current state; pure apart from reading. */
  plan(ctx: EngineContext): Promise<Change[]>;
}

/** Reads and writes registry values; the real one runs reg.exe, tests use recorded hives. */
export interface RegistryBackend {
  getValue(key: string, name: string): Promise<RegValue | null>;
  setValue(key: string, name: string, value: RegValue): Promise<void>;
  deleteValue(key: string, name: string): Promise<void>;
  /** Every key under `key` (itself included) with its values; [] when the key does not exist. */
  listTree(key: string): Promise<Array<{ path: string; values: Map<string, RegValue> }>>;
}
