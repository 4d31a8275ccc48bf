import { useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copies TEXT to the clipboard and says so next to the button (a live region, for screen readers too). Where the
 * clipboard is refused (no permission, an insecure origin), the text stays selectable in the evidence below.
 */
export function CopyButton({ text, label, copiedLabel = 'Copied' }: { text: string; label: string; copiedLabel?: string }) {
  const [state, setState] = useState<CopyState>('idle');
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy">
      <button type="button" className="small" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="copy-status">
        {state === 'copied' ? copiedLabel : state === 'failed' ? 'Could not copy: select the text under Evidence instead.' : ''}
      </span>
    </span>
  );
}
