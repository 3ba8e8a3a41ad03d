import { z } from 'zod';

export const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;
export const WINDOW_STATE_KEY = 'window.state';
export const defaultWindowState: WindowState = { width: 1200, height: 800, maximized: false };

type Rect = { x: number; y: number; width: number; height: number };

/** Keeps a remembered position only if the window would still be visible on one of the current displays. */
export function placeOnScreen(state: WindowState, workAreas: Rect[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y } = state;
  const visible = workAreas.some(
    (area) =>
      x + 100 > area.x && y >= area.y - 10 && x < area.x + area.width - 100 && y < area.y + area.height - 50,
  );
  return visible ? state : { width: state.width, height: state.height, maximized: state.maximized };
}
