/** A serial barcode scanner over a real PTY (socat) feeding the checkout. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../core/catalog/demo';
import { Catalog } from '../../core/catalog/repo';
import { LaneService } from '../../core/lane/host';
import { feedScanner } from '../../core/devices/scanner';
import { Operators, seedDemoOperators } from '../../core/operators';
import { PROFILES } from '../../core/profile';
import { openPtyPair, type PtyPair } from '../../drivers/serial/pty';
import { LineFramer, SerialScanner } from '../../drivers/scanner/serial';
import { ScannerSimulator } from '../../drivers/scanner/simulator';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';
import { testClock } from '../helpers/clock';

describe('scanner line framing', () => {
  it('splits on the suffix, keeps GS, drops noise and over-long lines', () => {
    const f = new LineFramer('CRLF', 16);
    const out = f.push(Buffer.from('5901234123457\r\n01\x1d10AB\r\n\x01\x02junk\r\n' + 'x'.repeat(40) + '\r\n96385074\r\n', 'latin1'));
    expect(out).toEqual([
      { line: '5901234123457' },
      { line: '01\x1d10AB' },
      { warning: 'scanner line with a stray byte 0x01 dropped' },
      { warning: 'scanner line longer than 16 bytes dropped' },
      { line: '96385074' },
    ]);
  });
});

describe('serial scanner over a PTY', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Db;
  let pty: PtyPair;
  let sim: ScannerSimulator;
  let scanner: SerialScanner;
  let s: LaneService;
  const warnings: string[] = [];
  const errors: string[] = [];

  beforeEach(async () => {
    tmp = tempDir();
    db = openDatabase(join(tmp.dir, 'scan.db'));
    generateCatalog(db, {});
    seedDemoOperators(new Operators(db));
    s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: '1' }, { now: testClock() });
    s.subscribeErrors((code) => errors.push(code));
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    run(s, { cmd: 'openTill', float: [] });
    pty = await openPtyPair();
    sim = new ScannerSimulator('CR');
    await sim.open(pty.device);
    scanner = new SerialScanner({ path: pty.host, suffix: 'CR' });
    await scanner.start();
    feedScanner(scanner, s, (l) => warnings.push(l));
  });
  afterEach(async () => {
    await scanner.stop();
    await sim.close();
    await pty.close();
    db.close();
    tmp.cleanup();
  });

  it('a scan lands in the basket; AIM prefixes are understood', async () => {
    const events: Array<{ code: string; symbology: string | null; source: string }> = [];
    scanner.on('scan', ({ code, symbology, source }) => events.push({ code, symbology, source }));
    await sim.scan(DEMO_ITEMS.milk.codes[0]!, ']E0');
    await until('line', () => (s.snapshot().checkout?.lines.length ?? 0) === 1);
    expect(s.snapshot().checkout!.lines[0]!.name).toBe('Mellanmjölk 1,5 % 1 l');
    // the same event shape as the HID POS driver's
    expect(events).toEqual([{ code: `]E0${DEMO_ITEMS.milk.codes[0]!}`, symbology: ']E0', source: 'scanner' }]);
  });

  it('garbage bytes and a 10 kB line are ignored with a warning; the next good scan works', async () => {
    await sim.write(Buffer.from([0x00, 0xff, 0x13, 0x41, 0x0d]));
    await sim.write(Buffer.from('9'.repeat(10 * 1024) + '\r', 'latin1'));
    await sim.scan(DEMO_ITEMS.butter.codes[0]!);
    await until('line', () => (s.snapshot().checkout?.lines.length ?? 0) === 1);
    expect(s.snapshot().checkout!.lines[0]!.name).toBe('Smör normalsaltat 500 g');
    expect(warnings.some((w) => /stray byte/.test(w))).toBe(true);
    expect(warnings.some((w) => /longer than 256/.test(w))).toBe(true);
  });

  it('an unknown code is told to the lane as a typed error', async () => {
    await sim.scan('5901234123457');
    await until('error', () => errors.includes('ITEM_NOT_FOUND'));
    expect(s.snapshot().checkout).toBeNull();
  });
});
