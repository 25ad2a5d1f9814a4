/**
 * The slip a German till prints for a cash movement (core/fiscal/tse/transfer.ts): what moved, how
 * much, why, who, and the TSE's fields and QR code (or "TSE ausgefallen") — the receipt of an
 * signed Beleg, kept with the cash it went with. German only: only a German till signs them.
 */
import type { Profile } from '../../protocol/terminal';
import { TRANSFER, drawerAmount, type TransferKind } from '../fiscal/tse/transfer';
import { RECEIPT_WIDTH, center, receiptMoney, row } from './text';
import { tseBlock, type TseMark } from './tse-block';

export interface TransferSlip {
  kind: TransferKind;
  /** As recorded (positive), or the difference with its sign. */
  amount: number;
  reason: string | null;
  storeName: string;
  laneId: string;
  operator: string | null;
  approvedBy: string | null;
  at: string;
  tse: TseMark;
}

export function renderTransferSlip(s: TransferSlip, profile: Profile): string {
  const rule = '-'.repeat(RECEIPT_WIDTH);
  const when = new Intl.DateTimeFormat(profile.locale, { dateStyle: 'short', timeStyle: 'short', timeZone: profile.timeZone }).format(new Date(s.at));
  const out = [center(s.storeName), center(`Kasse ${s.laneId}`), center(`*** ${TRANSFER[s.kind].title} ***`), center(when), rule];
  const label = s.kind === 'difference' ? 'Ist - Soll (bar)' : TRANSFER[s.kind].out ? 'Aus der Kasse (bar)' : 'In die Kasse (bar)';
  // In or out says the label; the difference keeps its sign (short is negative).
  out.push(row(label, `${receiptMoney(s.kind === 'difference' ? s.amount : Math.abs(drawerAmount(s.kind, s.amount)), profile)} ${profile.currency}`));
  if (s.reason) out.push(row('Grund', s.reason.slice(0, 30)));
  if (s.operator) out.push(row('Kassierer', s.operator));
  if (s.approvedBy) out.push(row('Genehmigt', s.approvedBy));
  out.push(rule, ...tseBlock(s.tse, RECEIPT_WIDTH));
  return out.join('\n') + '\n';
}
