import { createContext, useContext, useEffect, useRef } from 'react';
import type { Finding } from '../../../electron/core/finding.ts';
import { CopyButton } from './CopyButton.tsx';
import { Evidence } from './Evidence.tsx';

/**
 * Ids of the fixes the engine can apply here (from fixList), or null when unknown. A finding may suggest a fix
 * that has no automatic form on this machine; it is then shown as advice instead of a button that would fail.
 */
export const ApplicableFixes = createContext<ReadonlySet<string> | null>(null);

const LABEL: Record<Finding['severity'], string> = { error: 'Problem', warning: 'Warning', info: 'Note' };

/** A deep-linked card scrolls into view and takes the focus. */
export function useFocused(focused: boolean) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) {
      ref.current?.scrollIntoView?.({ block: 'center' });
      ref.current?.focus();
    }
  }, [focused]);
  return ref;
}

/**
 * One finding: what, why, the evidence one click away, and its fix buttons. `focused` = deep-linked; `level` = its
 * heading's; `withFixes` false where the card around it (a cause) offers the fixes.
 */
export function FindingCard({ finding, onFix, focused = false, level = 4, withFixes = true }: { finding: Finding; onFix: (fixId: string) => void; focused?: boolean; level?: 4 | 5; withFixes?: boolean }) {
  const Heading = level === 5 ? 'h5' : 'h4';
  const hasEvidence = Object.keys(finding.evidence).length > 0;
  const ref = useFocused(focused);
  const applicable = useContext(ApplicableFixes);
  const fixes = withFixes ? finding.fixes : [];
  const buttons = fixes.filter((f) => !applicable || applicable.has(f.id));
  const advice = fixes.filter((f) => applicable && !applicable.has(f.id));
  // A refusal only the provider can lift comes with the dialogue to send to its support (secrets already removed).
  const transcript = typeof finding.evidence.supportTranscript === 'string' ? finding.evidence.supportTranscript : null;
  return (
    <li
      ref={ref}
      id={`finding-${finding.id}`}
      tabIndex={focused ? -1 : undefined}
      className={`finding finding-${finding.severity}${focused ? ' finding-focused' : ''}`}
      aria-label={`${LABEL[finding.severity]}: ${finding.title}`}
    >
      <div className="finding-head">
        <span className={`badge badge-${finding.severity}`}>{LABEL[finding.severity]}</span>
        <Heading>{finding.title}</Heading>
      </div>
      {finding.detail && <p className="finding-detail">{finding.detail}</p>}
      {transcript && <CopyButton text={transcript} label="Copy the transcript for the provider's support" copiedLabel="Copied: paste it into your message to the provider's support." />}
      {hasEvidence && (
        <details open={focused}>
          <summary>Evidence</summary>
          <Evidence evidence={finding.evidence} />
        </details>
      )}
      {buttons.length > 0 && (
        <div className="fixes">
          {buttons.map((fix) => (
            <button key={fix.id} type="button" onClick={() => onFix(fix.id)}>
              Fix: {fix.title}
            </button>
          ))}
        </div>
      )}
      {advice.length > 0 && (
        <p className="advice">
          What to do: {advice.map((f) => f.title).join('; ')}. Change this in your mail program’s account settings.
        </p>
      )}
    </li>
  );
}

/** A list of findings, or a plain sentence when there are none. */
export function FindingList({ findings, onFix, label, focusedId = null }: { findings: Finding[]; onFix: (id: string) => void; label: string; focusedId?: string | null }) {
  if (findings.length === 0) return <p>Nothing to report.</p>;
  return (
    <ul className="findings" aria-label={label}>
      {findings.map((f, i) => (
        <FindingCard key={`${f.id}-${i}`} finding={f} onFix={onFix} focused={f.id === focusedId} />
      ))}
    </ul>
  );
}
