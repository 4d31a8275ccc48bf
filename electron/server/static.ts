import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { contentTypeOf } from './mime.ts';


/** Serves a file of the built renderer; refuses anything that resolves outside `root`. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<boolean> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  if (rel.includes('\0')) return false;
  if (rel === '/' || rel === '') rel = '/index.html';
  const full = path.resolve(root, '.' + rel);
  if (full !== root && !full.startsWith(root + path.sep)) return false;
  let stat;
  try {
    stat = await fs.stat(full);
  } catch {
    return false;
  }
  if (!stat.isFile()) return false;
  res.writeHead(200, {
    'Content-Type': contentTypeOf(full),
    'Content-Length': stat.size,
    'Cache-Control': 'no-cache',
  });
  createReadStream(full).pipe(res);
  return true;
}
