import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

// Window size/position/maximised kept across starts, in <userData>/window-state.json. Pure apart from the file.

export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(640).max(20_000),
  height: z.number().int().min(480).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

export const DEFAULT_STATE: WindowState = { width: 1100, height: 760, maximized: false };

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The saved state, or the default when missing/corrupt, or when the window would open off every screen. */
export function loadWindowState(file: string, displays: Rect[]): WindowState {
  let state: WindowState;
  try {
    state = WindowState.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return DEFAULT_STATE;
  }
  if (state.x === undefined || state.y === undefined) return state;
  const visible = displays.some((d) => overlaps(d, { x: state.x as number, y: state.y as number, width: state.width, height: state.height }));
  return visible ? state : { width: state.width, height: state.height, maximized: state.maximized };
}

/** Atomic write (temp + rename) so a crash while saving never leaves a half-written file. */
export function saveWindowState(file: string, state: WindowState): void {
  const parsed = WindowState.safeParse(state);
  if (!parsed.success) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(parsed.data) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/** At least 100×50 px of the title bar area must be on the display, or the user cannot grab the window. */
function overlaps(d: Rect, w: Rect): boolean {
  const ix = Math.min(d.x + d.width, w.x + w.width) - Math.max(d.x, w.x);
  const iy = Math.min(d.y + d.height, w.y + w.height) - Math.max(d.y, w.y);
  return ix >= 100 && iy >= 50;
}

/** What to save from a window right now (its normal bounds, so a maximised window restores to its old size). */
export function stateOf(win: { getNormalBounds(): Rect; isMaximized(): boolean }): WindowState {
  const b = win.getNormalBounds();
  return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: win.isMaximized() };
}
