/**
 * A self-checkout's cash device (kind "cashDevice"): a ccTalk cash unit on a serial port, or its
 * simulator on a PTY pair ("path": "simulated"). Starts the driver with the journal's last event
 * counters (coins counted while the core was down still count), gives the lane its port, reports
 * its state to store IT, and for the simulator offers test actions: put money in, jam, fill the
 * cashbox, run the change low, clear.
 */
import type { DeviceDetailCode } from '../../../protocol/terminal';
import { CcTalkCashDevice } from '../../../drivers/cctalk/device';
import { CashSimulator, SIM_CASH } from '../../../drivers/cctalk/simulator';
import { ccTalkCashPort, recordedCounter } from '../../payments/cash-device';
import type { DeviceConfig } from '../config';
import { outcome as out, type DeviceKind, type KindContext, type Managed, type StartedDevice } from './kind';

export const cashDevice: DeviceKind<Extract<DeviceConfig, { kind: 'cashDevice' }>> = { start: startCashDevice };

async function startCashDevice(d: Extract<DeviceConfig, { kind: 'cashDevice' }>, ctx: KindContext): Promise<StartedDevice> {
  const currency = ctx.opts.currency ?? 'SEK';
  let path = d.path;
  let sim: CashSimulator | null = null;
  if (path === 'simulated') {
    const simCurrency = currency === 'EUR' ? 'EUR' : 'SEK';
    path = await ctx.simulatedSerial(async (device) => {
      const s = new CashSimulator({ currency: simCurrency });
      await s.open(device);
      sim = s;
      return s;
    });
    ctx.log(`${d.id}: simulated ccTalk cash unit on ${path} (coins, notes with escrow, ${SIM_CASH[simCurrency].hoppers.length} change hoppers)`);
  }
  const dev = new CcTalkCashDevice({ path, currency, recordedCounter: recordedCounter(ctx.db), ...(d.pollMs ? { pollMs: d.pollMs } : {}) });
  dev.on('warning', (w) => ctx.log(`${d.id}: ${w}`));
  await dev.start();
  const port = ccTalkCashPort(dev);
  const s = sim as CashSimulator | null;
  const actions: Managed['actions'] = s
    ? {
        // The amount in minor units; a note when the unit takes notes of that value, else a coin.
        insertCash: (arg) => {
          const value = Number(arg || '10000');
          if (!Number.isInteger(value) || value <= 0) return out(false, 'failed', `not an amount: "${arg}"`, { detail: arg });
          const note = SIM_CASH[s.country === 'EU' ? 'EUR' : 'SEK'].bills.some((b) => Number(b.slice(2, 6)) * 100 === value);
          const taken = note ? s.insertNote(value) : s.insertCoin(value);
          return out(taken, taken ? 'cashInserted' : 'failed', taken ? `${note ? 'note' : 'coin'} of ${value} put in` : `the ${note ? 'note' : 'coin'} was not taken`, { amount: value, detail: 'refused' });
        },
        cashJam: () => (s.fault('jam'), out(true, 'cashFaultSet', 'coin path jammed', { fault: 'jam' })),
        cashFull: () => (s.fault('full'), out(true, 'cashFaultSet', 'note cashbox full', { fault: 'full' })),
        cashShort: (arg) => (s.setHopperLevel(Math.max(0, Number(arg) || 0)), out(true, 'cashFaultSet', `hoppers left with ${Math.max(0, Number(arg) || 0)} coin(s) each`, { fault: 'short' })),
        cashClear: () => (s.clearFaults(), s.setHopperLevel(100), out(true, 'cashCleared', 'faults cleared, hoppers refilled')),
      }
    : {};
  return {
    provides: { cash: port },
    managed: {
      id: d.id,
      kind: 'cash',
      connection: `ccTalk serial ${path}${s ? ' (simulated)' : ''}`,
      status: () => {
        if (dev.state !== 'online') return { state: 'offline', detail: `not connected: ${dev.reason}`, detailCode: 'notConnected' };
        const fault = port.fault;
        const code: DeviceDetailCode = fault === 'jam' ? 'cashJam' : fault === 'full' ? 'cashFull' : 'connected';
        return fault ? { state: 'warning', detail: fault === 'jam' ? 'jammed: clear the coin or note path' : 'cashbox full: empty it', detailCode: code } : { state: 'online', detail: `connected: ${dev.describe()}`, detailCode: 'connected' };
      },
      watch: (changed) => {
        dev.on('state', changed);
        dev.on('event', (e) => e.kind === 'fault' && changed());
      },
      actions,
      ...(s ? { printout: () => `cash unit: ${s.hoppers.map((h) => `${h.coinId}×${h.level}`).join(', ')}${s.coinJam ? ', coin path jammed' : ''}${s.stackerFull ? ', cashbox full' : ''}` } : {}),
    },
    stop: () => dev.stop(),
  };
}
