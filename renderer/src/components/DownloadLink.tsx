import { useEffect, useState, type ReactNode } from 'react';

/** A link that saves generated text as a file (blob URL; nothing leaves the computer). */
export function DownloadLink({ name, type, content, children }: { name: string; type: string; content: string; children: ReactNode }) {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    if (typeof URL.createObjectURL !== 'function') return;
    const url = URL.createObjectURL(new Blob([content], { type }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [content, type]);
  return (
    <a className="button" href={href ?? undefined} download={name} aria-disabled={href ? undefined : true}>
      {children}
    </a>
  );
}
