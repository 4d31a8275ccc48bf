import { fail, lines, ok, type Parsed } from '../parsed.ts';

/** `systemctl show -p LoadState,ActiveState UNIT`: "Key=value" lines (is-active cannot tell "absent" from "stopped"). */
export function parseSystemctlShow(text: string): Parsed<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const l of lines(text, 100)) {
    const m = /^(\w+)=(.*)$/.exec(l.trim());
    if (m) out[m[1]] = m[2];
  }
  if (!out.LoadState) return fail('systemctl show: no LoadState line');
  return ok(out);
}
