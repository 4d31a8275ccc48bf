import type { ReactNode } from 'react';

/** Saves generated text as a file through a blob URL: nothing leaves the computer, no server round trip. */
export function DownloadButton({ name, type, content, children }: { name: string; type: string; content: () => string; children: ReactNode }) {
  const save = () => {
    const url = URL.createObjectURL(new Blob([content()], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    // The download has started by the next task; the URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <button type="button" onClick={save}>
      {children}
    </button>
  );
}
