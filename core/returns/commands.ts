/**
 * Returns at the lane: find a sale by its receipt, take lines back (refunded the way they were
 * paid, card parts through the terminal after the commit), a return without a receipt (a
 * supervisor's), and a copy of a receipt.
 */
import type { Command, ReturnResult, SaleLookup } from '../../protocol/terminal';
import { saleRepo, type SaleRepo } from '../checkout/sale-repo';
import { storeDate } from '../clock';
import { CoreError } from '../errors';
import { routeGiftCardRefund } from '../giftcards';
import { uuidFromHex, uuidv7 } from '../ids';
import type { Lane, LaneHandlers, Plan, StoreSales } from '../lane/context';
import { needControlUnit, needLaneState } from '../lane/guards';
import type { Approvals } from '../operators/approvals';
import type { CardFlow } from '../payments/card-flow';
import { encodeReceipt } from '../../drivers/escpos/receipt';
import { RECEIPT_WIDTH, renderReceipt, renderReturnReceipt, type SaleRecord } from '../receipt/text';
import { seCopy } from '../receipt/se-block';
import { legalLines } from '../markets/receipt';
import type { LineBuilder } from '../basket/lines';
import type { TillDay } from '../till/day';
import { refundKey, returnable, returnLines, returnVat, splitRefund, type OriginalSale, type RefundPart, type ReturnedLine } from './index';
import { returnRepo, type ReturnRepo } from './repo';

interface ReturnDraft {
  returnId: string;
  original: (OriginalSale & SaleRecord) | null;
  originalSequence: number | null;
  lines: ReturnedLine[];
  amount: number;
  split: { parts: RefundPart[]; rounding: number };
  reason: string;
  approvedBy: string | null;
  at: string;
}

export class Returns {
  private readonly sales: SaleRepo;
  private readonly repo: ReturnRepo;

  constructor(
    private readonly lane: Lane,
    private readonly d: { approvals: Approvals; till: TillDay; lines: LineBuilder; card: CardFlow; storeSales: StoreSales | null },
  ) {
    this.sales = saleRepo(lane.db);
    this.repo = returnRepo(lane.db);
  }

  handlers(): LaneHandlers {
    const { lane } = this;
    return {
      findSale: { run: (cmd) => ({ answer: this.findSale(cmd.receiptCode) }) },
      returnLines: { run: (cmd) => this.plan(cmd) },
      returnWithoutReceipt: { run: (cmd) => this.plan(cmd) },
      reprintReceipt: {
        run: (cmd) => {
          needLaneState(lane, 'signedIn');
          const saleId = cmd.saleId ?? lane.lastSale?.saleId;
          const original = saleId ? (this.sales.receiptText(saleId) ?? this.storeReceipt(saleId)) : null;
          if (!saleId || original === null) throw new CoreError('RECEIPT_NOT_FOUND', 'There is no receipt to copy.');
          // Sweden: one copy per receipt at most (SKVFS 2014:9 6 kap. 3 §), registered with the control unit as a copy.
          const cu = lane.controlUnit;
          if (cu && this.sales.copies(saleId) > 0) throw new CoreError('COPY_ALREADY_MADE', 'This receipt has had its copy; a receipt may be copied only once.');
          const body = cu ? this.saleBody(saleId) : null;
          if (cu && !body) throw new CoreError('RECEIPT_NOT_FOUND', 'Only a sale receipt can be copied on this till.');
          needControlUnit(lane);
          const mark = '*** KOPIA / COPY ***';
          const operator = lane.laneSnap().context.operator;
          return {
            steps: [],
            effects: [
              (at) => {
                const se = cu && body ? cu.stamp('kopia', body.se?.receiptNumber ?? body.sequence ?? 0, at, body.totals.due, body.totals.vat) : undefined;
                const copyText = se ? seCopy(original, se, RECEIPT_WIDTH) : `${mark}\n${original}${mark}\n`;
                lane.journal.append('receipt.copy', saleId, { saleId, operator, ...(body ? { amount: body.totals.due } : {}), ...(se ? { se } : {}) }, at);
                this.sales.insertReceipt(uuidv7(lane.now().getTime()), saleId, 'copy', at, copyText);
                // The copy answers a receipt of this sale that may not have printed (it is settled).
                lane.printQueue?.settle(saleId);
                lane.printQueue?.enqueue(`copy:${uuidv7(lane.now().getTime())}`, 'copy', encodeReceipt(copyText, { logo: lane.logo }), at, saleId);
                return { saleId, copyText };
              },
            ],
          };
        },
      },
    };
  }

