import { SCREENS, type ScreenId } from '../routes.ts';

/** The screens as plain links (hash routes): Tab reaches them, Enter opens them, aria-current marks the open one. */
export function Nav({ current }: { current: ScreenId }) {
  return (
    <nav aria-label="Screens" className="nav">
      <ul>
        {SCREENS.map((s) => (
          <li key={s.id}>
            <a href={`#/${s.id}`} aria-current={s.id === current ? 'page' : undefined}>
              {s.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
