/**
 * The store's day while HQ is gone (issue 19, "X for the whole store"): a business date's figures
 * for every lane of the store, from this till's own sales (`sale`, bodies in the journal) and the
 * verified copies it holds of the other tills' sales (core/peers/copies.ts, `peer_sale`). A lane the
 * roster names with nothing of the day held shows as such, with when this till last heard from it.
 *
 * Totals are the rows' own (`total`: a sale's amount due, a return's refund as a negative amount:
 * what the uploader sends HQ); the tender split is read from the bodies as the X report reads them
 * (core/till/report.ts): a sale's tenders net of change, a return's refund parts taken back.
 */
import type { StoreFigures, StoreReport } from '../../protocol/terminal';
import { storeDate } from '../clock';
import type { Db } from '../db';
import { copiesDb } from '../db/copies-file';
import { SALE_BODY } from '../db/sale-body';
import type { ReturnDocument } from '../journal/kinds';
import type { Lane, LaneHandlers } from '../lane/context';
import { needLaneState } from '../lane/guards';
import type { SaleRecord } from '../receipt/text';
import { HqLinkRepo } from '../sync/repo';
import { tendersKept } from '../till/report';
import { RosterRepo } from './roster';
import { Conflicts } from './conflicts';
import { PeerCopies } from './copies';
import { renderStoreReport } from './store-report-text';
import { encodeReceipt } from '../../drivers/escpos/receipt';

/** A sale or return of the day as held: its total (negative for a return) and its document. */
interface DayRow {
  kind: string;
  total: number;
  created_at: string;
  body: string;
}

type Lanes = StoreReport['lanes'];

/** Figures of a lane's rows of the day (sales and returns told apart by `kind`). */
export function figuresOf(rows: readonly DayRow[]): StoreFigures {
  const f: StoreFigures = { sales: { count: 0, total: 0 }, returns: { count: 0, amount: 0 }, net: 0, tenders: [] };
  const tenders = new Map<string, number>();
  const add = (kind: string, amount: number) => tenders.set(kind, (tenders.get(kind) ?? 0) + amount);
  for (const r of rows) {
    if (r.kind === 'return') {
      f.returns.count++;
      f.returns.amount -= r.total;
      for (const p of (JSON.parse(r.body) as Pick<ReturnDocument, 'refunds'>).refunds) add(p.kind, -p.amount);
    } else {
      f.sales.count++;
      f.sales.total += r.total;
      for (const t of tendersKept(JSON.parse(r.body) as SaleRecord)) add(t.kind, t.amount);
    }
  }
  f.net = f.sales.total - f.returns.amount;
  f.tenders = tendersOf(tenders);
  return f;
}

/** The lanes' figures added up. */
export function totalOf(all: ReadonlyArray<StoreFigures | null>): StoreFigures {
  const t: StoreFigures = { sales: { count: 0, total: 0 }, returns: { count: 0, amount: 0 }, net: 0, tenders: [] };
  const tenders = new Map<string, number>();
  for (const f of all) {
    if (!f) continue;
    t.sales.count += f.sales.count;
    t.sales.total += f.sales.total;
    t.returns.count += f.returns.count;
    t.returns.amount += f.returns.amount;
    t.net += f.net;
    for (const x of f.tenders) tenders.set(x.kind, (tenders.get(x.kind) ?? 0) + x.amount);
  }
  t.tenders = tendersOf(tenders);
  return t;
}

const tendersOf = (m: Map<string, number>) => [...m.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([kind, amount]) => ({ kind, amount }));
const latest = (rows: readonly DayRow[]) => rows.reduce<string | null>((m, r) => (m === null || r.created_at > m ? r.created_at : m), null);

export class StoreDay {
  private readonly s;
  private readonly roster: RosterRepo;
  private readonly link: HqLinkRepo;

  private readonly conflicts: Conflicts;

