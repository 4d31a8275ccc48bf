import { useEffect, useRef } from 'react';

/** The screen's heading; takes focus when the screen opens so keyboard and screen-reader users land on it. */
export function ScreenTitle({ id, children, intro }: { id: string; children: string; intro?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (document.activeElement && document.activeElement !== document.body) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <>
      <h2 id={id} ref={ref} tabIndex={-1} className="screen-title">
        {children}
      </h2>
      {intro && <p className="intro">{intro}</p>}
    </>
  );
}
