/**
 * HID POS scanners at the node-hid boundary: the real node-hid module (there is no /dev/uhid here to
 * make a HID device, so no real scanner is plugged in) and the simulator that hands over reports
 * exactly as node-hid does.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadNodeHid, nodeHidBackend } from '../../drivers/hidpos/backend';
import { HidPosScanner } from '../../drivers/hidpos/scanner';
import { HidScannerSimulator } from '../../drivers/hidpos/simulator';
import { encodeReports, ReportAssembler } from '../../drivers/hidpos/report';
import { until } from '../helpers/wait';

type ScanEv = { code: string; aim: string | null };

function collect(scanner: HidPosScanner) {
  const scans: ScanEv[] = [];
  const warnings: string[] = [];
  const states: string[] = [];
  scanner.on('scan', (s) => scans.push({ code: s.code, aim: s.aim }));
  scanner.on('warning', (w) => warnings.push(w));
  scanner.on('state', ({ state }) => states.push(state));
  return { scans, warnings, states };
}

describe('node-hid itself', () => {
  it('loads on this machine (libusb present) and lists HID devices', async () => {
    const l = loadNodeHid();
    expect('error' in l ? l.error : null).toBeNull();
    const list = await nodeHidBackend().devices();
    expect(Array.isArray(list)).toBe(true);
  });

  it('a configured scanner that is not plugged in is offline with the reason, and retried without throwing', async () => {
    const scanner = new HidPosScanner(nodeHidBackend(), { vendorId: 0x0c2e, productId: 0xfffe, minBackoffMs: 20 });
    await scanner.start();
    expect(scanner.state).toBe('offline');
    expect(scanner.reason).toBe('no HID POS scanner 0c2e:fffe plugged in');
    await new Promise((r) => setTimeout(r, 100)); // a few retries happen quietly
    await scanner.stop();
  });

  it('opening a HID path that does not exist fails cleanly', async () => {
    await expect(nodeHidBackend().open('/dev/hidraw-does-not-exist')).rejects.toThrow();
  });
});

describe('HID POS scanner driver', () => {
  it('switches a Honeywell scanner into HID POS mode, picks its 0x8C interface, and reads scans', async () => {
    const sim = new HidScannerSimulator({ vendorId: 0x0c2e, productId: 0x0b61 });
    const scanner = new HidPosScanner(sim, { vendorId: 0x0c2e, productId: 0x0b61 });
    const ev = collect(scanner);
    await scanner.start();
    expect(scanner.state).toBe('online');
    expect(sim.featureReports).toEqual([[0xfe, 0x01]]);
    expect(scanner.device?.usagePage).toBe(0x8c);
    expect(sim.scan('5901234123457', ']E0')).toBe(true);
    expect(ev.scans).toEqual([{ code: ']E05901234123457', aim: ']E0' }]);
    await scanner.stop();
  });

  it('a scanner that needs no mode switch is not sent one (unless configured)', async () => {
    const sim = new HidScannerSimulator({ vendorId: 0x05e0, productId: 0x1900, needsModeSwitch: false });
    const scanner = new HidPosScanner(sim, { vendorId: 0x05e0, productId: 0x1900 });
    await scanner.start();
    expect(sim.featureReports).toEqual([]);
    await scanner.stop();
    const forced = new HidPosScanner(sim, { vendorId: 0x05e0, productId: 0x1900, modeSwitch: true });
    await forced.start();
    expect(sim.featureReports).toEqual([[0xfe, 0x01]]);
    await forced.stop();
  });

  it('reads the recorded README report, joins a long GS1-128 code from continuation reports, and recovers from garbage', async () => {
    const sim = new HidScannerSimulator();
    const scanner = new HidPosScanner(sim, { vendorId: sim.info.vendorId, productId: sim.info.productId });
    const ev = collect(scanner);
    await scanner.start();
    // Recorded: EAN-13 5901234123457, AIM ]E0, vendor symbology 100 at byte 60 (after the id)
    const rec = new Array<number>(64).fill(0);
    '02 0D 5D 45 30 35 39 30 31 32 33 34 31 32 33 34 35 37'.split(' ').forEach((h, i) => (rec[i] = parseInt(h, 16)));
    rec[61] = 100;
    sim.send([rec]);
    const gs1 = `0107350053850019310300123417261231${'10'}BATCH${'A'.repeat(30)}\x1d3922004995`;
    expect(gs1.length).toBeGreaterThan(56);
    sim.scan(gs1, ']C1');
    sim.send([[0x05, 0x01, 0x02, 0x03, 0x04, 0x05], [0x02, 0x3f, ...new Array<number>(62).fill(0x41)]]);
    sim.scan('96385074', ']E4');
    expect(ev.scans).toEqual([
      { code: ']E05901234123457', aim: ']E0' },
      { code: `]C1${gs1}`, aim: ']C1' },
      { code: ']E496385074', aim: ']E4' },
    ]);
    expect(ev.warnings).toEqual([expect.stringMatching(/not a scanned-data report/), expect.stringMatching(/bad data length/)]);
    await scanner.stop();
  });

  it('unplugged: offline with the reason; plugged back in: found again, switched into HID POS mode again, scanning', async () => {
    const sim = new HidScannerSimulator();
    const scanner = new HidPosScanner(sim, { vendorId: sim.info.vendorId, productId: sim.info.productId, minBackoffMs: 20, maxBackoffMs: 80 });
    const ev = collect(scanner);
    await scanner.start();
    sim.unplug();
    await until('offline', () => scanner.state === 'offline');
    expect(scanner.reason).toMatch(/could not read|no HID POS scanner/);
    expect(sim.scan('4006381333931')).toBe(false); // nothing arrives from an unplugged scanner
    await new Promise((r) => setTimeout(r, 150));
    sim.plug();
    await until('online again', () => scanner.state === 'online');
    expect(sim.featureReports).toEqual([
      [0xfe, 0x01],
      [0xfe, 0x01],
    ]);
    expect(sim.scan('4006381333931', ']E0')).toBe(true);
    expect(ev.scans).toEqual([{ code: ']E04006381333931', aim: ']E0' }]);
    expect(ev.states).toEqual(['online', 'offline', 'online']);
    await scanner.stop();
    expect(sim.isOpen).toBe(false);
  });
});

describe('HID POS report encoding', () => {
  it('whatever the code, the reports the device side sends assemble back into it', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-./\x1d'.split('')), minLength: 1, maxLength: 400 }), fc.constantFrom(']E0', ']C1', ']Q3', null), (code, aim) => {
        const a = new ReportAssembler();
        const reports = encodeReports(code, aim);
        expect(reports.every((r) => r.length === 64)).toBe(true);
        const results = reports.map((r) => a.push(r));
        expect(results.slice(0, -1).every((r) => !r.scan && !r.warning)).toBe(true);
        expect(results[results.length - 1]!.scan).toEqual({ code: (aim ?? '') + code, aim });
      }),
      { numRuns: 300 },
    );
  });
});
