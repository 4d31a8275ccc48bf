import { fail, lines, ok, type Parsed } from '../parsed.ts';
import { redactProxy } from '../proxy-env.ts';
import type { ProxySetting } from '../schema.ts';
import type { ProxyFacts } from '../windows/parse-proxy.ts';

/** `scutil --proxy`: a "<dictionary> { Key : value … }" dump of the system proxy settings. */
export function parseScutilProxy(text: string): Parsed<ProxyFacts> {
  if (!/<dictionary>\s*\{/.test(text)) return fail('scutil --proxy: no "<dictionary> {" in the output');
  const kv = new Map<string, string>();
  const bypass: string[] = [];
  let inExceptions = false;
  for (const l of lines(text)) {
    if (/ExceptionsList\s*:\s*<array>/.test(l)) {
      inExceptions = true;
      continue;
    }
    if (inExceptions) {
      if (/^\s*\}/.test(l)) inExceptions = false;
      else {
        const m = /^\s*\d+\s*:\s*(.+)$/.exec(l);
        if (m && bypass.length < 200) bypass.push(m[1].trim());
      }
      continue;
    }
    const m = /^\s*(\w+)\s*:\s*(.*)$/.exec(l);
    if (m) kv.set(m[1], m[2].trim());
  }
  const settings: ProxySetting[] = [];
  const pairs: Array<[string, ProxySetting['kind']]> = [
    ['HTTP', 'http'],
    ['HTTPS', 'https'],
    ['SOCKS', 'socks'],
    ['FTP', 'ftp'],
  ];
  for (const [prefix, kind] of pairs) {
    const host = kv.get(`${prefix}Proxy`);
    if (kv.get(`${prefix}Enable`) === '1' && host) {
      const port = kv.get(`${prefix}Port`);
      settings.push({ source: 'scutil', kind, value: redactProxy(port ? `${host}:${port}` : host) });
    }
  }
  const pac = kv.get('ProxyAutoConfigURLString');
  if (kv.get('ProxyAutoConfigEnable') === '1' && pac) settings.push({ source: 'scutil', kind: 'pac', value: redactProxy(pac) });
  if (kv.get('ProxyAutoDiscoveryEnable') === '1') settings.push({ source: 'scutil', kind: 'auto-detect', value: 'WPAD' });
  return ok({ settings, bypass });
}
