import type { TranscriptEntry } from '../../../electron/smtp/schema.ts';

const WHO: Record<TranscriptEntry['dir'], string> = { c: 'You', s: 'Server', i: 'Note' };

/** The SMTP dialogue as the probe recorded it (already redacted by the engine: no passwords, no AUTH data). */
export function Transcript({ entries, label }: { entries: TranscriptEntry[]; label: string }) {
  if (entries.length === 0) return <p>Nothing was exchanged.</p>;
  return (
    <div className="transcript" role="region" aria-label={label} tabIndex={0}>
      <table>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Who</th>
            <th scope="col">Text</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            <tr key={i} className={`t-${e.dir}`}>
              <td className="t-time">{Math.round(e.t)} ms</td>
              <td className="t-who">{WHO[e.dir]}</td>
              <td>
                <code>{e.text}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
