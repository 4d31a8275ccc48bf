import { z } from 'zod';

/** Where a finding comes from; one per report section. */
export const Area = z.enum(['general', 'smtp', 'accounts', 'network', 'pst']);
export type Area = z.infer<typeof Area>;

/** info = worth knowing; warning = likely to cause trouble; error = mail is broken because of it. */
export const Severity = z.enum(['info', 'warning', 'error']);
export type Severity = z.infer<typeof Severity>;

/** A fix the user can apply; `id` is what `mailmedic fix ID` and the API accept. */
export const FixRef = z.object({ id: z.string().min(1), title: z.string().min(1) });
export type FixRef = z.infer<typeof FixRef>;

/** Evidence is the fact a finding rests on: a transcript line, a value, a byte offset. Never a password. */
export const Evidence = z.record(z.string(), z.unknown());
export type Evidence = z.infer<typeof Evidence>;

export const Finding = z.object({
  /** Stable, machine-readable id, e.g. "smtp.port-blocked.25" — scripts key on it. */
  id: z.string().min(1),
  area: Area,
  severity: Severity,
  title: z.string().min(1),
  detail: z.string(),
  evidence: Evidence,
  fixes: z.array(FixRef),
});
export type Finding = z.infer<typeof Finding>;

/** Builds a finding with empty evidence/fixes filled in, so call sites stay short. */
export function finding(f: Omit<Finding, 'evidence' | 'fixes'> & Partial<Pick<Finding, 'evidence' | 'fixes'>>): Finding {
  return { evidence: {}, fixes: [], ...f };
}
