/**
 * ZVT: frame and APDU vectors from the shared fixtures, BCD/BMP/TLV parsing including malformed
 * input (fuzzed), and whole transactions against the payment-terminal simulator over real TCP and
 * a real PTY.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bcd, bcdDigits, decodeApdu, encodeApdu, encodeBmp, encodeTlv, fromHex, hex, parseBmps, parseTlv } from '../../drivers/zvt/apdu';
import { crc16, frame, SerialFramer } from '../../drivers/zvt/serial-frame';
import { authorization, endOfDay, maskedPan, ptMessage, refund, registration, repeatReceipt, reversal, statusEnquiry, abort } from '../../drivers/zvt/messages';
import { ZvtClient } from '../../drivers/zvt/client';
import { ApduStream, SerialZvtTransport, TcpZvtTransport, type ZvtTransport } from '../../drivers/zvt/transport';
import { ZvtSimulator } from '../../drivers/zvt/simulator';
import { openPtyPair, type PtyPair } from '../../drivers/serial/pty';

const fixtures = JSON.parse(readFileSync(join(__dirname, '../fixtures/shared/zvt/frames.json'), 'utf8')) as {
  serial: Array<{ name: string; apdu: string; frame: string }>;
  apdu: Array<{ name: string; hex: string }>;
};

describe('ZVT vectors', () => {
  it('serial frames: stuffing and CRC-16 (0x8408) exactly as the fixtures', () => {
    for (const v of fixtures.serial) {
      expect(hex(frame(fromHex(v.apdu))), v.name).toBe(v.frame.toUpperCase());
      const [ev] = new SerialFramer().push(fromHex(v.frame));
      expect(ev, v.name).toEqual({ kind: 'frame', apdu: fromHex(v.apdu) });
    }
    expect(crc16([])).toBe(0);
  });

  it('APDUs built by the till match the fixtures byte for byte', () => {
    const byName = (n: string) => fixtures.apdu.find((a) => a.name.startsWith(n))!.hex;
    expect(hex(encodeApdu(registration('123456', 0xba, 'EUR')))).toBe(byName('registration'));
    expect(hex(encodeApdu({ cls: 0x06, instr: 0x01, data: Uint8Array.from(encodeBmp(0x04, bcd(154, 6))) }))).toBe(byName('authorization 1.54'));
    expect(hex(encodeApdu(statusEnquiry('123456')))).toBe(byName('status enquiry'));
    expect(hex(encodeApdu(repeatReceipt('123456')))).toBe(byName('repeat receipt'));
    expect(hex(encodeApdu(abort()))).toBe(byName('abort'));
    const apduOf = (h: string) => {
      const d = decodeApdu(fromHex(h));
      if (d === 'incomplete') throw new Error('incomplete');
      return d.apdu;
    };
    expect(ptMessage(apduOf(byName('completion')))).toEqual({ kind: 'completion' });
    expect(ptMessage(apduOf(byName('negative')))).toEqual({ kind: 'nak', code: 0x9c });
    // authorization 110.00 EUR from the serial fixture, as our builder makes it
    expect(hex(encodeApdu(authorization(11000, 'EUR')))).toBe('06 01 0A 04 00 00 00 01 10 00 49 09 78');
    // Every market's currency has its ISO 4217 number (a British store's terminal is asked in pounds, 826).
    expect(hex(encodeApdu(authorization(145, 'GBP')))).toBe('06 01 0A 04 00 00 00 00 01 45 49 08 26');
    expect(hex(encodeApdu(authorization(145, 'NOK')))).toBe('06 01 0A 04 00 00 00 00 01 45 49 05 78');
    expect(hex(encodeApdu(reversal('123456', 42)))).toBe('06 30 06 12 34 56 87 00 42');
    expect(hex(encodeApdu(endOfDay('000000')))).toBe('06 50 03 00 00 00');
    expect(hex(encodeApdu(refund('123456', 500, 'SEK')))).toBe('06 31 0D 12 34 56 04 00 00 00 00 05 00 49 07 52');
  });

  it('extended length: LEN FF + two bytes little-endian, both ways', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const enc = encodeApdu({ cls: 0x06, instr: 0xd3, data });
    expect(hex(enc.subarray(0, 5))).toBe('06 D3 FF 2C 01');
    const dec = decodeApdu(enc);
    expect(dec !== 'incomplete' && dec.size === 305 && dec.apdu.data.length === 300).toBe(true);
    expect(decodeApdu(enc.subarray(0, 100))).toBe('incomplete');
  });

  it('BCD, LLVAR/LLLVAR BMPs, BER-TLV with nesting; unknown BMPs stop parsing with the reason', () => {
    expect(bcd(154, 6)).toEqual([0, 0, 0, 0, 0x01, 0x54]);
    expect(bcdDigits([0x12, 0x34])).toBe('1234');
    expect(bcdDigits([0x1a])).toBeNull();
    const data = Uint8Array.from([...encodeBmp(0x27, [0]), ...encodeBmp(0x8b, Array.from(Buffer.from('Girocard'))), ...encodeBmp(0x3c, Array.from(Buffer.from('x'.repeat(120)))), ...encodeBmp(0x06, encodeTlv(0x25, encodeTlv(0x07, [0x41, 0x42])))]);
    const { bmps, error } = parseBmps(data);
    expect(error).toBeNull();
    expect(bmps.map((b) => [b.tag, b.value.length])).toEqual([
      [0x27, 1],
      [0x8b, 8],
      [0x3c, 120],
      [0x06, 6],
    ]);
    const tlv = parseTlv(bmps[3]!.value);
    expect(tlv.tlvs[0]!.children![0]).toMatchObject({ tag: 0x07, value: Uint8Array.from([0x41, 0x42]) });
    expect(parseBmps(Uint8Array.from([0x27, 0x00, 0x77, 0x01])).error).toMatch(/unknown BMP 0x77 at offset 2/);
    expect(parseBmps(Uint8Array.from([0x8b, 0xf9, 0xf9, 0x41])).error).toMatch(/runs past the end/);
    expect(maskedPan(Uint8Array.from([0x67, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x5f]))).toBe('*************2345');
  });

  it('fuzz: random bytes never throw out of the parsers and never hang', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (junk) => {
        const t0 = Date.now();
        parseBmps(junk);
        parseTlv(junk);
        const d = decodeApdu(junk);
        if (d !== 'incomplete') ptMessage(d.apdu);
        new SerialFramer().push(junk);
        new ApduStream().push(junk);
        ptMessage({ cls: 0x04, instr: 0x0f, data: junk });
        ptMessage({ cls: 0x04, instr: 0xff, data: junk });
        ptMessage({ cls: 0x06, instr: 0xd3, data: junk });
        expect(Date.now() - t0).toBeLessThan(1_000);
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('ZVT transactions against the simulator', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function overTcp(sim: ZvtSimulator): Promise<ZvtTransport> {
    const port = await sim.listen(0);
    const t = new TcpZvtTransport({ host: '127.0.0.1', port });
    await t.start();
    cleanups.push(() => t.stop(), () => sim.close());
    return t;
  }
  async function overPty(sim: ZvtSimulator): Promise<ZvtTransport> {
    const pty: PtyPair = await openPtyPair();
    await sim.attach(pty.device);
    const t = new SerialZvtTransport({ path: pty.host });
    await t.start();
    cleanups.push(
      () => pty.close(),
      () => t.stop(),
      () => sim.close(),
    );
    return t;
  }

  for (const [name, connect] of [
    ['TCP', overTcp],
    ['a serial PTY', overPty],
  ] as const) {
    it(`a card payment over ${name}: intermediate texts, status information, receipt lines, completion`, async () => {
      const sim = new ZvtSimulator({ thinkMs: 10 });
      const client = new ZvtClient(await connect(sim));
      const texts: string[] = [];
      const steps: string[] = [];
      const codes: Array<[number, boolean]> = [];
      client.on('intermediate', (t, code, own) => {
        texts.push(t);
        codes.push([code, own]);
      });
      client.on('step', (s) => steps.push(s));
      const out = await client.run(authorization(1234, 'EUR'));
      expect(out).toMatchObject({ status: 'completed', result: 0, uncertain: false, info: { amount: 1234, receiptNo: 1, trace: 1, maskedPan: '************4242', cardName: 'Girocard' } });
      expect(out.receiptLines).toContain('Betrag EUR 12,34');
      expect(texts).toEqual(['Insert card', 'Please watch the PIN pad']);
      expect(codes).toEqual([
        [0x0a, false],
        [0x01, false],
      ]); // standard statuses: the lane words them in its own language
      expect(steps).toEqual(['sent', 'acknowledged', 'intermediate', 'intermediate', 'statusInfo', 'print', 'completion']);
      // declined by the issuer
      const no = await client.run(authorization(2666, 'EUR'));
      expect(no).toMatchObject({ status: 'declined', result: 0x05, text: 'declined' });
      expect(sim.transactions.map((t) => [t.amount, t.result])).toEqual([
        [1234, 0],
        [2666, 5],
      ]);
    });
  }

  it('status enquiry and repeat receipt answer from the terminal record; reversal, refund and end of day', async () => {
    const sim = new ZvtSimulator({ thinkMs: 5 });
    const client = new ZvtClient(await overTcp(sim));
    await client.run(authorization(1000, 'EUR'));
    await client.run(authorization(2500, 'EUR'));
    const st = await client.run(statusEnquiry('000000'));
    expect(st.info).toMatchObject({ amount: 2500, receiptNo: 2 });
    const rr = await client.run(repeatReceipt('000000'));
    expect(rr.receiptLines).toContain('Beleg-Nr. 2  Trace 2');
    expect(await client.run(reversal('000000', 2))).toMatchObject({ status: 'completed' });
    expect(await client.run(reversal('000000', 2))).toMatchObject({ status: 'declined', result: 0xb4 });
    expect(await client.run(refund('000000', 300, 'EUR'))).toMatchObject({ status: 'completed' });
    const eod = await client.run(endOfDay('000000'));
    expect(eod.info).toMatchObject({ amount: 700, additionalText: 'Kassenschnitt 1 Zahlungen' });
  });

  it('a customer who walks away is aborted cleanly (06 B0 → 06 1E 6C); nothing is charged', async () => {
    const sim = new ZvtSimulator({ thinkMs: 10_000 });
    const t = await overTcp(sim);
    const client = new ZvtClient(t, { transactionTimeoutMs: 300, idleTimeoutMs: 300 });
    const out = await client.run(authorization(1500, 'EUR'));
    expect(out).toMatchObject({ status: 'declined', result: 0x6c, text: 'aborted' });
    expect(sim.commands).toContain('06b0');
    expect(sim.transactions).toEqual([]);
  });

  it('junk before the first APDU on TCP is skipped; a terminal that dies mid-transaction leaves the outcome uncertain', async () => {
    expect(new ApduStream().push(Uint8Array.from([0x00, 0xaa, 0x80, 0x00, 0x00])).apdus).toEqual([{ cls: 0x80, instr: 0x00, data: new Uint8Array(0) }]);
    const sim = new ZvtSimulator({ thinkMs: 5 });
    const client = new ZvtClient(await overTcp(sim), { idleTimeoutMs: 500 });
    sim.failAt = { step: 'statusInfo', mode: 'die' };
    const out = await client.run(authorization(4200, 'EUR'));
    expect(out).toMatchObject({ status: 'failed', uncertain: true });
    expect(sim.transactions.map((x) => x.result)).toEqual([0]); // the terminal charged the card
  });
});
