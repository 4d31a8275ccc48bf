import { finding, type Finding } from '../core/finding.ts';

/** An area that could not be checked is said plainly: "not checked" must never read as "all clear". */
export function notCheckedFinding(area: Finding['area'], what: string, error: unknown): Finding {
  const message = error instanceof Error ? error.message : String(error);
  return finding({
    id: `${area}.not-checked`,
    area,
    severity: 'info',
    title: `Could not check ${what}`,
    detail: message,
    evidence: { error: message },
  });
}
