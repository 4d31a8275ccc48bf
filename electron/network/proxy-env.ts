import type { ProxySetting } from './schema.ts';

/** Drops "user:password@" from a proxy URL: the report never holds credentials. */
export function redactProxy(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/\s]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

const VARS: ReadonlyArray<[string, ProxySetting['kind']]> = [
  ['http_proxy', 'http'],
  ['https_proxy', 'https'],
  ['ftp_proxy', 'ftp'],
  ['all_proxy', 'all'],
];

/** Proxy settings from environment variables (either case), as curl and most tools read them. */
export function proxyFromEnv(env: NodeJS.ProcessEnv): { settings: ProxySetting[]; bypass: string[] } {
  const settings: ProxySetting[] = [];
  for (const [name, kind] of VARS) {
    const v = env[name] ?? env[name.toUpperCase()];
    if (!v || v.trim() === '') continue;
    settings.push({ source: 'env', kind: /^socks/i.test(v) ? 'socks' : kind, value: redactProxy(v.trim()) });
  }
  const np = env.no_proxy ?? env.NO_PROXY ?? '';
  const bypass = np.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 200);
  return { settings, bypass };
}
