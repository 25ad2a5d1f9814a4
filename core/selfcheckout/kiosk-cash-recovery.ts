/**
 * After a restart (or when the cash device is attached): the kiosk's cash session and any payout
 * that was under way are picked up from the journal and the device. A payout step that was sent
 * and never reported is asked about (the hopper's status for that dispense); what the device
 * confirms counts, the rest is paid now; what nobody can tell is left to staff (called) and never
 * paid twice. An open session takes money again once its device is back, or goes to an attendant.
 */
import type { CashDevicePort } from '../payments/cash-device';
import type { OpenPayout } from './cash-journal';
import type { KioskCash } from './kiosk-cash';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function whenOnline(port: CashDevicePort, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (!port.online && performance.now() < until) await sleep(100);
  return port.online;
}

/** What the dispense that was under way paid (minor units), or null when the device cannot tell. */
async function pendingPaid(kc: KioskCash, open: OpenPayout, saleId: string, waitMs: number): Promise<number | null> {
  const p = open.pending;
  if (!p) return 0;
  const port = kc.port;
  if (!port || !(await whenOnline(port, waitMs))) return null;
  for (let i = 0; i < 300; i++) {
    const r = await port.payoutOutcome(p.unit, p.counter).catch(() => null);
    if (!r) return null;
    if (!r.busy) {
      kc.record('cash.payout.step', saleId, { sessionId: open.sessionId, purpose: open.purpose, step: 'dispensed', unit: p.unit, value: p.value, coins: null, paid: p.value ? r.paid / p.value : 0, counter: p.counter, recovered: true });
      return r.paid;
    }
    await sleep(100);
  }
  return null;
}

export async function recoverKioskCash(kc: KioskCash, waitMs = 15_000): Promise<void> {
  const co = kc.host.checkout();
  if (!co) return;
  const saleId = co.context.saleId;
  const { view, open } = kc.rebuildView(saleId);
  const s = co.context.cashSession ?? null;
  if (view && s && view.sessionId === s.sessionId) {
    view.inserted = s.inserted;
    view.stillToPay = Math.max(0, view.due - s.inserted);
  }
  kc.host.changed();
  if (open) {
    const more = await pendingPaid(kc, open, saleId, waitMs);
    if (more === null) {
      // Nobody can say what the device paid of it: staff count; it is never paid again by itself.
      kc.record('cash.payout', saleId, { sessionId: open.sessionId, purpose: open.purpose, amount: open.amount, paid: open.paid, owed: open.amount - open.paid, unknown: true });
      if (kc.view) kc.view.problem = 'unknownPayout';
      if (open.purpose === 'return') await kc.returnInserted(open.sessionId, open.amount, open.amount); // ends the session; staff settle it
      kc.host.callStaff('unknownPayout');
      kc.host.changed();
      return;
    }
    const paid = open.paid + more;
    if (open.purpose === 'change') await kc.payChange(open.sessionId, saleId, open.amount, paid);
    else if (open.purpose === 'return') await kc.returnInserted(open.sessionId, open.amount, paid);
    else await kc.pay(open.sessionId, saleId, 'late', open.amount - paid, open.amount, paid);
    return;
  }
  if (co.value !== 'cashPending' || !s || !view || view.sessionId !== s.sessionId) return;
  if (view.via === 'attendant') return kc.host.callStaff('takeCash');
  if (s.inserted >= s.due) return kc.finish();
  if (!kc.port) return kc.toAttendant('noDevice');
  if (kc.port.online) kc.enable(); // otherwise the device's coming online enables it
}
