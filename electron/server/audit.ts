import { appendFile, mkdir, open } from 'node:fs/promises';
import path from 'node:path';

export interface AuditEntry {
  at: string;
  /** Remote address (and client-certificate subject with mutual TLS). */
  who: string;
  method: string;
  path: string;
  status: number;
  /** For fix/undo calls: the fix id or journal id, and what came of it. */
  detail?: string;
}

/**
 * Append-only audit log, one JSON object per line. Opened with O_APPEND, never truncated or rewritten.
 * Request bodies are not logged: they may hold a password (smtp AUTH test).
 */
export class AuditLog {
  private queue: Promise<void> = Promise.resolve();
  constructor(private readonly file: string) {}

  static async open(file: string): Promise<AuditLog> {
    await mkdir(path.dirname(file), { recursive: true });
    const fh = await open(file, 'a', 0o600);
    await fh.close();
    return new AuditLog(file);
  }

  write(entry: AuditEntry): Promise<void> {
    const line = JSON.stringify(entry) + '\n';
    this.queue = this.queue.then(() => appendFile(this.file, line, { flag: 'a' })).catch(() => {});
    return this.queue;
  }

  flush(): Promise<void> {
    return this.queue;
  }
}
