/**
 * ccTalk cash device: frames byte for byte (the specification's own examples), the framer against
 * garbage, coin and bill naming, event counters; then the driver over a real PTY against the
 * simulator: identification, acceptance, coins and notes (through escrow), inhibits, change from
 * the hoppers, short change, a jam, a full stacker, line noise, and events buffered while the
 * terminal was down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { billValue, checksum, coinValue, CcTalkFramer, encodeFrame, newEventCount } from '../../drivers/cctalk/protocol';
import { planPayout } from '../../drivers/cctalk/payout';
import { CcTalkCashDevice } from '../../drivers/cctalk/device';
import { CashSimulator } from '../../drivers/cctalk/simulator';
import type { AcceptorEvent } from '../../drivers/cctalk/acceptors';
import { openPtyPair } from '../../drivers/serial/pty';
import { until } from '../helpers/wait';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('ccTalk frames', () => {
  it('the specification’s examples: a simple poll to the coin acceptor and its ACK; all bytes sum to 0 mod 256', () => {
    expect([...encodeFrame({ dest: 2, src: 1, header: 254 })]).toEqual([2, 0, 1, 254, 255]);
    expect([...encodeFrame({ dest: 1, src: 2, header: 0 })]).toEqual([1, 0, 2, 0, 253]);
    const f = encodeFrame({ dest: 40, src: 1, header: 231, data: [255, 1] });
    expect([...f].reduce((a, b) => a + b, 0) % 256).toBe(0);
    expect(checksum([1, 2, 3])).toBe(250);
    expect(() => encodeFrame({ dest: 2, src: 1, header: 300 })).toThrow(/byte/);
  });

  it('the framer drops frames with a bad checksum (counted) and still finds the good frame behind noise', () => {
    const fr = new CcTalkFramer();
    const good = [...encodeFrame({ dest: 1, src: 2, header: 0, data: [7, 8] })];
    const bad = [...good];
    bad[5] = bad[5]! ^ 0xff;
    const events = fr.push([...bad, 0x42, 200, 0x13, ...good], 0);
    expect(events.filter((e) => e.kind === 'frame')).toEqual([{ kind: 'frame', frame: { dest: 1, src: 2, header: 0, data: Uint8Array.from([7, 8]) } }]);
    expect(fr.badChecksums).toBeGreaterThan(0);
    // A half frame left on the line for longer than the inter-byte timeout is dropped as noise.
    const late = new CcTalkFramer(50);
    late.push(good.slice(0, 3), 0);
    expect(late.push(good, 100).map((e) => e.kind)).toEqual(['noise', 'frame']);
  });

  it('whatever garbage arrives, the framer never throws, and a good frame after it is read', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        const fr = new CcTalkFramer();
        expect(() => fr.push(junk, 0)).not.toThrow();
        const frame = encodeFrame({ dest: 1, src: 40, header: 0, data: [1, 2, 3] });
        const later = fr.push(frame, 1_000); // after the inter-byte timeout
        expect(later.some((e) => e.kind === 'frame' && e.frame.src === 40)).toBe(true);
      }),
    );
  });

  it('coin and bill ids to values in minor units; event counters wrap 255 → 1, 0 means a reset', () => {
    expect(coinValue('SE100A', 'SE')).toBe(100);
    expect(coinValue('SE1K0A', 'SE')).toBe(1000);
    expect(coinValue('EU2K5A', 'EU')).toBe(2500);
    expect(coinValue('EU200A', 'EU')).toBe(200);
    expect(coinValue('EU200A', 'SE')).toBeNull(); // another currency stays inhibited
    expect(coinValue('......', 'SE')).toBeNull();
    expect(billValue('SE0100A', 'SE', { factor: 100, decimals: 2 })).toBe(10_000);
    expect(billValue('EU0005A', 'EU', { factor: 1, decimals: 0 })).toBe(500);
    expect(billValue('SE0100A', 'SE', { factor: 0, decimals: 0 })).toBeNull();
    // The specification's table: last → now.
    expect(newEventCount(23, 23)).toEqual({ count: 0, reset: false });
    expect(newEventCount(102, 104)).toEqual({ count: 2, reset: false });
    expect(newEventCount(255, 1)).toEqual({ count: 1, reset: false });
    expect(newEventCount(253, 3)).toEqual({ count: 5, reset: false });
    expect(newEventCount(48, 54)).toEqual({ count: 6, reset: false }); // one lost
    expect(newEventCount(67, 0)).toEqual({ count: 0, reset: true });
  });

  it('change is planned largest coin first; what no hopper can make is left over', () => {
    const hoppers = [
      { address: 4, value: 100 },
      { address: 3, value: 1000 },
    ];
    expect(planPayout(2800, hoppers).map((p) => [p.hopper.value, p.coins])).toEqual([
      [1000, 2],
      [100, 8],
    ]);
    expect(planPayout(2800, hoppers, new Set([3])).map((p) => [p.hopper.value, p.coins])).toEqual([[100, 28]]);
    expect(planPayout(50, hoppers)).toEqual([]);
  });
});

async function rig(opts: { recorded?: { coin: number | null; bill: number | null }; before?: (sim: CashSimulator) => void } = {}) {
  const pty = await openPtyPair();
  const sim = new CashSimulator({ currency: 'SEK', coinMs: 5, hopperLevel: 50 });
  await sim.open(pty.device);
  opts.before?.(sim);
  const dev = new CcTalkCashDevice({ path: pty.host, currency: 'SEK', pollMs: 30, recordedCounter: (s) => opts.recorded?.[s] ?? null });
  const events: AcceptorEvent[] = [];
  const warnings: string[] = [];
  dev.on('event', (e) => events.push(e));
  dev.on('warning', (w) => warnings.push(w));
  await dev.start();
  cleanups.push(async () => {
    await dev.stop();
    await sim.close();
    await pty.close();
  });
  const credits = () => events.filter((e) => e.kind === 'credit').map((e) => (e as { value: number }).value);
  return { sim, dev, events, warnings, credits };
}

describe('ccTalk cash device over a PTY, against the simulator', () => {
  it('finds the coin acceptor, the note validator and two hoppers; takes nothing until asked', async () => {
    const { sim, dev, events, credits } = await rig();
    expect(dev.state).toBe('online');
    expect(dev.describe()).toBe('4 coin(s), 5 note(s), 2 hopper(s)');
    expect(dev.hoppers).toEqual([
      { address: 3, value: 1000 },
      { address: 4, value: 100 },
    ]);
    expect(sim.accepting).toEqual({ coins: false, notes: false });
    sim.insertCoin(1000); // inhibited: handed back
    await until('inhibited coin seen', () => events.some((e) => e.kind === 'rejected'));
    expect(credits()).toEqual([]);
  });

  it('counts coins and notes while accepting; a note is stacked from escrow; stops when told', async () => {
    const { sim, dev, events, credits } = await rig();
    expect(await dev.accept(true)).toBe(true);
    expect(sim.accepting).toEqual({ coins: true, notes: true });
    sim.insertCoin(1000);
    sim.insertCoin(500);
    sim.insertNote(10_000);
    await until('three credits', () => credits().length === 3);
    expect(credits()).toEqual([1000, 500, 10_000]);
    expect(events.some((e) => e.kind === 'escrow' && e.value === 10_000)).toBe(true);
    expect(await dev.accept(false)).toBe(true);
    expect(sim.accepting).toEqual({ coins: false, notes: false });
    sim.insertNote(2000);
    await until('note refused', () => events.filter((e) => e.kind === 'rejected').length > 0);
    expect(credits()).toHaveLength(3);
  });

  it('a note that arrives in escrow after acceptance stopped is handed back, not credited', async () => {
    const { sim, dev, events, credits } = await rig();
    await dev.accept(true);
    sim.insertNote(5000);
    await dev.accept(false); // the amount was reached meanwhile
    await until('note returned', () => events.some((e) => e.kind === 'rejected' && e.source === 'bill'));
    expect(credits()).toEqual([]);
  });

  it('pays change from the hoppers, largest coin first; short change says what it could pay', async () => {
    const { sim, dev } = await rig();
    const steps: string[] = [];
    expect(await dev.payout(2800, (s) => steps.push(`${s.step}:${s.value}`))).toEqual({ requested: 2800, paid: 2800 });
    expect(steps).toEqual(['dispensing:1000', 'dispensed:1000', 'dispensing:100', 'dispensed:100']);
    sim.setHopperLevel(1, 1000);
    sim.setHopperLevel(3, 100);
    expect(await dev.payout(2800)).toEqual({ requested: 2800, paid: 1300 });
    expect(sim.hoppers.map((h) => h.level)).toEqual([0, 0]);
  });

  it('a jam stops acceptance and is a fault until cleared; a full stacker too', async () => {
    const { sim, dev, events } = await rig();
    await dev.accept(true);
    sim.fault('jam');
    await until('jam seen', () => events.some((e) => e.kind === 'fault' && e.fault === 'jam'));
    await until('acceptance stopped', () => !sim.accepting.coins);
    expect(await dev.accept(true)).toBe(false);
    sim.clearFaults();
    expect(await dev.accept(true)).toBe(true);
    sim.fault('full');
    await until('full seen', () => events.some((e) => e.kind === 'fault' && e.fault === 'full'));
    expect([...dev.faults]).toEqual(['full']);
  });

  it('garbage and frames with a bad checksum on the line are dropped and counted; nothing is lost', async () => {
    const { sim, dev, warnings, credits } = await rig();
    await dev.accept(true);
    const bad = [...encodeFrame({ dest: 1, src: 2, header: 0, data: [1, 2, 3] })];
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0x55;
    for (let i = 0; i < 5; i++) {
      sim.inject([0xde, 0xad, ...bad]);
      sim.insertCoin(100);
      await new Promise((r) => setTimeout(r, 40));
    }
    await until('five credits', () => credits().length === 5);
    expect(credits()).toEqual([100, 100, 100, 100, 100]);
    expect(dev.lineErrors.badChecksums + dev.lineErrors.noiseBytes).toBeGreaterThan(0);
    expect(warnings.some((w) => /bad checksum|line noise/.test(w))).toBe(true);
    expect(dev.state).toBe('online');
  });

  it('coins counted while the terminal was down are read after its last recorded counter', async () => {
    const { credits } = await rig({
      recorded: { coin: 1, bill: null },
      before: (sim) => {
        // The terminal recorded event 1 before it stopped; two more coins went in meanwhile.
        sim['coinMaster'] = true;
        sim['coinInhibit'] = [0xff, 0];
        sim.insertCoin(100);
        sim.insertCoin(1000);
        sim.insertCoin(500);
      },
    });
    await until('two credits', () => credits().length === 2);
    expect(credits()).toEqual([1000, 500]);
  });

  it('a device that stops answering goes offline and refuses to accept', async () => {
    const { sim, dev } = await rig();
    sim.silent = true;
    await until('offline', () => dev.state === 'offline', 5_000);
    expect(await dev.accept(true)).toBe(false);
    sim.silent = false;
    await until('online again', () => dev.state === 'online', 5_000);
  });
});
