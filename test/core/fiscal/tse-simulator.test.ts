/**
 * The TSE simulator's log messages checked by the independent verifier (test/helpers/tse-verifier.ts,
 * written from TR-03151 / DSFinV-K, sharing no code with the signer), which also verifies QR codes
 * printed by certified TSEs (public samples, sources below) — so simulator and real TSE are checked
 * by the same rules.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { ManualClock } from '../../../core/clock';
import { TseSimulator } from '../../../core/fiscal/tse/simulator';
import { PROCESS_TYPE_RECEIPT, TseError, tseTransaction } from '../../../core/fiscal/tse/port';
import { integer, oid } from '../../../core/fiscal/tse/der';
import { tseQrCode } from '../../../core/receipt/tse-block';
import { readLogMessage, untar, verifyPlain, verifyQr } from '../../helpers/tse-verifier';
import { tempDir } from '../../helpers/tmp';

/**
 * QR codes from certified TSEs, with their public keys, as published in
 * github.com/berohndo/tse_signature_verification (README.md and
 * src/test/java/at/ijt/tse_sig_verification/QrCodeVerificationTest.java): a P-256 TSE
 * (ecdsa-plain-SHA256) and a brainpoolP384r1 one (ecdsa-plain-SHA384, its process type spelled
 * "KassenBeleg-V1" as printed).
 */
const CERTIFIED_QR = [
  'V0;ERS 8cb8e2de-4052-481b-945b-118022951944;Kassenbeleg-V1;Beleg^21.42_0.00_0.00_0.00_0.00^21.42:Unbar;1;31;2021-08-23T14:36:27.000Z;2021-08-23T14:36:33.000Z;ecdsa-plain-SHA256;unixTime;TGnWiq3ZW7gi4Vs+DxLGsJZj9v271dHmhQAcb057F3oWkdKJ61UW2LLVTZQhW673yLa53Mm6oPeMU1Ns3ZOH7w==;BGFKQP7EENf3s5hTDXvlh+xyJ1Q9BNIa9LyYbYK+pTAKAGQ2fmI40p5QOrpHpvb+UuOrNQJdhzggHNfyyyDyf/g=',
  'V0;AMA-6200;KassenBeleg-V1;Beleg^2.90_0.00_0.00_0.00_2.10^5.00:Unbar;160504;344413;2021-07-23T10:12:54.000Z;2021-07-23T10:12:55.000Z;ecdsa-plain-SHA384;unixTime;NgqBkWMvhLmCKa9cJJ8JodfAdlkfcFFyW0J7Ks9lTz9I4QFKhLzyGF/02kWsCRg0LoiJtkq+0Ak9GovodNFLOBG00ewEj40/GbI9zLtNt9j90w4Sz3GcxTSrr3rqhIhN;BCd1vZvSJsJwBTqshgDVsrG4Gg+oN3jeeFEgjGiKs9ELd170vy/jO3iMMF6tAVUfjyYn9jRXng8Z4qWXaqoJ53+y+OFeSY/lQsdZWCODkzhlhkJxJw2k9Z1A4gFX6Riotw==',
];

/** One field of a QR code changed. */
function tamper(qr: string, field: number, value: string): string {
  const p = qr.split(';');
  p[field] = value;
  return p.join(';');
}

describe('the independent verifier on QR codes of certified TSEs', () => {
  it('verifies both published samples', () => {
    for (const qr of CERTIFIED_QR) expect(verifyQr(qr)).toBe(true);
  });
  it('refuses them with any signed field changed', () => {
    const [p256] = CERTIFIED_QR as [string];
    expect(verifyQr(tamper(p256, 3, 'Beleg^21.43_0.00_0.00_0.00_0.00^21.43:Unbar'))).toBe(false);
    expect(verifyQr(tamper(p256, 4, '2'))).toBe(false);
    expect(verifyQr(tamper(p256, 5, '32'))).toBe(false);
    expect(verifyQr(tamper(p256, 7, '2021-08-23T14:36:34.000Z'))).toBe(false);
    expect(verifyQr(tamper(p256, 1, 'ERS 8cb8e2de-4052-481b-945b-118022951945'))).toBe(false);
  });
});

