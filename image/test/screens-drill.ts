/**
 * image:test's second-monitor drill: a customer display plugged into the running terminal's
 * second output (QEMU's virtio-vga head 1, image/test/monitor.ts) → the kiosk session starts the
 * customer display full screen on it and the lane UI stays where it is; an item scanned at the lane shows on it; pulled out → the customer display's browser ends and the lane sells on; plugged in
 * again → it is back. What each monitor shows is saved as PNGs (second-monitor-*.png) — look at them.
 */
import { FIRST_ITEM_CODE } from './hq';
import type { Drill } from './drills';
import { health, screenSettled, UI_ON_SCREEN_S } from './phases';
import { parsePpm, showsBanner } from './png';

/** The kiosk session's last word on its layout (serial console): which output has the lane UI, which the customer display. */
export function lastLayout(serial: string): { lane: string; customer: string } | null {
  const all = [...serial.matchAll(/kassa kiosk session: lane UI on (\S+), customer display on (\S+)/g)];
  const m = all[all.length - 1];
  return m ? { lane: m[1]!, customer: m[2]! } : null;
}

export async function secondScreenDrill(d: Drill): Promise<void> {
  const { m, t, apiPort } = d;
  t.stage = 'second monitor';
  t.mark();
  const before = lastLayout(m.serial());
  if (!before || before.customer !== 'none') throw new Error(`the kiosk session did not say it runs the lane UI alone before the monitor is plugged in (${JSON.stringify(before)})`);
  const plug = async (label: string) => {
    await m.secondMonitor(1024, 768);
    await t.phase(`${label}: the customer display on it (${label === 'plugged in' ? 'second-monitor-customer' : 'second-monitor-again'}.png)`, UI_ON_SCREEN_S, async () => {
      const h = await health(apiPort);
      const layout = lastLayout(m.serial());
      if (!h || (h.customerScreens ?? 0) < 1 || !layout || layout.customer === 'none') return false;
      if (layout.lane !== before.lane) throw new Error(`the lane UI moved from ${before.lane} to ${layout.lane}`);
      // Connected is not enough: the page must be past "connecting to the till's core…" (its banner).
      if (showsBanner(parsePpm((await m.shot('second-monitor-now', 1)).bytes))) return false;
      return settledOnHead1(label === 'plugged in' ? 'second-monitor-customer' : 'second-monitor-again');
    });
  };
  const settled = new Map<string, () => Promise<boolean>>();
  const settledOnHead1 = (name: string) => {
    // The customer display is mostly its dark background: the store's name or "Tack för ditt köp!" in
    // large type covers 2–3 % of it (colours: the text's anti-aliasing). Still connecting: its banner.
    if (!settled.has(name)) settled.set(name, screenSettled(m, name, undefined, 0.995, 24, 1));
    return settled.get(name)!();
  };
  await plug('plugged in');
  await t.phase('the lane UI still on its own monitor (second-monitor-lane.png)', 120, screenSettled(m, 'second-monitor-lane', apiPort), true);
  // An item scanned at the lane: the customer reads it on the second monitor (its line and the amount to pay), then it is paid.
  const idle = await m.shot('second-monitor-idle', 1);
  await d.lane.startSale(FIRST_ITEM_CODE);
  await t.phase('an item scanned at the lane: on the customer display (second-monitor-sale.png)', 180, async () => {
    const s = await m.shot('second-monitor-sale', 1);
    return !s.bytes.equals(idle.bytes) && s.colours >= 24 && !showsBanner(parsePpm(s.bytes));
  }, true);
  await d.lane.payCashAndComplete();
  await m.secondMonitor(0, 0);
  await t.phase('pulled out: the customer display ended, the lane sells on', 300, async () => {
    const h = await health(apiPort);
    const layout = lastLayout(m.serial());
    return h !== null && h.customerScreens === 0 && (h.screens ?? 0) >= 1 && layout?.customer === 'none' && layout.lane === before.lane;
  });
  await t.phase('pulled out: one sale at the lane', 120, async () => {
    await d.lane.sellForCash(FIRST_ITEM_CODE);
    return true;
  });
  await plug('plugged in again');
}
