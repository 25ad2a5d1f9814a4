/**
 * DSFinV-K's process data of a receipt (Anhang I, "processData" of Kassenbeleg-V1):
 * `<Vorgangstyp>^<gross per VAT rate>^<payments>`, e.g. `Beleg^75.33_7.99_0.00_0.00_0.00^10.00:Bar_73.32:Unbar`.
 * The five gross amounts are, in order: the general rate (19 %), the reduced rate (7 %), the
 * average rates of §24(1) no. 3 (7.8 % since 2025; its earlier rates too) and no. 1 (5.5 %), and 0 %. Payments are Bar (cash, net of
 * change) and Unbar (card), a currency code after a foreign amount. A gift card is a multi-purpose
 * voucher (Mehrzweckgutschein): not a payment but a business case of its own, not taxable — its
 * redemption a negative amount in the last (0 %, not taxable) slot, a card credited in a return a
 * positive one — so the gross amounts add up to the money paid, as the DSFinV-K export's positions
 * (MehrzweckgutscheinEinloesung / -Kauf, core/fiscal/dsfinvk/receipts.ts) do.
 * Amounts are written with a point and two decimals, from integer minor units.
 */
import type { Tender, VatRow } from '../../../protocol/terminal';

/**
 * The VAT rates DSFinV-K has a place for, in hundredths of a percent, in its order: a historic
 * rate goes where its base key does (Anlage 2; core/fiscal/dsfinvk/receipts.ts VAT_KEYS), so every
 * average rate of § 24 Abs. 1 Nr. 3 (7.8 % now; 10.7, 9.5, 9.0, 8.4 % before) is the third.
 */
const SLOTS: ReadonlyArray<readonly number[]> = [[1900], [700], [780, 1070, 950, 900, 840], [550], [0]];
const RATES = '19, 7, 7.8 (10.7, 9.5, 9, 8.4), 5.5, 0 %';

export class VatRateNotInDsfinvkError extends Error {
  readonly code = 'TSE_VAT_RATE_UNKNOWN';
  constructor(readonly rate: number) {
    super(`VAT rate ${rate / 100} % has no place in DSFinV-K's process data (${RATES})`);
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
  /** DSFinV-K's Vorgangstyp: a sale and a cash movement are 'Beleg' (core/fiscal/tse/transfer.ts), a training sale 'AVTraining'. */
  kind: 'Beleg' | 'AVTraining' | 'AVBelegabbruch';
  vat: readonly VatRow[];
  tenders: readonly Pick<Tender, 'kind' | 'amount'>[];
  change: number;
  currency: string;
}

export function receiptProcessData(r: ReceiptForTse): string {
  const gross = SLOTS.map(() => 0);
  for (const v of r.vat) {
    const slot = SLOTS.findIndex((rates) => rates.includes(v.rate));
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
