/**
 * Parking a basket and taking it up again: the slip printed for a parked basket has a barcode (its
 * slip number) and a QR code; the list of baskets parked here. The QR carries the basket, so it
 * works on any lane of the store. The slip number works on the lane that parked it, and on any
 * other lane that holds that lane's journal (issue 19.4: the store's tills keep copies of each
 * other's journals, core/peers, HQ or not): the basket is read from its `sale.suspended` entry.
 * A basket is taken up once: one taken up anywhere this till can see (its own journal, or a copy
 * of another's) is refused. Two lanes cut off from each other may both take it up (docs/design.md).
 */
import type { Slip, SuspendedList } from '../../protocol/terminal';
import type { LineBuilder } from '../basket/lines';
import { totalsOf } from '../checkout/machines';
import { CoreError } from '../errors';
import { uuidFromHex, uuidv7 } from '../ids';
import { parseBody } from '../journal/kinds';
import { printable, type Lane, type LaneHandlers, type Step, type StoreSales } from '../lane/context';
import { journalStep, needLaneState, startSale, requireCheckout } from '../lane/guards';
import { renderSlip } from '../receipt/text';
import type { TillDay } from '../till/day';
import { suspendRepo, type SuspendPayload, type SuspendRepo } from './repo';

const unreadable = () => new CoreError('SLIP_NOT_FOUND', 'The slip cannot be read; park the basket again.');

export class Suspended {
  private readonly repo: SuspendRepo;

  constructor(
    private readonly lane: Lane,
    private readonly till: TillDay,
    private readonly lines: LineBuilder,
    /** The store's other tills' journals as this till holds them (null: none). */
    private readonly storeSales: StoreSales | null = null,
  ) {
    this.repo = suspendRepo(lane.db);
  }

  handlers(): LaneHandlers {
    const { lane } = this;
    return {
      suspendedList: { ungated: true, run: () => ({ answer: { suspended: this.list() } }) },
      suspendSale: {
        run: () => {
          const co = requireCheckout(lane);
          if (co.context.tenders.length > 0 || !co.hasTag('basket')) {
            throw new CoreError('NOT_ALLOWED_NOW', 'Payment has started; the sale cannot be parked now.');
          }
          const items = co.context.lines
            .filter((l) => !l.voided && l.depositFor === null)
            .map((l) => ({ code: l.code, quantity: l.priceFromCode ? 1 : l.quantity, weightGrams: l.unit === 'weight' && !l.priceFromCode ? l.weightGrams : null }));
          if (items.length === 0) throw new CoreError('EMPTY_SALE', 'There is nothing to park.');
          const suspendId = uuidv7(lane.now().getTime());
          const saleId = co.context.saleId;
          const payload: SuspendPayload = { suspendId, storeId: lane.identity.storeId, laneId: lane.identity.laneId, member: co.context.member, items };
          const totals = totalsOf(co.context);
          const total = totals.total;
          const operator = lane.laneSnap().context.operator;
          // The lines and totals too: a parked basket is a DSFinV-K receipt of its own (AVBelegabbruch, core/fiscal/dsfinvk/receipts.ts).
          const journal = journalStep(lane, 'sale.suspended', saleId, { saleId, suspendId, items, total, member: co.context.member, lines: co.context.lines, totals });
          return {
            steps: [
              { to: 'checkout', event: { type: 'SUSPEND' } },
              {
                to: 'lane',
                event: { type: 'SALE_ENDED', saleId },
                after: (at) => {
                  this.repo.insert(payload, at, operator);
                  journal(at);
                },
              },
            ],
            effects: [() => this.slipFor(payload, total)],
          };
        },
      },
      resumeSale: {
        run: (cmd) => {
          needLaneState(lane, 'signedIn');
          this.till.require();
          const payload = this.readSlip(cmd.slip);
          const steps: Step[] = [];
          const saleId = startSale(lane, steps);
          let index = 1;
          for (const it of payload.items) {
            const res = this.lines.resolve(it.code);
            const lines = this.lines.build(res, { id: 'resume', cmd: 'scan', code: it.code, source: 'keyboard', quantity: it.quantity, ...(it.weightGrams ? { weightGrams: it.weightGrams } : {}) }, index);
            index += lines.length;
            steps.push({ to: 'checkout', event: { type: 'ADD_LINES', lines } });
          }
          if (payload.member) steps.push({ to: 'checkout', event: { type: 'SET_MEMBER', card: payload.member } });
          const journal = journalStep(lane, 'sale.resumed', saleId, { saleId, suspendId: payload.suspendId, fromLane: payload.laneId, items: payload.items.length });
          steps[steps.length - 1]!.after = (at) => {
            this.repo.markResumed(payload.suspendId, at, saleId);
            journal(at);
          };
          return { steps, saleId };
        },
      },
    };
  }