describe('the DER the signer writes', () => {
  it('encodes the TR-03151 object identifiers and integers as X.690 says', () => {
    expect(oid('0.4.0.127.0.7.3.7.1.1').toString('hex')).toBe('060904007f0007030701 01'.replace(/ /g, ''));
    expect(oid('0.4.0.127.0.7.1.1.4.1.3').toString('hex')).toBe('060a04007f00070101040103');
    expect(integer(0).toString('hex')).toBe('020100');
    expect(integer(127).toString('hex')).toBe('02017f');
    expect(integer(128).toString('hex')).toBe('02020080');
    expect(integer(65536).toString('hex')).toBe('0203010000');
  });
});

describe('the TSE simulator', () => {
  let dir: { dir: string; cleanup: () => void };
  let clock: ManualClock;
  let tse: TseSimulator;
  const file = () => join(dir.dir, 'tse.sqlite');
  beforeEach(() => {
    dir = tempDir('kassa-tse-');
    clock = new ManualClock('2026-12-07T09:15:00.250Z');
    tse = new TseSimulator(file(), { now: clock.now });
    tse.registerClient('KASSA-DE-1');
  });
  afterEach(() => {
    tse.close();
    dir.cleanup();
  });

  function sell(processData: string) {
    const start = tse.startTransaction('KASSA-DE-1', '', PROCESS_TYPE_RECEIPT);
    clock.advance(2_000);
    const finish = tse.finishTransaction('KASSA-DE-1', start.transactionNumber, processData, PROCESS_TYPE_RECEIPT);
    return { start, finish };
  }

  it('names itself by the SHA-256 of its public key', () => {
    const info = tse.info();
    expect(info.serialNumber).toBe(createHash('sha256').update(Buffer.from(info.publicKey, 'base64')).digest('hex'));
    expect(Buffer.from(info.publicKey, 'base64')).toHaveLength(65);
  });

  it("signs receipts whose QR code the independent verifier accepts, and refuses one with a changed field", () => {
    const { start, finish } = sell('Beleg^12.34_1.07_0.00_0.00_0.00^13.41:Bar');
    expect(finish.transactionNumber).toBe(start.transactionNumber);
    expect(finish.signatureCounter).toBe(start.signatureCounter + 1);
    expect(finish.logTime).toBe('2026-12-07T09:15:02.000Z');
    const qr = tseQrCode(tseTransaction(tse.info(), start, finish));
    expect(qr.startsWith('V0;KASSA-DE-1;Kassenbeleg-V1;Beleg^12.34_1.07_0.00_0.00_0.00^13.41:Bar;1;2;2026-12-07T09:15:00.000Z;2026-12-07T09:15:02.000Z;ecdsa-plain-SHA256;unixTime;')).toBe(true);
    expect(verifyQr(qr)).toBe(true);
    expect(verifyQr(tamper(qr, 3, 'Beleg^12.35_1.07_0.00_0.00_0.00^13.42:Bar'))).toBe(false);
    expect(verifyQr(tamper(qr, 5, '3'))).toBe(false);
    // Another TSE's key does not verify it either.
    expect(verifyQr(tamper(qr, 11, CERTIFIED_QR[0]!.split(';')[11]!))).toBe(false);
  });

  it('keeps its counters across a restart, gap-free, and its key', () => {
    sell('Beleg^1.00_0.00_0.00_0.00_0.00^1.00:Bar');
    const serial = tse.info().serialNumber;
    tse.close();
    tse = new TseSimulator(file(), { now: clock.now });
    expect(tse.info().serialNumber).toBe(serial);
    const { start, finish } = sell('Beleg^2.00_0.00_0.00_0.00_0.00^2.00:Unbar');
    expect([start.transactionNumber, start.signatureCounter, finish.signatureCounter]).toEqual([2, 3, 4]);
  });

  it('exports a TAR whose every log message verifies, counters 1..n without a gap', () => {
    for (let i = 1; i <= 3; i++) sell(`Beleg^${i}.00_0.00_0.00_0.00_0.00^${i}.00:Bar`);
    const t = tse.startTransaction('KASSA-DE-1', '', PROCESS_TYPE_RECEIPT);
    tse.updateTransaction('KASSA-DE-1', t.transactionNumber, 'Beleg^0.50_0.00_0.00_0.00_0.00^0.50:Bar', PROCESS_TYPE_RECEIPT);
    const files = untar(tse.exportTar());
    const key = Buffer.from(tse.info().publicKey, 'base64');
    expect(files[0]!.name).toBe(`${tse.info().serialNumber}_PublicKey.pem`);
    const logs = files.slice(1).map((f) => ({ name: f.name, m: readLogMessage(f.data) }));
    expect(logs.map((l) => l.m.signatureCounter)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const l of logs) {
      expect(verifyPlain('ecdsa-plain-SHA256', key, l.m.signedData, l.m.signature)).toBe(true);
      expect(l.m.serialNumber).toBe(tse.info().serialNumber);
      expect(l.name).toMatch(/^Unixt_\d+_Sig-\d+_Log-Tra_No-\d+_(Start|Update|Finish)_Client-KASSA-DE-1\.log$/);
    }
    expect(logs.map((l) => l.m.operation)).toEqual(['StartTransaction', 'FinishTransaction', 'StartTransaction', 'FinishTransaction', 'StartTransaction', 'FinishTransaction', 'StartTransaction', 'UpdateTransaction']);
    expect(logs[7]!.m.processData).toBe('Beleg^0.50_0.00_0.00_0.00_0.00^0.50:Bar');
    // A byte changed in a log message's signed part breaks its signature.
    const bad = Buffer.from(logs[1]!.m.signedData);
    bad.writeUInt8(bad.readUInt8(bad.length - 1) ^ 1, bad.length - 1);
    expect(verifyPlain('ecdsa-plain-SHA256', key, bad, logs[1]!.m.signature)).toBe(false);
    expect(untar(tse.exportTar({ fromTransaction: 2, toTransaction: 2 })).slice(1).map((f) => readLogMessage(f.data).transactionNumber)).toEqual([2, 2]);
  });

  it('refuses with typed errors and changes nothing', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof TseError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => tse.startTransaction('UNKNOWN', '', PROCESS_TYPE_RECEIPT))).toBe('TSE_CLIENT_NOT_REGISTERED');
    expect(code(() => tse.startTransaction('KASSA;1', '', PROCESS_TYPE_RECEIPT))).toBe('TSE_BAD_INPUT');
    expect(code(() => tse.finishTransaction('KASSA-DE-1', 99, 'x', PROCESS_TYPE_RECEIPT))).toBe('TSE_NO_SUCH_TRANSACTION');
    tse.unplug();
    expect(code(() => tse.startTransaction('KASSA-DE-1', '', PROCESS_TYPE_RECEIPT))).toBe('TSE_UNAVAILABLE');
    tse.plugIn();
    // Pulled out from outside its process: a file next to it.
    writeFileSync(`${file()}.unplugged`, '');
    expect(code(() => tse.startTransaction('KASSA-DE-1', '', PROCESS_TYPE_RECEIPT))).toBe('TSE_UNAVAILABLE');
    expect(code(() => tse.exportTar())).toBe('TSE_UNAVAILABLE');
    rmSync(`${file()}.unplugged`);
    // A finished transaction cannot be finished again.
    const { start } = sell('Beleg^1.00_0.00_0.00_0.00_0.00^1.00:Bar');
    expect(code(() => tse.finishTransaction('KASSA-DE-1', start.transactionNumber, 'x', PROCESS_TYPE_RECEIPT))).toBe('TSE_NO_SUCH_TRANSACTION');
    expect([start.transactionNumber, start.signatureCounter]).toEqual([1, 1]);
  });
});