  private plan(cmd: Extract<Command, { cmd: 'returnLines' | 'returnWithoutReceipt' }>): Plan {
    const { lane, d } = this;
    needLaneState(lane, 'signedIn');
    d.till.require();
    needControlUnit(lane);
    let original: (OriginalSale & SaleRecord) | null = null;
    let originalSequence: number | null = null;
    let lines: ReturnedLine[];
    let approvedBy: string | null = null;
    if (cmd.cmd === 'returnLines') {
      const found = this.loadSale(cmd.receiptCode);
      original = found.sale;
      originalSequence = found.sequence;
      lines = returnLines(original, this.returnedSoFar(original.saleId), cmd.lines);
    } else {
      approvedBy = d.approvals.approve('returnWithoutReceipt', cmd.approval).id;
      lines = cmd.items.map((it, i) => {
        const { item, priceMinor } = d.lines.resolve(it.code);
        const unit = priceMinor ?? item.price;
        return { lineId: `N${i + 1}`, itemId: item.id, name: item.name, quantity: it.quantity, amount: unit * it.quantity, vatRate: item.vatRate, depositFor: null };
      });
    }
    const amount = lines.reduce((a, l) => a + l.amount, 0);
    const orig = original;
    const split = orig
      ? splitRefund(amount, cmd.cmd === 'returnLines' && cmd.refundTo === 'cash' ? [] : orig.tenders, orig.totals.change, this.refundedSoFar(orig.saleId), lane.profile, d.card.port !== null)
      : splitRefund(amount, [], 0, new Map(), lane.profile, false);
    if (orig && cmd.cmd === 'returnLines') split.parts = routeGiftCardRefund(split.parts, cmd.refundTo, orig.tenders);
    const returnId = uuidv7(lane.now().getTime());
    return {
      steps: [],
      effects: [(at) => this.record({ returnId, original: orig, originalSequence, lines, amount, split, reason: cmd.reason, approvedBy, at })],
      afterCommit: () => d.card.refund(returnId, split.parts),
    };
  }

  /** A sale by its receipt: this lane's own, else another till's of the store as this till holds it. */
  private loadSale(receiptCode: string): { sale: OriginalSale & SaleRecord; sequence: number } {
    const saleId = uuidFromHex(receiptCode.slice(1));
    const row = this.sales.byId(saleId) ?? this.d.storeSales?.saleById(saleId) ?? null;
    const body = row ? (JSON.parse(row.body) as SaleRecord & { type?: string }) : null;
    if (!row || !body || body.type === 'return') throw new CoreError('RECEIPT_NOT_FOUND', 'No sale with that receipt in this store.', { receiptCode });
    return { sale: body, sequence: row.sequence };
  }

  /** The sale's journal entry body (this till's, or another's it holds), or null. */
  private saleBody(saleId: string): SaleRecord | null {
    const body = this.sales.byId(saleId)?.body ?? this.d.storeSales?.receiptOf(saleId)?.body;
    return body ? (JSON.parse(body) as SaleRecord) : null;
  }

  /** Another till's receipt, made again from its sale and journal entry as this till holds them (the same text it printed). */
  private storeReceipt(saleId: string): string | null {
    const r = this.d.storeSales?.receiptOf(saleId);
    return r ? renderReceipt(JSON.parse(r.body) as SaleRecord, this.lane.profile, { journalSeq: r.journalSeq, hash: r.hash, signature: r.signature, outage: r.signature === null }, legalLines(this.lane.profile, this.lane.identity.legal ?? null)) : null;
  }

  /** What was returned of a sale so far, here and at the store's other tills. */
  private returnedSoFar(saleId: string): Map<string, number> {
    const m = this.repo.returnedSoFar(saleId);
    for (const body of this.d.storeSales?.returnsOf(saleId) ?? []) {
      for (const l of (JSON.parse(body) as { lines: Array<{ lineId: string; quantity: number }> }).lines) m.set(l.lineId, (m.get(l.lineId) ?? 0) + l.quantity);
    }
    return m;
  }

  private refundedSoFar(saleId: string): Map<string, number> {
    const m = new Map<string, number>();
    for (const body of [...this.repo.earlierRefundBodies(saleId), ...(this.d.storeSales?.returnsOf(saleId) ?? [])]) {
      for (const p of (JSON.parse(body) as { refunds: RefundPart[] }).refunds) {
        const key = refundKey(p);
        if (key) m.set(key, (m.get(key) ?? 0) + p.amount);
      }
    }
    return m;
  }

