import { fail, lines, ok, type Parsed } from '../parsed.ts';
import type { AntivirusProduct, FirewallComponent } from '../schema.ts';

// `systemextensionsctl list`: macOS has no antivirus registry, and outbound firewalls (Little Snitch,
// LuLu, Radio Silence) are network extensions, so both are recognised by bundle id.

const FIREWALLS: ReadonlyArray<[RegExp, string]> = [
  [/at\.obdev\.littlesnitch/i, 'Little Snitch'],
  [/com\.objective-see\.lulu/i, 'LuLu'],
  [/com\.radiosilenceapp/i, 'Radio Silence'],
];
const AV: ReadonlyArray<[RegExp, string]> = [
  [/com\.avast|com\.avg\./i, 'Avast'],
  [/com\.eset\./i, 'ESET'],
  [/com\.kaspersky/i, 'Kaspersky'],
  [/com\.sophos/i, 'Sophos'],
  [/com\.crowdstrike/i, 'CrowdStrike Falcon'],
  [/com\.bitdefender/i, 'Bitdefender'],
  [/com\.symantec|com\.norton/i, 'Norton'],
  [/com\.mcafee/i, 'McAfee'],
  [/com\.malwarebytes/i, 'Malwarebytes'],
  [/com\.trendmicro/i, 'Trend Micro'],
];

export function parseSystemExtensions(text: string): Parsed<{ firewalls: FirewallComponent[]; antivirus: AntivirusProduct[] }> {
  if (text.trim() !== '' && !/extension\(s\)/i.test(text)) return fail('systemextensionsctl list: no "N extension(s)" header');
  const firewalls: FirewallComponent[] = [];
  const antivirus: AntivirusProduct[] = [];
  for (const l of lines(text)) {
    const enabled = /\[activated enabled\]/.test(l);
    for (const [re, name] of FIREWALLS) {
      if (re.test(l) && !firewalls.some((c) => c.name.startsWith(name))) {
        firewalls.push({ source: 'third-party', name: `${name} (outbound firewall)`, enabled, defaultOutbound: null });
      }
    }
    for (const [re, name] of AV) {
      if (re.test(l) && !antivirus.some((a) => a.name === name)) {
        antivirus.push({ name, state: enabled ? 'on' : 'off', upToDate: null, microsoft: false, productState: null, source: 'systemextensionsctl' });
      }
    }
  }
  return ok({ firewalls, antivirus });
}
