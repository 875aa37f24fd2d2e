import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

const DEFAULT: WindowState = { width: 1280, height: 860, maximized: false };

/** Window bounds kept between launches, in the user data folder. A broken file means defaults. */
export function loadWindowState(dir: string): WindowState {
  try {
    const raw = JSON.parse(readFileSync(path.join(dir, 'window-state.json'), 'utf8')) as Partial<WindowState>;
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
    return {
      x: ok(raw.x) ? raw.x : undefined,
      y: ok(raw.y) ? raw.y : undefined,
      width: ok(raw.width) && raw.width >= 800 ? raw.width : DEFAULT.width,
      height: ok(raw.height) && raw.height >= 600 ? raw.height : DEFAULT.height,
      maximized: raw.maximized === true,
    };
  } catch {
    return { ...DEFAULT };
  }
}

export function saveWindowState(dir: string, state: WindowState): void {
  writeFileSync(path.join(dir, 'window-state.json'), JSON.stringify(state));
}
