import type { PstFileMigration } from '../../../electron/pst/migration/schema.ts';
import { bytes } from '../format.ts';

const VERDICT_WORDS: Record<PstFileMigration['verdict'], string> = { ready: 'Ready to import', 'needs-attention': 'Needs attention', blocked: 'Cannot be imported' };
const BADGE: Record<PstFileMigration['verdict'], string> = { ready: 'ok', 'needs-attention': 'warning', blocked: 'error' };

/** A file's Microsoft 365 import readiness: verdict, owner guess and target mailbox, and every reason with its items. */
export function PstMigration({ migration: m, name }: { migration: PstFileMigration; name: string }) {
  return (
    <div className="migration">
      <p>
        Microsoft 365 import: <span className={`badge badge-${BADGE[m.verdict]}`}>{VERDICT_WORDS[m.verdict]}</span>
        {' · '}
        {m.owner.guess ? `owner ${m.owner.guess} (${m.owner.confidence} confidence)` : 'no owner found'}
        {m.mailbox ? ` · goes to ${m.mailbox.address}` : ''}
        {m.importName && m.importName !== name ? ` · upload it as ${m.importName}` : ''}
      </p>
      {m.reasons.length > 0 && (
        <ul aria-label={`Import readiness of ${name}`}>
          {m.reasons.map((r, i) => (
            <li key={i}>
              <strong>{r.rule}</strong>: {r.detail}
              {r.items && r.items.length > 0 && (
                <ul>
                  {r.items.map((it, j) => (
                    <li key={j}>
                      {it.folder}
                      {it.subject !== null ? ` / ${it.subject}` : ''}
                      {it.bytes !== undefined ? ` (${bytes(it.bytes)})` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
