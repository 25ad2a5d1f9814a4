/**
 * The TSE's part of a German receipt (KassenSichV §6, AEAO zu §146a): the DSFinV-K QR code and the
 * fields it carries, printed; or, when the TSE had failed, "TSE ausgefallen".
 */
import type { TseTransaction } from '../fiscal/tse/port';

/** What the receipt knows of the TSE: the signed transaction, or the outage it was sold in. */
export type TseMark = { kind: 'signed'; tx: TseTransaction } | { kind: 'outage'; since: string; reason: string };

/** DSFinV-K Anhang I: the QR code's text, 12 fields joined by ';'. */
export function tseQrCode(tx: TseTransaction): string {
  return ['V0', tx.clientId, tx.processType, tx.processData, tx.transactionNumber, tx.signatureCounter, tx.startTime, tx.endTime, tx.signatureAlgorithm, tx.logTimeFormat, tx.signature, tx.publicKey].join(';');
}

/** A long value cut into lines of the receipt's width, the first after its label. */
function wrapped(label: string, value: string, width: number): string[] {
  const out: string[] = [];
  let rest = `${label}: ${value}`;
  while (rest.length > width) {
    out.push(rest.slice(0, width));
    rest = rest.slice(width);
  }
  out.push(rest);
  return out;
}

/** The receipt lines: the printed TSE fields, then the QR code (`[QR]` as the printer driver reads it). */
export function tseBlock(mark: TseMark, width: number): string[] {
  if (mark.kind === 'outage') return ['*** TSE ausgefallen ***', `seit ${mark.since}`];
  const tx = mark.tx;
  return [
    ...wrapped('Kassen-Seriennr.', tx.clientId, width),
    ...wrapped('TSE-Seriennummer', tx.serialNumber, width),
    `TSE-Transaktionsnr.: ${tx.transactionNumber}`,
    `TSE-Signaturzähler: ${tx.signatureCounter}`,
    `TSE-Start: ${tx.startTime}`,
    `TSE-Ende: ${tx.endTime}`,
    ...wrapped('TSE-Signatur', tx.signature, width),
    `[QR] ${tseQrCode(tx)}`,
  ];
}
