import { useState, type ReactNode } from 'react';
import { errorText } from '../format.ts';

/** Saves generated text as a file through a blob URL: the text is made locally (by the engine), nothing is uploaded. */
export function DownloadButton({ name, type, content, children }: { name: string; type: string; content: () => Promise<string>; children: ReactNode }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const url = URL.createObjectURL(new Blob([await content()], { type }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      // The download has started by the next task; the URL is no longer needed.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={save} disabled={busy}>
        {children}
      </button>
      {error && (
        <span role="alert" className="error-text">
          Could not export: {error}
        </span>
      )}
    </>
  );
}
