/**
 * Cash that moves in or out of a German till without a sale:
 * the float counted in (Anfangsbestand), cash paid in (Einzahlung) or out (Auszahlung), cash taken
 * to the safe or the bank (Geldtransit), the owner's withdrawal (Privatentnahme) or deposit
 * (Privateinlage), and the counted difference at the Z (DifferenzSollIst). Each is a TSE
 * transaction of its own (processType Kassenbeleg-V1, Vorgangstyp Beleg; AEAO zu §146a Nr.
 * 1.10/1.11: every cash movement is a recorded business process), its amount not taxable
 * (DSFinV-K's key 5, the 0 % slot of the process data) and paid `Bar`: positive into the drawer,
 * negative out of it. It is signed as a sale is (TillTse.signSale: stored in tse_signature under
 * the movement's id; an outage sells on, marked and journalled), printed with its TSE fields
 * (core/receipt/transfer.ts), and exported as a `Beleg` receipt (core/fiscal/dsfinvk/receipts.ts).
 * Not `AVTransfer`: DSFinV-K 2.4 (Anhang F, example V_2_3_06) books a cash movement as a Beleg with
 * one position of its business case and a Bar payment — it changes the cash the closing counts —
 * and an AVTransfer (a receipt handed over between tills or tables) is, as every AV… type, not
 * processed in the closing; BON_TYP and the signed Vorgangstyp agree.
 */
import type { TseMark } from '../../receipt/tse-block';
import type { TillTse } from './till';

/** What moved, as the till day records it. */
export type TransferKind = 'float' | 'paidIn' | 'paidOut' | 'pickup' | 'privateWithdrawal' | 'privateDeposit' | 'difference';

/** DSFinV-K's business case (GV_TYP) of each, and whether its money leaves the drawer. */
export const TRANSFER: Record<TransferKind, { gv: string; out: boolean; title: string }> = {
  float: { gv: 'Anfangsbestand', out: false, title: 'ANFANGSBESTAND' },
  paidIn: { gv: 'Einzahlung', out: false, title: 'EINZAHLUNG' },
  paidOut: { gv: 'Auszahlung', out: true, title: 'AUSZAHLUNG' },
  pickup: { gv: 'Geldtransit', out: true, title: 'GELDTRANSIT' },
  privateWithdrawal: { gv: 'Privatentnahme', out: true, title: 'PRIVATENTNAHME' },
  privateDeposit: { gv: 'Privateinlage', out: false, title: 'PRIVATEINLAGE' },
  // Its amount carries its own sign: counted less expected (a shortfall is negative).
  difference: { gv: 'DifferenzSollIst', out: false, title: 'KASSENDIFFERENZ' },
};

/** The amount as it changes the drawer: negative for money taken out. */
export function drawerAmount(kind: TransferKind, amount: number): number {
  return TRANSFER[kind].out ? -amount : amount;
}

/** Signs a cash movement with the TSE (never throws for the TSE's sake: an outage is its mark); call inside the movement's transaction. */
export function signTransfer(tse: TillTse, id: string, kind: TransferKind, amount: number, currency: string, at: string): TseMark {
  const cash = drawerAmount(kind, amount);
  return tse.signSale(id, { kind: 'Beleg', vat: [{ rate: 0, gross: cash, net: cash, vat: 0 }], tenders: [{ kind: 'cash', amount: cash }], change: 0, currency }, at);
}
