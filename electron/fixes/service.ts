import type { EngineContext } from '../engine/context.ts';
import { NotImplementedError } from '../engine/context.ts';

export interface FixInfo {
  id: string;
  title: string;
  area: string;
  preview: string;
}
export interface FixResult {
  id: string;
  journalId: string | null;
  applied: boolean;
  message: string;
  preview: string;
}
export interface UndoResult {
  journalId: string;
  restored: string[];
  message: string;
}

export async function listFixes(_ctx: EngineContext): Promise<FixInfo[]> {
  throw new NotImplementedError('fixes');
}
export async function previewFix(_id: string, _ctx: EngineContext): Promise<FixInfo> {
  throw new NotImplementedError('fixes');
}
export async function applyFix(_id: string, _ctx: EngineContext): Promise<FixResult> {
  throw new NotImplementedError('fixes');
}
export async function undoFix(_journalId: string | undefined, _ctx: EngineContext): Promise<UndoResult> {
  throw new NotImplementedError('undo');
}