  /** Baskets parked on this lane, not resumed: when, by whom, how many items and the first names. */
  private list(): SuspendedList['suspended'] {
    return this.repo.open().filter((r) => !this.storeSales?.resumedOn(r.suspend_id)).map((r) => {
      const payload = JSON.parse(r.payload) as SuspendPayload;
      const names: string[] = [];
      for (const it of payload.items.slice(0, 3)) {
        try {
          names.push(this.lines.resolve(it.code).item.name);
        } catch {
          names.push(printable(it.code)); // no longer in the catalog: the code
        }
      }
      return { suspendId: r.suspend_id, barcode: `S${r.suspend_id.replace(/-/g, '')}`, createdAt: r.created_at, operator: r.operator, items: payload.items.length, names };
    });
  }

  /** The slip printed for a parked basket: a barcode for this lane, a QR that works on any lane. */
  private slipFor(payload: SuspendPayload, total: number): Slip {
    const barcode = `S${payload.suspendId.replace(/-/g, '')}`;
    const qr = ['KS1', payload.suspendId, payload.storeId, payload.laneId, payload.member ?? '', payload.items.map((i) => [encodeURIComponent(i.code), i.quantity, i.weightGrams ?? ''].join('*')).join(';')].join('|');
    const slipText = renderSlip({ storeName: this.lane.identity.storeName, laneId: payload.laneId, items: payload.items.reduce((n, i) => n + (i.weightGrams ? 1 : i.quantity), 0), total, barcode, qr }, this.lane.profile);
    return { suspendId: payload.suspendId, barcode, qr, slipText };
  }

  /** Reads a slip: its barcode (parked on this lane, or on one whose journal this till holds) or its QR text (parked on any lane of the store). */
  private readSlip(slip: string): SuspendPayload {
    let payload: SuspendPayload;
    if (/^S[0-9a-f]{32}$/.test(slip)) {
      const id = uuidFromHex(slip.slice(1));
      const row = this.repo.byId(id);
      if (row?.resumed_at) throw new CoreError('SLIP_ALREADY_RESUMED', `That basket was already taken up on lane ${this.lane.identity.laneId}.`, { lane: this.lane.identity.laneId });
      payload = row ? (JSON.parse(row.payload) as SuspendPayload) : this.parkedElsewhere(id);
    } else {
      payload = this.readQr(slip);
      if (this.repo.byId(payload.suspendId)?.resumed_at) throw new CoreError('SLIP_ALREADY_RESUMED', `That basket was already taken up on lane ${this.lane.identity.laneId}.`, { lane: this.lane.identity.laneId });
    }
    const takenOn = this.repo.resumedEntry(payload.suspendId) ? this.lane.identity.laneId : this.storeSales?.resumedOn(payload.suspendId);
    if (takenOn) throw new CoreError('SLIP_ALREADY_RESUMED', `That basket was already taken up on lane ${takenOn}.`, { lane: takenOn });
    if (payload.items.length === 0 || payload.items.length > 500) throw unreadable();
    return payload;
  }

  /** A basket by its slip number from its `sale.suspended` entry: in this till's own journal (its row gone with a reflash) or another lane's as held here. */
  private parkedElsewhere(suspendId: string): SuspendPayload {
    const body = this.repo.parkedEntry(suspendId) ?? this.storeSales?.parkedBasket(suspendId) ?? null;
    if (!body) throw new CoreError('SLIP_NOT_FOUND', 'That slip was not parked on this lane; scan its QR code instead.');
    const b = parseBody('sale.suspended', body);
    return { suspendId, storeId: this.lane.identity.storeId, laneId: b.lane, member: b.member ?? null, items: b.items };
  }

  private readQr(slip: string): SuspendPayload {
    const parts = slip.split('|');
    if (parts.length !== 6 || parts[0] !== 'KS1' || !/^[0-9a-f-]{36}$/.test(parts[1]!)) throw new CoreError('SLIP_NOT_FOUND', 'That is not a parked-basket slip.');
    if (parts[2] !== this.lane.identity.storeId) throw new CoreError('SLIP_NOT_FOUND', 'That slip belongs to another store.');
    const items = parts[5]!.split(';').map((x) => {
      const [code, qty, grams] = x.split('*');
      const quantity = Number(qty);
      const weightGrams = grams ? Number(grams) : null;
      if (!code || !Number.isInteger(quantity) || quantity < 1 || quantity > 999 || (weightGrams !== null && !(Number.isInteger(weightGrams) && weightGrams > 0 && weightGrams <= 100_000))) throw unreadable();
      let decoded: string;
      try {
        decoded = decodeURIComponent(code);
      } catch {
        throw unreadable();
      }
      if (decoded.length > 128) throw unreadable();
      return { code: decoded, quantity, weightGrams };
    });
    const member = parts[4] && /^\d{8,20}$/.test(parts[4]) ? parts[4] : null;
    return { suspendId: parts[1]!, storeId: parts[2]!, laneId: parts[3]!, member, items };
  }
}
