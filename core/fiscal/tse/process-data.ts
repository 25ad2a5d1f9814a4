/**
 * DSFinV-K's process data of a receipt (Anhang I, "processData" of Kassenbeleg-V1):
 * `<Vorgangstyp>^<gross per VAT rate>^<payments>`, e.g. `Beleg^75.33_7.99_0.00_0.00_0.00^10.00:Bar_73.32:Unbar`.
 * The five gross amounts are, in order: the general rate (19 %), the reduced rate (7 %), the
 * average rates of §24(1) no. 3 (10.7 %) and no. 1 (5.5 %), and 0 %. Payments are Bar (cash, net of
 * change) and Unbar (card), a currency code after a foreign amount. A gift card is a multi-purpose
 * voucher (Mehrzweckgutschein): not a payment but a business case of its own, not taxable — its
 * redemption a negative amount in the last (0 %, not taxable) slot, a card credited in a return a
 * positive one — so the gross amounts add up to the money paid, as the DSFinV-K export's positions
 * (MehrzweckgutscheinEinloesung / -Kauf, core/fiscal/dsfinvk/receipts.ts) do.
 * Amounts are written with a point and two decimals, from integer minor units.
 */
import type { Tender, VatRow } from '../../../protocol/terminal';

/** The VAT rates DSFinV-K has a place for, in hundredths of a percent, in its order. */
const SLOTS = [1900, 700, 1070, 550, 0] as const;

export class VatRateNotInDsfinvkError extends Error {
  readonly code = 'TSE_VAT_RATE_UNKNOWN';
  constructor(readonly rate: number) {
    super(`VAT rate ${rate / 100} % has no place in DSFinV-K's process data (19, 7, 10.7, 5.5, 0 %)`);
    this.name = 'VatRateNotInDsfinvkError';
  }
}

/** Minor units as DSFinV-K writes an amount: "12.34", "-0.50". */
export function dsfinvkAmount(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`an amount is whole minor units: ${minor}`);
  const abs = Math.abs(minor);
  return `${minor < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface ReceiptForTse {
  /** DSFinV-K's Vorgangstyp: a sale is 'Beleg', a training sale 'AVTraining', a cash movement 'AVTransfer' (core/fiscal/tse/transfer.ts). */
  kind: 'Beleg' | 'AVTraining' | 'AVBelegabbruch' | 'AVTransfer';
  vat: readonly VatRow[];
  tenders: readonly Pick<Tender, 'kind' | 'amount'>[];
  change: number;
  currency: string;
}

export function receiptProcessData(r: ReceiptForTse): string {
  const gross = SLOTS.map(() => 0);
  for (const v of r.vat) {
    const slot = SLOTS.indexOf(v.rate as (typeof SLOTS)[number]);
    if (slot < 0) throw new VatRateNotInDsfinvkError(v.rate);
    gross[slot]! += v.gross;
  }
  let cash = -r.change;
  let unbar = 0;
  for (const t of r.tenders) {
    if (t.kind === 'cash') cash += t.amount;
    else if (t.kind === 'voucher') gross[SLOTS.length - 1]! -= t.amount;
    else unbar += t.amount;
  }
  const foreign = r.currency === 'EUR' ? '' : `:${r.currency}`;
  const payments: string[] = [];
  if (cash !== 0) payments.push(`${dsfinvkAmount(cash)}:Bar${foreign}`);
  if (unbar !== 0) payments.push(`${dsfinvkAmount(unbar)}:Unbar${foreign}`);
  return `${r.kind}^${gross.map(dsfinvkAmount).join('_')}^${payments.join('_')}`;
}
