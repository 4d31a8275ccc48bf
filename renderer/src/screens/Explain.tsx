import { useId, useState, type FormEvent } from 'react';
import type { Client } from '../api/bridge.ts';
import { useCall } from '../api/use-call.ts';
import type { Explanation } from '../../../electron/smtp/explain-schema.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

const KIND_WORDS: Record<Explanation['kind'], string> = {
  success: 'Not an error',
  intermediate: 'In progress',
  transient: 'Temporary — trying again later may work',
  permanent: 'Permanent — it will not work as it is',
  unknown: 'Unknown kind',
};

export function Explain({ client }: { client: Client }) {
  const [text, setText] = useState('');
  const { state, start } = useCall(client, 'explain');
  const ids = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) void start({ text: text.slice(0, 20_000) });
  };
  const explanations = state.kind === 'done' ? (state.result.explain?.explanations ?? []) : [];
  return (
    <section aria-labelledby="explain-title">
      <ScreenTitle id="explain-title" intro="Paste the error your mail program showed (or a bounce message). MailMedic says what it means and what to do.">
        Explain an error
      </ScreenTitle>
      <form className="card form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${ids}-text`}>Error message</label>
          <textarea id={`${ids}-text`} rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder="421 4.7.0 Try again later, closing connection." spellCheck={false} />
        </div>
        <button type="submit" className="primary" disabled={!text.trim() || state.kind === 'running'}>
          {state.kind === 'running' ? 'Explaining…' : 'Explain'}
        </button>
      </form>
      {state.kind === 'error' && (
        <p role="alert" className="error-text">
          Could not explain it: {state.error.message}
        </p>
      )}
      {state.kind === 'done' && explanations.length === 0 && (
        <p role="status" className="empty">
          No known SMTP code or provider message was found in this text. Copy the whole error, including the three-digit number (like 421 or 550).
        </p>
      )}
      {explanations.map((x, i) => (
        <ExplanationCard key={i} x={x} />
      ))}
    </section>
  );
}

function ExplanationCard({ x }: { x: Explanation }) {
  const ids = useId();
  return (
    <article className="card" aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>
        {x.match} <span className={`badge badge-${x.kind === 'permanent' ? 'error' : x.kind === 'transient' ? 'warning' : 'info'}`}>{KIND_WORDS[x.kind]}</span>
      </h3>
      <p>
        <strong>What it means:</strong> {x.meaning}
      </p>
      <p>
        <strong>Likely cause:</strong> {x.likelyCause}
      </p>
      {x.nextSteps.length > 0 && (
        <>
          <h4>What to do</h4>
          <ol>
            {x.nextSteps.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
        </>
      )}
      <p className="meta">Source: {x.source}</p>
    </article>
  );
}
