/**
 * image:test's shared phases: power-on to the core, the screen settling on what it shows, and the
 * first boot of a blank terminal (provisioned from the stick, the lane UI, one sale at HQ).
 */
import { FIRST_ITEM_CODE, type HostHq } from './hq';
import { Lane, tokenFromSerial } from './lane';
import type { Machine } from './machine';
import type { Timeline } from './timeline';

/** The screen shows a page (many colours, none over 85 %): kept as `name`.png. */
async function screenBusy(m: Machine, name: string): Promise<boolean> {
  const s = await m.shot(`${name}-latest`);
  const busy = s.colours >= 24 && s.dominant < 0.85;
  if (busy) await m.shot(name);
  return busy;
}

/**
 * A busy screen (many colours, none over 85 %) that stayed the same for one poll. With the test
 * port, a screen connected to the core is what counts, and the painted one has to be more than a
 * waiting page: the sign-in is mostly dark background (771 colours, one at 93 %), where the UI
 * still connecting to the core paints a banner on an empty page (208 colours, one at 95 %).
 */
export function screenSettled(m: Machine, name: string, apiPort?: number, maxDominant = apiPort === undefined ? 0.85 : 0.945, minColours = apiPort === undefined ? 24 : 300, head = 0): () => Promise<boolean> {
  let previous: Buffer | null = null;
  return async () => {
    // With the test port: the UI must also be connected to the core (a screen in /health), not only painted.
    if (apiPort !== undefined && !(await uiConnected(apiPort))) return false;
    const s = await m.shot(`${name}-latest`, head);
    const settled = s.colours >= minColours && s.dominant < maxDominant && previous !== null && previous.equals(s.bytes);
    previous = s.bytes;
    if (settled) await m.shot(name, head);
    return settled;
  };
}

/** What the core's /health says through the test port (null: no answer, or not OK). */
export async function health(apiPort: number): Promise<{ ok?: boolean; screens?: number; customerScreens?: number } | null> {
  try {
    const r = await fetch(`http://127.0.0.1:${apiPort}/health`, { signal: AbortSignal.timeout(3000) });
    return r.ok ? ((await r.json()) as { ok?: boolean; screens?: number; customerScreens?: number }) : null;
  } catch {
    return null;
  }
}

/** Whether the core answers /health through the test port. */
export async function coreAnswers(apiPort: number): Promise<boolean> {
  return (await health(apiPort)) !== null;
}

/** Whether the lane UI (the kiosk's Chromium) is connected to the core: /health's `screens` that are not customer displays. */
async function uiConnected(apiPort: number): Promise<boolean> {
  const h = await health(apiPort);
  return h !== null && (h.screens ?? 0) - (h.customerScreens ?? 0) > 0;
}

/**
 * How long the lane UI may take to be on screen: the kiosk's watchdog (kiosk-browser) starts
 * Chromium afresh when no screen has connected for 240 s, and a fresh Chromium takes a minute or
 * more under TCG.
 */
export const UI_ON_SCREEN_S = 480;

/** Power-on to a core answering on the forwarded port, and the Terminal API connected. */
export async function bootToCore(m: Machine, t: Timeline, apiPort: number): Promise<Lane> {
  await t.phase('firmware (OVMF → kernel\'s first line)', 600, async () => /Linux version \d/.test(m.serial()));
  await t.phase('kernel → systemd up', 900, async () => /Welcome to .*Debian|systemd\[1\]: systemd \d+/.test(m.serial()));
  return coreReady(m, t, apiPort, 'systemd → core ready (/health through the test port)');
}

/**
 * The phase until the core answers /health through the test port and this boot's token is on the
 * serial console (after `from`: a reboot in the same QEMU process prints a new one), then the
 * Terminal API connected with it.
 */
export async function coreReady(m: Machine, t: Timeline, apiPort: number, name: string, from = 0): Promise<Lane> {
  const token = () => tokenFromSerial(m.serial().slice(from));
  await t.phase(name, 1200, async () => (await health(apiPort))?.ok === true && token() !== null);
  return Lane.connect(apiPort, token()!);
}

/** Provisioned: the flow says ready, or (a core restarted since) there is no flow and a catalog. */
export function provisioned(lane: Lane): boolean {
  const p = lane.snapshot?.provisioning;
  return p?.phase === 'ready' || (p == null && (lane.snapshot?.catalog?.items ?? 0) > 0);
}

/** The first boot: provisioned from the stick, the lane UI on screen, one sale that reaches HQ. */
export async function firstBoot(m: Machine, t: Timeline, hq: HostHq, apiPort: number): Promise<Lane> {
  t.stage = 'first boot';
  const lane = await bootToCore(m, t, apiPort);
  const prov = () => lane.snapshot?.provisioning ?? null;
  await t.phase('enrolled at HQ (stick read)', 600, async () => prov()?.enrolled != null || provisioned(lane));
  // Which terminal HQ enrolled, read while the provisioning screen says it (it goes 4 s after "ready to sell").
  const terminalId = prov()?.enrolled?.terminalId ?? null;
  let provisioningShot = false;
  await t.phase('catalog applied', 1800, async () => {
    const p = prov();
    if (p?.phase === 'failed') throw new Error(`provisioning failed: ${JSON.stringify(p.failure)}`);
    if (!provisioningShot && p?.step === 'catalog' && (p.catalog?.done ?? 0) > 0) provisioningShot = await screenBusy(m, 'provisioning-catalog');
    return (p?.catalog != null && p.catalog.total > 0 && p.catalog.done === p.catalog.total) || provisioned(lane);
  });
  await t.phase('ready to sell', 600, async () => provisioned(lane));
  await t.phase('the lane UI on screen (lane-ui.png)', UI_ON_SCREEN_S, screenSettled(m, 'lane-ui', apiPort), true);
  let sale = '';
  // HQ's staff came with the catalog's check-in: its cashier signs in and sells.
  await t.phase('one sale through the Terminal API', 120, async () => {
    sale = await lane.sellForCash(FIRST_ITEM_CODE);
    return true;
  });
  if (sale) await t.phase(`the sale at HQ (${sale.slice(0, 8)}…)`, 600, async () => (await hq.fleet()).some((f) => (terminalId === null || f.terminal_id === terminalId) && Number(f.acked_through) >= 1 && f.sales >= 1));
  return lane;
}

