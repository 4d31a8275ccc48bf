import { fail, lines, ok, type Parsed } from '../parsed.ts';
import { redactProxy } from '../proxy-env.ts';
import type { ProxySetting } from '../schema.ts';
import type { ProxyFacts } from '../windows/parse-proxy.ts';

// `gsettings list-recursively org.gnome.system.proxy`: the proxy a GNOME desktop user set in Settings.
// Lines: "org.gnome.system.proxy.http host 'proxy.example.com'", "… port 3128", "org.gnome.system.proxy mode 'manual'".

/** A GVariant text value: 'quoted string', number, or ['list', 'of', 'strings']. */
function unquote(v: string): string {
  const t = v.trim();
  return t.startsWith("'") && t.endsWith("'") ? t.slice(1, -1).replace(/\\'/g, "'") : t;
}

function list(v: string): string[] {
  const m = /^(?:@as\s*)?\[(.*)\]$/.exec(v.trim());
  if (!m) return [];
  return [...m[1].matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((x) => x[1]).slice(0, 200);
}

export function parseGnomeProxy(text: string): Parsed<ProxyFacts> {
  const kv = new Map<string, string>();
  for (const l of lines(text, 500)) {
    const m = /^org\.gnome\.system\.proxy(\.\w+)? ([\w-]+) (.*)$/.exec(l.trim());
    if (m) kv.set(m[1] ? `${m[1]}.${m[2]}` : m[2], m[3]);
  }
  const mode = kv.get('mode');
  if (mode === undefined) return fail('gsettings: no org.gnome.system.proxy mode line');
  const settings: ProxySetting[] = [];
  const m = unquote(mode);
  if (m === 'manual') {
    for (const kind of ['http', 'https', 'socks', 'ftp'] as const) {
      const host = unquote(kv.get(`.${kind}.host`) ?? "''");
      const port = kv.get(`.${kind}.port`)?.trim() ?? '0';
      if (host !== '') settings.push({ source: 'gsettings', kind, value: redactProxy(port !== '0' ? `${host}:${port}` : host) });
    }
  } else if (m === 'auto') {
    const url = unquote(kv.get('autoconfig-url') ?? "''");
    settings.push(url ? { source: 'gsettings', kind: 'pac', value: redactProxy(url) } : { source: 'gsettings', kind: 'auto-detect', value: 'WPAD' });
  }
  return ok({ settings, bypass: m === 'none' ? [] : list(kv.get('ignore-hosts') ?? '') });
}
