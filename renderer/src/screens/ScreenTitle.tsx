/** The screen's heading; App focuses it (tabIndex -1) when the screen opens, so keyboard users land on it. */
export function ScreenTitle({ id, children, intro }: { id: string; children: string; intro?: string }) {
  return (
    <>
      <h2 id={id} tabIndex={-1} className="screen-title">
        {children}
      </h2>
      {intro && <p className="intro">{intro}</p>}
    </>
  );
}
