/**
 * Completing a paid sale: the sale's journal entry (its receipt carries the entry's sequence and
 * signature), the sale and outbox rows, the receipt, gift cards debited, the print job — all in
 * the command's transaction. Training sales are journalled and printed as such, and count nowhere.
 */
import { storeDate } from '../clock';
import { CoreError } from '../errors';
import { uuidv7 } from '../ids';
import type { Lane, LaneHandlers } from '../lane/context';
import { needControlUnit, requireCheckout } from '../lane/guards';
import { encodeReceipt } from '../../drivers/escpos/receipt';
import { renderReceipt, type SaleRecord } from '../receipt/text';
import { legalLines } from '../markets/receipt';
import { totalsOf, type CheckoutContext } from './machines';
import type { Line } from '../../protocol/terminal';
import { saleRepo } from './sale-repo';

type ReceiptChoice = 'print' | 'digital' | 'none';

/**
 * A sale that began on one business date and completes on the next: its lines take the VAT rates
 * of the completion date (a rate that changed at midnight, core/markets/vat.ts). The amounts stay;
 * only the VAT split follows the day of the sale. A deposit that follows its drink's VAT follows it.
 */
function linesOnSaleDate(lane: Lane, ctx: CheckoutContext, businessDate: string): CheckoutContext {
  if (storeDate(ctx.startedAt, lane.profile.timeZone) === businessDate) return ctx;
  const rates = new Map<string, number>();
  const departments = new Map(lane.catalog.departments().map((d) => [d.id, d.vatRate]));
  const rateOf = (l: Line): number => (l.itemId.startsWith('open:') ? departments.get(l.departmentId) : lane.catalog.getItem(l.itemId)?.vatRate) ?? l.vatRate;
  for (const l of ctx.lines) if (l.depositFor === null || lane.profile.depositVat === 'own') rates.set(l.lineId, rateOf(l));
  const lines = ctx.lines.map((l) => ({ ...l, vatRate: rates.get(l.lineId) ?? (l.depositFor !== null ? rates.get(l.depositFor) : undefined) ?? l.vatRate }));
  return { ...ctx, lines };
}

export function completeHandlers(lane: Lane, digitalReceiptLink: (receiptText: string) => string | null): LaneHandlers {
  const sales = saleRepo(lane.db);

  /** Writes the completed sale, its journal entry and its outbox row (inside the command's transaction). */
  function recordSale(started: CheckoutContext, at: string, receipt: ReceiptChoice): void {
    const ctx = linesOnSaleDate(lane, started, storeDate(at, lane.profile.timeZone));
    // Training sales never count: no sale sequence, no sale row, no outbox row; only the journal
    // (as a training receipt) and the receipt itself, marked TRAINING.
    const sequence = ctx.training ? null : sales.nextSequence();
    const completed = new Date(at);
    const sale: SaleRecord = {
      saleId: ctx.saleId,
      sequence,
      training: ctx.training,
      storeId: lane.identity.storeId,
      storeName: lane.identity.storeName,
      laneId: lane.identity.laneId,
      operator: lane.laneSnap().context.operator,
      startedAt: ctx.startedAt,
      completedAt: at,
      businessDate: storeDate(completed, lane.profile.timeZone),
      currency: lane.profile.currency,
      lines: ctx.lines,
      // Gift cards are debited when (and only when) the sale completes, each with its balance left; training never debits.
      tenders: ctx.training ? ctx.tenders : lane.giftCards.redeem(ctx.tenders, ctx.saleId, at),
      totals: totalsOf(ctx),
    };
    // Germany: the TSE signs the sale now (start and finish at completion; docs/design.md "Germany: TSE"), its answer kept with the sale.
    if (lane.tse) sale.tse = lane.tse.signSale(sale.saleId, { kind: ctx.training ? 'AVTraining' : 'Beleg', vat: sale.totals.vat, tenders: sale.tenders, change: sale.totals.change, currency: sale.currency }, at);
    // Sweden: the control unit registers the receipt and answers its control code; no code, no receipt and no sale (docs/design.md "Sweden").
    if (lane.controlUnit) sale.se = lane.controlUnit.stamp(ctx.training ? 'ovning' : 'normal', sequence ?? lane.controlUnit.nextTrainingNumber(), at, sale.totals.due, sale.totals.vat);
    // The journal entry first: the receipt carries its sequence number and signature.
    const entry = lane.journal.append(sequence !== null ? 'sale.completed' : 'sale.training', sale.saleId, sale, at);
    const receiptText = renderReceipt(sale, lane.profile, { journalSeq: entry.seq, hash: entry.hash, signature: entry.signature, outage: lane.journal.signerState() === 'outage' }, legalLines(lane.profile, lane.identity.legal ?? null));
    if (sequence !== null) {
      // The receipt's text is kept once, in `receipt` (sale.receipt_text is left empty); the body once, in the journal entry.
      sales.insert({ saleId: sale.saleId, sequence, completedAt: at, businessDate: sale.businessDate, operator: sale.operator, total: sale.totals.due, rounding: sale.totals.rounding, journalSeq: entry.seq, originalSaleId: null }, 'sale');
    }
    sales.insertReceipt(uuidv7(completed.getTime()), sale.saleId, ctx.training ? 'training' : 'sale', at, receiptText);
    // The receipt job commits with the sale; a dead printer never stops the sale. A customer who
    // chose a digital receipt or none gets no paper (the receipt is kept; a copy can be printed).
    if (receipt === 'print') lane.printQueue?.enqueue(`receipt:${sale.saleId}`, 'receipt', encodeReceipt(receiptText, { logo: lane.logo }), at, sale.saleId);
    // Only tenders that put cash in the drawer open it (card and voucher do not). Training moves no real money: the drawer stays shut.
    if (ctx.tenders.some((t) => t.kind === 'cash') && !ctx.training) lane.openDrawerAfterCommit('sale');
    lane.lastSale = { saleId: sale.saleId, sequence, training: ctx.training, total: sale.totals.due, change: sale.totals.change, receiptText, completedAt: at, receipt, receiptLink: receipt === 'digital' ? digitalReceiptLink(receiptText) : null };
  }

  return {
    complete: {
      run(cmd) {
        const co = requireCheckout(lane);
        if (co.value !== 'paid') throw new CoreError('INSUFFICIENT_TENDER', 'The sale is not fully paid yet.', { remaining: totalsOf(co.context).remaining });
        // Sweden: no receipt without the control unit; the paid sale waits (kept) until it answers.
        needControlUnit(lane);
        // Germany: the answer to this sale's start, if the TSE has given it, recorded before the sale's transaction (core/fiscal/tse/starts.ts).
        lane.tse?.starts.settle();
        const saleId = co.context.saleId;
        const receipt = cmd.receipt ?? 'print';
        return {
          steps: [
            { to: 'checkout', event: { type: 'COMPLETE' } },
            { to: 'lane', event: { type: 'SALE_ENDED', saleId }, after: (at) => recordSale(co.context, at, receipt) },
          ],
        };
      },
    },
  };
}
