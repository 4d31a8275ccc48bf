import type { Finding } from '../report/finding.ts';
import type { EngineContext } from '../engine/context.ts';
import type { PstSection } from './schema.ts';
import { NotImplementedError } from '../engine/context.ts';

export interface PstScanOptions {
  deep?: boolean;
  jobs?: number;
}

/** Scan files or folders (recursively, .pst/.ost). Never writes the inputs. */
export async function scanPstPaths(
  _paths: string[],
  _opts: PstScanOptions,
  _ctx: EngineContext,
): Promise<{ section: PstSection; findings: Finding[] }> {
  throw new NotImplementedError('PST scanning');
}

/** Export every readable message of FILE to OUT as EML (folder tree as directories) or mbox. */
export async function salvagePst(
  _file: string,
  _out: string,
  _format: 'eml' | 'mbox',
  _ctx: EngineContext,
): Promise<{ section: PstSection; findings: Finding[] }> {
  throw new NotImplementedError('PST salvage');
}
