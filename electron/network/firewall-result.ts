import type { BlockRule, FirewallComponent } from './schema.ts';

/** What each firewall parser yields: the firewall(s) it saw and the outbound SMTP blocks in them. */
export interface FirewallFacts {
  components: FirewallComponent[];
  blockRules: BlockRule[];
}

/** Rule text in the report stays short: enough to recognise the rule, not a dump of the ruleset. */
export function clip(text: string, max = 300): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
