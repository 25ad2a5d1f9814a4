/**
 * Which output shows the lane UI and which the customer display, from the outputs connected now
 * and store IT's choice (protocol/screens.ts). Pure: the kiosk session (./session.ts) asks it
 * again whenever an output appears or goes.
 *
 * - The lane: the configured output when it is connected; else the output it is on now (plugging
 *   a monitor in never moves the cashier's screen away); else the built-in panel (eDP, LVDS,
 *   DSI: an all-in-one terminal's own screen); else the first connector in name order.
 * - The customer display: "off" → none; an output → that one when connected (and not the lane's);
 *   "auto" (the default) → the largest other output, as the Electron app picks its screen
 *   (electron/main/displays.ts). One output → the lane UI only.
 */
import { ScreensSchema, type Screens } from '../protocol/screens';
import type { View } from './sway';

/** An output as sway's get_outputs describes it (the fields used here). */
export interface Output {
  name: string;
  make: string;
  model: string;
  serial: string;
  active: boolean;
  rect: { x: number; y: number; width: number; height: number };
}

export interface Layout {
  lane: string | null;
  customer: string | null;
}

const BUILT_IN = /^(eDP|LVDS|DSI)-/;

/** Whether store IT's name for an output is this one: its connector, or sway's "make model serial". */
export function isOutput(o: Output, id: string): boolean {
  const want = id.trim();
  return want === o.name || want === `${o.make} ${o.model} ${o.serial}`;
}

export function decideLayout(outputs: readonly Output[], screens: Screens, laneNow: string | null = null): Layout {
  const on = outputs.filter((o) => o.active).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const lane =
    (screens.lane !== undefined ? on.find((o) => isOutput(o, screens.lane!)) : undefined) ??
    on.find((o) => o.name === laneNow) ??
    on.find((o) => BUILT_IN.test(o.name)) ??
    on[0];
  if (!lane) return { lane: null, customer: null };
  const others = on.filter((o) => o !== lane);
  const choice = (screens.customer ?? 'auto').trim();
  let customer: Output | undefined;
  if (choice === 'auto') customer = [...others].sort((a, b) => b.rect.width * b.rect.height - a.rect.width * a.rect.height)[0];
  else if (choice !== 'off') customer = others.find((o) => isOutput(o, choice));
  return { lane: lane.name, customer: customer?.name ?? null };
}

/** The "screens" of a device configuration's text; defaults (and why) when it has none or a wrong one. */
export function screensOf(devicesJson: string): { screens: Screens; problem: string | null } {
  let raw: unknown;
  try {
    raw = JSON.parse(devicesJson);
  } catch (err) {
    return { screens: {}, problem: `device configuration is not valid JSON (${err instanceof Error ? err.message : String(err)}): default screens` };
  }
  const value = (raw as { screens?: unknown } | null)?.screens;
  if (value === undefined) return { screens: {}, problem: null };
  const r = ScreensSchema.safeParse(value);
  if (r.success) return { screens: r.data, problem: null };
  const issue = r.error.issues[0]!;
  return { screens: {}, problem: `${['screens', ...issue.path].join('.')}: ${issue.message}: default screens` };
}

/**
 * The sway commands that put a view full screen on its output, its workspace the one shown there
 * (focusing a view shows its workspace; the session gives the lane the focus back after). Never
 * "fullscreen disable": Chromium in kiosk mode taken out of full screen shows its tabs and its
 * address bar (with the token in the URL). sway 1.7 moves a full-screen view as it is.
 */
export function placeCommands(view: View, output: string): string[] {
  const sel = `[con_id=${view.id}]`;
  const move = view.output === output ? [] : [`${sel} move container to output "${output}"`];
  const full = view.fullscreen === 1 ? [] : [`${sel} fullscreen enable`];
  const show = view.visible ? [] : [`${sel} focus`];
  return [...move, ...full, ...show];
}

/**
 * Whether an output's capture (binary PPM, as grim writes it) has pure black in all four corners:
 * sway's black around a full-screen window whose surface is smaller than the output — Chromium
 * frozen on its first frame (docs/design.md). The kiosk's pages are never pure black there.
 */
export function blackCorners(ppm: Buffer): boolean {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (!header) return false;
  const [width, height] = [Number(header[1]), Number(header[2])];
  if (width < 8 || height < 8 || ppm.length < header[0].length + width * height * 3) return false;
  const black = (x: number, y: number) => {
    const i = header[0].length + (y * width + x) * 3;
    return ppm[i] === 0 && ppm[i + 1] === 0 && ppm[i + 2] === 0;
  };
  return black(2, 2) && black(width - 3, 2) && black(2, height - 3) && black(width - 3, height - 3);
}
