import path from 'node:path';
import { parseIni } from '../ini.ts';

/** Where Thunderbird keeps profiles.ini, relative to a home, for every OS layout (a mounted disk may be any OS). */
export const THUNDERBIRD_ROOTS: ReadonlyArray<{ layout: string; rel: string }> = [
  { layout: 'linux', rel: '.thunderbird' },
  { layout: 'linux-flatpak', rel: '.var/app/org.mozilla.Thunderbird/.thunderbird' },
  { layout: 'linux-snap', rel: 'snap/thunderbird/common/.thunderbird' },
  { layout: 'macos', rel: 'Library/Thunderbird' },
  { layout: 'windows', rel: 'AppData/Roaming/Thunderbird' },
];

export interface TbProfile {
  name: string;
  /** Absolute directory of the profile. */
  dir: string;
  isDefault: boolean;
}

/**
 * Pure: profiles.ini (+ optional installs.ini) → profiles with the default marked.
 * Rule (Thunderbird 68+ keeps a default per installation): exactly one [Install*] section (or one installs.ini
 * section) → its Default wins; otherwise the profile with Default=1; otherwise the first profile.
 */
export function parseProfilesIni(root: string, profilesIni: Buffer | string, installsIni?: Buffer | string): TbProfile[] {
  const doc = parseIni(profilesIni);
  const profiles: { name: string; rel: string; dir: string; flagged: boolean }[] = [];
  const installDefaults: string[] = [];
  for (const sec of doc.sections) {
    const get = (k: string) => sec.entries.filter((e) => e.key === k).pop()?.value;
    if (/^Profile\d+$/i.test(sec.name)) {
      const p = get('Path');
      if (!p) continue;
      const relative = get('IsRelative') !== '0';
      profiles.push({
        name: get('Name') ?? path.basename(p),
        rel: p,
        dir: relative ? path.join(root, ...p.split('/')) : nativePath(p),
        flagged: get('Default') === '1',
      });
    } else if (/^Install[0-9A-F]+$/i.test(sec.name)) {
      const d = get('Default');
      if (d) installDefaults.push(d);
    }
  }
  if (installDefaults.length === 0 && installsIni !== undefined) {
    for (const sec of parseIni(installsIni).sections) {
      const d = sec.entries.find((e) => e.key === 'Default')?.value;
      if (sec.name && d) installDefaults.push(d);
    }
  }
  let chosen = -1;
  if (installDefaults.length === 1) chosen = profiles.findIndex((p) => p.rel === installDefaults[0] || p.dir === nativePath(installDefaults[0]!));
  if (chosen < 0) chosen = profiles.findIndex((p) => p.flagged);
  if (chosen < 0 && profiles.length > 0) chosen = 0;
  return profiles.map((p, i) => ({ name: p.name, dir: p.dir, isDefault: i === chosen }));
}

/** An absolute path written by Windows (`C:\\Users\\x\\...`) is kept as written elsewhere; others are normalised. */
function nativePath(p: string): string {
  return /^[A-Za-z]:\\/.test(p) && path.sep === '/' ? p : path.normalize(p);
}
