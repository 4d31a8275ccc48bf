import type { Evidence as EvidenceT } from '../../../electron/core/finding.ts';

/** Evidence as label/value pairs: strings as written, lists one per line, anything else as JSON. */
export function Evidence({ evidence }: { evidence: EvidenceT }) {
  return (
    <dl className="evidence">
      {Object.entries(evidence).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <code>{show(v)}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('\n');
  return JSON.stringify(v, null, 2);
}