  private findSale(receiptCode: string): SaleLookup {
    const state = this.lane.laneSnap().value;
    if (state === 'closed' || state === 'signedOut') throw new CoreError('NOT_SIGNED_IN', 'Sign in first.');
    const { sale, sequence } = this.loadSale(receiptCode);
    const left = returnable(sale, this.returnedSoFar(sale.saleId));
    return {
      saleId: sale.saleId,
      sequence,
      completedAt: sale.completedAt,
      total: sale.totals.due,
      lines: sale.lines
        .filter((l) => !l.voided)
        .map((l) => ({ lineId: l.lineId, name: l.name, quantity: l.quantity, total: l.total, returned: l.quantity - (left.get(l.lineId) ?? 0), returnable: left.get(l.lineId) ?? 0, isDeposit: l.depositFor !== null })),
      tenders: sale.tenders.map((t) => ({ kind: t.kind, amount: t.amount })),
      giftCards: this.lane.giftCards.ofSale(sale.tenders),
    };
  }

  /** Writes the return (inside the command's transaction): journal entry, sale and outbox rows, receipt, print job. */
  private record(r: ReturnDraft): ReturnResult {
    const { lane } = this;
    const sequence = this.sales.nextSequence();
    const operator = lane.laneSnap().context.operator;
    const businessDate = storeDate(r.at, lane.profile.timeZone);
    const vat = returnVat(r.lines);
    // The gift-card part onto the card chosen (or a new one), journalled with its balance after.
    const refunds = lane.giftCards.creditRefund(r.split.parts, { returnId: r.returnId, originalSaleId: r.original?.saleId ?? null }, r.at);
    // Germany: a return is a receipt too, signed by the TSE with the amounts negative (DSFinV-K).
    const tse = lane.tse?.signSale(r.returnId, { kind: 'Beleg', vat: vat.map((v) => ({ ...v, gross: -v.gross })), tenders: r.split.parts.map((p) => ({ kind: p.kind, amount: -p.amount })), change: 0, currency: lane.profile.currency }, r.at);
    // Sweden: a return receipt is registered with the control unit too (type retur, amounts negative); no code, no return.
    const se = lane.controlUnit?.stamp('retur', sequence, r.at, -(r.amount + r.split.rounding), vat.map((v) => ({ ...v, vat: -v.vat })));
    const doc = {
      type: 'return' as const,
      saleId: r.returnId,
      sequence,
      originalSaleId: r.original?.saleId ?? null,
      storeId: lane.identity.storeId,
      laneId: lane.identity.laneId,
      operator,
      approvedBy: r.approvedBy,
      completedAt: r.at,
      businessDate,
      currency: lane.profile.currency,
      reason: r.reason,
      lines: r.lines,
      refunds,
      refund: r.amount,
      rounding: r.split.rounding,
      vat,
      ...(tse ? { tse } : {}),
      ...(se ? { se } : {}),
    };
    if (r.original) for (const l of r.lines) this.repo.insertLine(r.returnId, r.original.saleId, l.lineId, l.quantity, l.amount);
    const entry = lane.journal.append('sale.return', r.returnId, doc, r.at);
    const receiptText =
      renderReturnReceipt(
        { returnId: r.returnId, sequence, originalSequence: r.originalSequence, storeName: lane.identity.storeName, laneId: lane.identity.laneId, operator, completedAt: r.at, businessDate, currency: lane.profile.currency, lines: r.lines, refunds, rounding: r.split.rounding, vat, reason: r.reason, ...(tse ? { tse } : {}), ...(se ? { se } : {}) },
        lane.profile,
      ) + `Journal ${entry.seq}\n`;
    const total = -(r.amount + r.split.rounding);
    this.sales.insert({ saleId: r.returnId, sequence, completedAt: r.at, businessDate, operator, total, rounding: -r.split.rounding, journalSeq: entry.seq, originalSaleId: doc.originalSaleId }, 'return');
    this.sales.insertReceipt(uuidv7(new Date(r.at).getTime()), r.returnId, 'sale', r.at, receiptText);
    lane.printQueue?.enqueue(`return:${r.returnId}`, 'return', encodeReceipt(receiptText, { logo: lane.logo }), r.at, r.returnId);
    if (r.split.parts.some((p) => p.kind === 'cash')) lane.openDrawerAfterCommit('return');
    return { returnId: r.returnId, sequence, refund: r.amount + r.split.rounding, refunds: r.split.parts.map((p) => ({ kind: p.kind, amount: p.amount })), receiptText };
  }
}
