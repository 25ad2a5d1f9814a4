/**
 * Dialog 06 price-computing scales: the records byte for byte (from the Dialog 06 record tables),
 * and over a real PTY against the simulator wired to a lane: a weighed item becomes a line with the
 * weight the scale reported and the price it computed; in motion, below minimum, overloaded, the
 * same load twice, a checksum request, or no scale at all → no line and the reason.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Dialog06Framer,
  PosFramer,
  priceRecord,
  parseRecord,
  priceToPay,
  RESULT_REQUEST,
  resultRecord,
  STATUS_REQUEST,
} from '../../drivers/scale/dialog06/protocol';
import { Dialog06Scale } from '../../drivers/scale/dialog06/device';
import { Dialog06Simulator } from '../../drivers/scale/dialog06/simulator';
import { openPtyPair, type PtyPair } from '../../drivers/serial/pty';
import type { LaneService } from '../../core/lane/host';
import type { Db } from '../../core/db';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { dialog06WeightSource } from '../../core/devices/scale';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';

const hex = (b: number[]) => Buffer.from(b).toString('hex');
const bytes = (s: string) => Array.from(Buffer.from(s.replace(/<EOT>/g, '\x04').replace(/<STX>/g, '\x02').replace(/<ETX>/g, '\x03').replace(/<ESC>/g, '\x1b').replace(/<ENQ>/g, '\x05'), 'latin1'));

describe('Dialog 06 records', () => {
  it('POS records: 01 unit price, 03 with tare, 04 with text, 05 with both; EOT ENQ; status 08', () => {
    expect(hex(priceRecord(2490))).toBe(hex(bytes('<EOT><STX>01<ESC>002490<ESC><ETX>')));
    expect(hex(priceRecord(2490, { tareGrams: 15 }))).toBe(hex(bytes('<EOT><STX>03<ESC>002490<ESC>0015<ETX>')));
    expect(hex(priceRecord(3490, { text: 'Äpplen Royal Gala' }))).toBe(hex(bytes('<EOT><STX>04<ESC>003490<ESC>Applen Royal <ETX>')));
    expect(hex(priceRecord(3490, { tareGrams: 20, text: 'Tomater' }))).toBe(hex(bytes('<EOT><STX>05<ESC>003490<ESC>0020<ESC>Tomater      <ETX>')));
    expect(RESULT_REQUEST).toEqual([0x04, 0x05]);
    expect(hex(STATUS_REQUEST)).toBe(hex(bytes('<EOT><STX>08<ETX>')));
    expect(() => priceRecord(1_000_000)).toThrow(/6 digits/);
    expect(() => priceRecord(100, { tareGrams: 12_345 })).toThrow(/4 digits/);
  });

  it('scale records: 02 result in kg, 09 status, 11 checksum request; ACK/NAK; noise counted', () => {
    const f = new Dialog06Framer();
    const stream = [0x06, ...bytes('<STX>02<ESC>3<ESC>01234<ESC>002490<ESC>003073<ETX>'), 0x15, 0xff, ...bytes('<STX>09<ESC>20<ETX><STX>11<ESC>247<ETX>')];
    expect(f.push(stream)).toEqual([
      { kind: 'ack' },
      { kind: 'result', result: { unit: 'kg', grams: 1234, unitPrice: 2490, priceToPay: 3073 } },
      { kind: 'nak' },
      { kind: 'garbage', byte: 0x7f },
      { kind: 'status', code: '20', text: 'scale still in motion' },
      { kind: 'checksums', verdict: 'requested', random: '47' },
    ]);
    expect(parseRecord(bytes('02<ESC>1<ESC>01234<ESC>002490<ESC>003073'))).toMatchObject({ kind: 'invalid', reason: /pounds/ });
    expect(parseRecord(bytes('02<ESC>3<ESC>12<ESC>002490<ESC>003073'))).toMatchObject({ kind: 'invalid' });
    expect(parseRecord(bytes('77'))).toMatchObject({ kind: 'invalid', reason: /unknown record/ });
  });

  it('the scale side reads back every price record the POS side builds; price to pay rounds half up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 0, max: 9999 }), fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), (price, tare, text) => {
        const [m] = new PosFramer().push(priceRecord(price, { tareGrams: tare, ...(text !== undefined ? { text } : {}) }));
        expect(m).toMatchObject({ kind: 'price', unitPrice: price, tareGrams: tare });
      }),
    );
    expect(priceToPay(1234, 2490)).toBe(3073); // 3072.66 → 3073
    expect(priceToPay(500, 1)).toBe(1); // 0.5 → 1
    expect(resultRecord({ grams: 1234, unitPrice: 2490, priceToPay: 3073 }).length).toBe(26);
  });

  it('whatever garbage arrives, the framer never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
        const f = new Dialog06Framer();
        expect(() => f.push(junk)).not.toThrow();
        expect(() => new PosFramer().push(junk)).not.toThrow();
      }),
    );
  });
});

describe('Dialog 06 scale over a PTY, in a lane', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Db;
  let pty: PtyPair;
  let sim: Dialog06Simulator;
  let scale: Dialog06Scale;
  let s: LaneService;
  const errors: Array<{ code: string; params?: Record<string, string | number> }> = [];

  beforeEach(async () => {
    tmp = tempDir();
    db = demoDb(tmp.dir);
    pty = await openPtyPair();
    sim = new Dialog06Simulator();
    await sim.open(pty.device);
    scale = new Dialog06Scale({ path: pty.host, replyTimeoutMs: 500, settleMs: 1_000, heartbeatMs: 200 });
    await scale.start();
    s = openDemoLane(db, { scale: dialog06WeightSource(scale) });
    errors.length = 0;
    s.subscribeErrors((code, _m, params) => errors.push({ code, ...(params ? { params } : {}) }));
    await until('scale answering', () => scale.state === 'online');
  });
  afterEach(async () => {
    await scale.stop();
    await sim.close();
    await pty.close();
    db.close();
    tmp.cleanup();
  });

  const scan = (code: string) => {
    try {
      s.handle({ id: `c${Math.random()}`, cmd: 'scan', code, source: 'keyboard' });
    } catch (err) {
      return (err as { params?: { reason?: string } }).params?.reason;
    }
    return 'sold';
  };
  const lines = () => s.snapshot().checkout?.lines ?? [];

  it('a weighed item becomes a line with the weight and price the scale reported', async () => {
    sim.set({ grams: 1234, stable: true });
    expect(scan(DEMO_ITEMS.bananas.plu!)).toBe('weighing');
    await until('weighed line', () => lines().length === 1);
    expect(lines()[0]).toMatchObject({ itemId: DEMO_ITEMS.bananas.id, weightGrams: 1234, unitPrice: 2490, total: priceToPay(1234, 2490) });
    expect(sim.received.filter((k) => k !== 'statusRequest').slice(0, 2)).toEqual(['price', 'resultRequest']);
  });

  it('in motion: asks again until it settles; never settles: no line, and why', async () => {
    sim.set({ grams: 800, stable: false, settleAfterRequests: 2 });
    scan(DEMO_ITEMS.apples.plu!);
    await until('line after settling', () => lines().length === 1);
    expect(lines()[0]!.weightGrams).toBe(800);
    sim.set({ grams: 900, stable: false, settleAfterRequests: null });
    scan(DEMO_ITEMS.tomatoes.plu!);
    await until('refusal', () => errors.some((e) => e.params?.reason === 'inMotion'));
    expect(lines()).toHaveLength(1);
  });

  it('below minimum, overloaded, the same load again, checksums asked for: no line, each with its reason', async () => {
    const refusal = async (reason: string) => {
      errors.length = 0;
      scan(DEMO_ITEMS.potatoes.plu!);
      await until(reason, () => errors.some((e) => e.code === 'WEIGHT_REQUIRED' && e.params?.reason === reason));
    };
    sim.set({ grams: 20 });
    await refusal('zero');
    sim.set({ grams: 20_000 });
    await refusal('overCapacity');
    sim.set({ grams: 1_000 });
    scan(DEMO_ITEMS.potatoes.plu!);
    await until('sold once', () => lines().length === 1);
    await refusal('notMoved'); // the same load cannot be sold twice without lifting it
    sim.set({ requireChecksums: true, grams: 1_100 });
    await refusal('checksumsRequired');
    expect(lines()).toHaveLength(1);
  });

  it('a scale that does not answer: no line, "timeout"; garbage on the line is ignored', async () => {
    const warnings: string[] = [];
    scale.on('warning', (w) => warnings.push(w));
    sim.inject([0x41, 0x42, 0xfe]);
    await until('noise reported', () => warnings.some((w) => /stray/.test(w)));
    sim.set({ silent: true, grams: 500 });
    scan(DEMO_ITEMS.bananas.plu!);
    await until('timeout', () => errors.some((e) => e.params?.reason === 'timeout'));
    expect(lines()).toHaveLength(0);
    sim.set({ silent: false });
    scan(DEMO_ITEMS.bananas.plu!);
    await until('sold when it answers again', () => lines().length === 1);
  });
});
