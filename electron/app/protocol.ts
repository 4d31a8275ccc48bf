import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { contentTypeOf } from '../server/mime.ts';

// Serves the renderer under app://mailmedic/ (Electron's security checklist: a custom protocol, never file://). Pure so it is testable.


export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** app://mailmedic/<path> → a Response with the file from `root`, or 404 for anything outside it. */
export async function appProtocolResponse(root: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  if (url.host !== 'mailmedic') return new Response('not found', { status: 404 });
  let rel = decodeURIComponent(url.pathname);
  if (rel === '/' || rel === '') rel = '/index.html';
  const full = path.resolve(root, '.' + rel);
  if (!full.startsWith(path.resolve(root) + path.sep)) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(full);
    return new Response(body, {
      headers: {
        'Content-Type': contentTypeOf(full),
        'Content-Security-Policy': APP_CSP,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}