  constructor(db: Db) {
    this.conflicts = new Conflicts(db, new PeerCopies(db));
    const copies = copiesDb(db); // the copies' own file (core/db/copies-file.ts)
    this.roster = new RosterRepo(db);
    this.link = new HqLinkRepo(db);
    this.s = {
      // A return's document says so (`type`); a sale's record has none.
      own: db.prepare<[string], DayRow>(
        `SELECT CASE WHEN json_extract(${SALE_BODY}, '$.type') = 'return' THEN 'return' ELSE 'sale' END AS kind, s.total, s.completed_at AS created_at, ${SALE_BODY} AS body
         FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq WHERE s.business_date = ? ORDER BY s.sequence`,
      ),
      peers: copies.prepare<[string], DayRow & { terminal_id: string; lane_id: string | null }>(
        "SELECT terminal_id, kind, total, created_at, body, json_extract(body, '$.laneId') AS lane_id FROM peer_sale WHERE business_date = ? ORDER BY terminal_id, sequence",
      ),
      heads: copies.prepare<[], { terminal_id: string; last_contact: string | null; lane_id: string | null }>(
        "SELECT h.terminal_id, h.last_contact, (SELECT json_extract(p.body, '$.laneId') FROM peer_sale p WHERE p.terminal_id = h.terminal_id ORDER BY p.sequence DESC LIMIT 1) AS lane_id FROM peer_head h",
      ),
    };
  }

  /**
   * The store's day `businessDate`: this till first, then each lane the roster names or whose copy is
   * held, by lane; a peer with nothing of the day held has no figures. `at`: when it was asked.
   */
  report(o: { businessDate: string; at: string; laneId: string; currency: string }): StoreReport {
    const selfId = this.link.get()?.terminalId ?? null;
    const own = this.s.own.all(o.businessDate);
    const byTerminal = new Map<string, { laneId: string | null; rows: DayRow[] }>();
    for (const r of this.s.peers.all(o.businessDate)) {
      if (r.terminal_id === selfId) continue; // a reflashed till's own copy is its own sales, counted once
      const held = byTerminal.get(r.terminal_id) ?? { laneId: r.lane_id, rows: [] };
      held.rows.push(r);
      byTerminal.set(r.terminal_id, held);
    }
    const heads = new Map(this.s.heads.all().map((h) => [h.terminal_id, h]));
    // Whom the roster names (its lane id), and every other terminal a copy is held of.
    const named = new Map(this.roster.peers(selfId ?? '').map((p) => [p.terminalId, p.laneId]));
    for (const id of [...heads.keys(), ...byTerminal.keys()]) if (id !== selfId && !named.has(id)) named.set(id, byTerminal.get(id)?.laneId ?? heads.get(id)?.lane_id ?? id);
    const peers: Lanes = [...named.entries()].map(([terminalId, laneId]) => {
      const rows = byTerminal.get(terminalId)?.rows ?? [];
      return { laneId, terminalId, self: false, lastContact: heads.get(terminalId)?.last_contact ?? null, lastSaleAt: latest(rows), figures: rows.length ? figuresOf(rows) : null };
    });
    peers.sort((a, b) => a.laneId.localeCompare(b.laneId, 'en', { numeric: true }) || (a.terminalId ?? '').localeCompare(b.terminalId ?? ''));
    const lanes: Lanes = [{ laneId: o.laneId, terminalId: selfId, self: true, lastContact: null, lastSaleAt: latest(own), figures: figuresOf(own) }, ...peers];
    // The day's returns' originals: any returned past what was sold, anywhere this till can see.
    const originals = [...own, ...[...byTerminal.values()].flatMap((t) => t.rows)].filter((r) => r.kind === 'return').map((r) => (JSON.parse(r.body) as Pick<ReturnDocument, 'originalSaleId'>).originalSaleId).filter((x): x is string => x !== null);
    return { businessDate: o.businessDate, at: o.at, currency: o.currency, lanes, total: totalOf(lanes.map((l) => l.figures)), conflicts: this.conflicts.find(originals) };
  }

  /** `storeReport`: anyone signed in may ask, as for the X report; it is journalled (`report.store`) as the X report is, and printed on request (`print`). */
  handlers(lane: Lane): LaneHandlers {
    return {
      storeReport: {
        run: (cmd) => {
          needLaneState(lane, 'signedIn', 'selling');
          return {
            steps: [],
            effects: [
              (at) => {
                const report = this.report({ businessDate: cmd.businessDate ?? storeDate(at, lane.profile.timeZone), at, laneId: lane.identity.laneId, currency: lane.profile.currency });
                lane.journal.append('report.store', null, report, at);
                if (cmd.print) lane.printQueue?.enqueue(`store:${report.businessDate}:${at}`, 'report', encodeReceipt(renderStoreReport(report, lane.profile, lane.identity.storeName), { logo: null }), at);
                return { storeReport: report };
              },
            ],
          };
        },
      },
    };
  }
}
