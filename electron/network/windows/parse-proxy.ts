import { asArray, fail, isRecord, ok, parseJson, str, type Parsed } from '../parsed.ts';
import { redactProxy } from '../proxy-env.ts';
import type { ProxySetting } from '../schema.ts';

export interface ProxyFacts {
  settings: ProxySetting[];
  bypass: string[];
}

/**
 * Decodes the WinHttpSettings registry blob (bytes as ConvertTo-Json prints them). `netsh winhttp show
 * proxy` says the same in localized text; the blob is not localized. Layout: DWORD size, DWORD counter,
 * DWORD flags (1 direct, 3 proxy), DWORD len + ASCII proxy, DWORD len + ASCII bypass list.
 */
export function parseWinHttpSettings(text: string): Parsed<ProxyFacts> {
  // The value is absent until someone runs `netsh winhttp set proxy`: direct access.
  if (text.trim() === '') return ok({ settings: [], bypass: [] });
  const j = parseJson(text);
  if (!j.ok) return fail(`WinHttpSettings: ${j.error}`);
  const bytes = asArray(j.value);
  if (!bytes.every((b) => typeof b === 'number' && b >= 0 && b <= 255)) return fail('WinHttpSettings: not a byte array');
  const buf = Buffer.from(bytes as number[]);
  if (buf.length < 16) return fail(`WinHttpSettings: ${buf.length} bytes, too short`);
  const flags = buf.readUInt32LE(8);
  const proxyLen = buf.readUInt32LE(12);
  if (16 + proxyLen + 4 > buf.length) return fail('WinHttpSettings: proxy length runs past the end (cut off?)');
  const proxy = buf.subarray(16, 16 + proxyLen).toString('latin1');
  const bypassLen = buf.readUInt32LE(16 + proxyLen);
  if (20 + proxyLen + bypassLen > buf.length) return fail('WinHttpSettings: bypass length runs past the end (cut off?)');
  const bypass = buf.subarray(20 + proxyLen, 20 + proxyLen + bypassLen).toString('latin1');
  if ((flags & 2) === 0 || proxy === '') return ok({ settings: [], bypass: [] });
  return ok({
    settings: [{ source: 'winhttp', kind: 'all', value: redactProxy(proxy) }],
    bypass: bypass.split(';').map((s) => s.trim()).filter(Boolean),
  });
}

/** The user's Internet Settings (WinINet, what the Settings app shows): ProxyEnable/ProxyServer/AutoConfigURL. */
export function parseInternetSettings(text: string): Parsed<ProxyFacts> {
  const j = parseJson(text);
  if (!j.ok) return fail(`Internet Settings: ${j.error}`);
  if (!isRecord(j.value)) return fail('Internet Settings: expected one JSON object');
  const v = j.value;
  const settings: ProxySetting[] = [];
  const server = str(v.ProxyServer);
  if ((v.ProxyEnable === 1 || v.ProxyEnable === true) && server) {
    // "host:port" for all protocols, or "http=host:port;https=host:port;socks=host:port".
    for (const part of server.split(';').slice(0, 20)) {
      const m = /^(\w+)=(.+)$/.exec(part.trim());
      const kind = m ? m[1].toLowerCase() : 'all';
      const known = kind === 'http' || kind === 'https' || kind === 'socks' || kind === 'ftp' ? kind : 'all';
      settings.push({ source: 'wininet', kind: known, value: redactProxy((m ? m[2] : part).trim()) });
    }
  }
  const pac = str(v.AutoConfigURL);
  if (pac) settings.push({ source: 'wininet', kind: 'pac', value: redactProxy(pac) });
  const bypass = (str(v.ProxyOverride) ?? '').split(';').map((s) => s.trim()).filter(Boolean).slice(0, 200);
  return ok({ settings, bypass });
}
