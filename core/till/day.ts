/**
 * The till day: the float counted in, cash paid in and out, a no-sale, the X report, and the Z that
 * closes the day (counted cash, over/short, its journal archived afterwards). In a German till each
 * cash movement — the float, paid in/out, pickups, the owner's money, the counted difference — is
 * signed by the TSE (Vorgangstyp Beleg) and printed (core/fiscal/tse/transfer.ts).
 */
import type { DenominationCount, Snapshot, TillReport } from '../../protocol/terminal';
import { CoreError } from '../errors';
import { uuidv7 } from '../ids';
import { archiveJournal } from '../journal/archive';
import type { Lane, LaneHandlers } from '../lane/context';
import { journalStep, needLaneState } from '../lane/guards';
import type { Approvals } from '../operators/approvals';
import { encodeReceipt } from '../../drivers/escpos/receipt';
import { buildTillReport, renderTillReport, type ReportEntry } from './report';
import { seReportPart } from './se-report';
import { tillRepo, type TillRepo, type TillSessionRow } from './repo';
import { signTransfer, TRANSFER } from '../fiscal/tse/transfer';
import { renderTransferSlip, type TransferSlip } from '../receipt/transfer';

export class TillDay {
  private readonly repo: TillRepo;

  constructor(
    private readonly lane: Lane,
    private readonly approvals: Approvals,
    /** Where older journal entries are archived after each Z; null keeps the journal whole. */
    private readonly archiveDir: string | null,
  ) {
    this.repo = tillRepo(lane.db);
  }

  /** The open till session, for the snapshot. */
  view(): Snapshot['lane']['till'] {
    const s = this.repo.openSession();
    return s ? { sessionId: s.session_id, openedAt: s.opened_at, openedBy: s.opened_by } : null;
  }

  /** Selling, returns and resuming need an open till. */
  require(): TillSessionRow {
    const s = this.repo.openSession();
    if (!s) throw new CoreError('TILL_NOT_OPEN', 'Open the till first: count the float.');
    return s;
  }

  handlers(): LaneHandlers {
    const { lane, approvals, repo } = this;
    const operator = () => lane.laneSnap().context.operator;
    return {
      openTill: {
        run: (cmd) => {
          needLaneState(lane, 'signedIn');
          if (repo.openSession()) throw new CoreError('TILL_ALREADY_OPEN', 'The till is already open.');
          const floatTotal = this.countTotal(cmd.float);
          const sessionId = uuidv7(lane.now().getTime());
          const by = operator();
          return {
            steps: [],
            effects: [
              (at) => {
                // Germany: the float is the day's first cash movement (Anfangsbestand), signed by the TSE.
                const tse = lane.tse && floatTotal > 0 ? signTransfer(lane.tse, sessionId, 'float', floatTotal, lane.profile.currency, at) : undefined;
                const e = lane.journal.append('till.opened', sessionId, { sessionId, floatTotal, float: cmd.float, operator: by, lane: lane.identity.laneId, ...(tse ? { tse } : {}) }, at);
                repo.insertSession(sessionId, at, by, e.seq, floatTotal);
                if (tse) this.printTransfer({ id: sessionId, kind: 'float', amount: floatTotal, reason: null, operator: by, approvedBy: null, at, tse });
              },
            ],
          };
        },
      },
      cashMovement: {
        run: (cmd) => {
          needLaneState(lane, 'signedIn');
          const session = this.require();
          // Money leaving the drawer needs a supervisor; money coming in does not.
          const approvedBy = TRANSFER[cmd.kind].out ? approvals.approve(cmd.kind, cmd.approval).id : null;
          const by = operator();
          return {
            steps: [],
            effects: [
              (at) => {
                const movementId = uuidv7(lane.now().getTime());
                // Germany: every cash movement is a TSE transaction of its own (a Beleg), and printed with it.
                const tse = lane.tse ? signTransfer(lane.tse, movementId, cmd.kind, cmd.amount, lane.profile.currency, at) : undefined;
                lane.journal.append(`cash.${cmd.kind}`, movementId, { sessionId: session.session_id, amount: cmd.amount, reason: cmd.reason, operator: by, approvedBy, ...(tse ? { tse } : {}) }, at);
                repo.insertMovement(movementId, session.session_id, cmd.kind, cmd.amount, cmd.reason, by, approvedBy, at);
                const slipText = tse ? this.printTransfer({ id: movementId, kind: cmd.kind, amount: cmd.amount, reason: cmd.reason, operator: by, approvedBy, at, tse }) : null;
                return { movementId, slipText };
              },
            ],
          };
        },
      },
      xReport: {
        run: (cmd) => {
          needLaneState(lane, 'signedIn', 'selling');
          const session = this.require();
          return {
            steps: [],
            effects: [
              (at) => {
                const report = this.report(session, 'X', null, at, null);
                lane.journal.append('report.x', session.session_id, report, at);
                if (cmd.print) this.print(report, at);
                return report;
              },
            ],
          };
        },
      },
      closeTill: { run: (cmd) => this.closeTill(cmd.counted, cmd.approval) },
      noSale: {
        run: (cmd) => {
          needLaneState(lane, 'signedIn');
          this.require();
          const approvedBy = approvals.approve('noSale', cmd.approval).id;
          const by = operator();
          // Without a drawer device the approved no-sale is still journaled (the drawer opens by key).
          return {
            steps: [],
            effects: [
              (at) => {
                lane.journal.append('drawer.noSale', null, { reason: cmd.reason, operator: by, approvedBy, lane: lane.identity.laneId }, at);
                lane.openDrawerAfterCommit('noSale');
              },
            ],
          };
        },
      },
    };
  }

  private closeTill(countedCash: DenominationCount, approval: Parameters<Approvals['approve']>[1]) {
    const { lane, repo } = this;
    needLaneState(lane, 'signedIn');
    const session = this.require();
    const counted = this.countTotal(countedCash);
    const approvedBy = this.approvals.approve('closeTill', approval).id;
    const operator = lane.laneSnap().context.operator;
    return {
      // A self-checkout closed for the day is left signed out: opening it again takes credentials.
      steps: lane.config.mode === 'self' ? [{ to: 'lane' as const, event: { type: 'SIGN_OUT' as const }, after: journalStep(lane, 'operator.signOut', operator, { afterZ: true }) }] : [],
      effects: [
        (at: string) => {
          const zNumber = repo.nextZ();
          const report = this.report(session, 'Z', zNumber, at, counted);
          this.signDifference(session.session_id, report, approvedBy, operator, at);
          const entry = lane.journal.append('report.z', session.session_id, { ...report, counted: countedCash, approvedBy }, at);
          repo.closeSession(session.session_id, at, operator, counted, report.cash.expected, report.cash.overShort, zNumber);
          // The day is closed and journalled: its command log (sign-ins, cancelled baskets, …) goes.
          repo.pruneAtZ(lane.version, at);
          // The Z report is always printed (kept with the day's cash); it commits with the close. It
          // ends with the journal's head — its own entry — an anchor on paper for the verifier.
          this.print(report, at, { seq: entry.seq, hash: entry.hash });
          return report;
        },
      ],
      // The day is closed: what the law no longer wants on the terminal goes to a signed archive.
      afterCommit: () => this.archive(),
    };
  }

  /** Total of a drawer count; only the profile's notes and coins, each at most once. */
  private countTotal(counts: DenominationCount): number {
    const seen = new Set<number>();
    let total = 0;
    for (const c of counts) {
      if (!this.lane.profile.denominations.includes(c.denomination) || seen.has(c.denomination)) {
        throw new CoreError('INVALID_COUNT', 'The count lists a note or coin twice or one this currency does not have.', { denomination: c.denomination });
      }
      seen.add(c.denomination);
      total += c.denomination * c.count;
    }
    return total;
  }

  private report(session: TillSessionRow, kind: 'X' | 'Z', zNumber: number | null, at: string, counted: number | null): TillReport {
    const entries: ReportEntry[] = this.repo.journalFrom(session.open_seq).map((r) => ({ seq: r.seq, kind: r.kind, body: JSON.parse(r.body) as unknown }));
    const lastZ = this.repo.lastZBody() ?? null;
    const previous = lastZ ? (JSON.parse(lastZ) as TillReport) : null;
    const previousGrandTotal = previous?.grandTotal ?? 0;
    const report = buildTillReport(entries, {
      kind,
      zNumber,
      sessionId: session.session_id,
      openedAt: session.opened_at,
      at,
      operator: this.lane.laneSnap().context.operator,
      currency: this.lane.profile.currency,
      previousGrandTotal,
      counted,
    });
    // Sweden: the X- and Z-dagrapport's own items (core/till/se-report.ts), grand totals carried from the last Z.
    const cu = this.lane.controlUnit;
    if (cu?.configured) report.se = seReportPart(entries, report, cu.register, previous?.se);
    return report;
  }

  /** Germany: a counted drawer that differs from the expected cash is a cash movement of its own (DifferenzSollIst), signed and printed before the Z. */
  private signDifference(sessionId: string, report: TillReport, approvedBy: string, operator: string | null, at: string): void {
    const { lane } = this;
    const amount = report.cash.overShort;
    if (!lane.tse || amount === null || amount === 0) return;
    const differenceId = uuidv7(lane.now().getTime());
    const tse = signTransfer(lane.tse, differenceId, 'difference', amount, lane.profile.currency, at);
    lane.journal.append('cash.difference', differenceId, { sessionId, differenceId, amount, counted: report.cash.counted!, expected: report.cash.expected, operator, approvedBy, tse }, at);
    this.printTransfer({ id: differenceId, kind: 'difference', amount, reason: null, operator, approvedBy, at, tse });
  }

  /** A German till's slip for a cash movement, with its TSE fields, on the receipt printer; its text. */
  private printTransfer(t: Omit<TransferSlip, 'storeName' | 'laneId'> & { id: string }): string {
    const { identity, profile, printQueue, logo } = this.lane;
    const text = renderTransferSlip({ ...t, storeName: identity.storeName, laneId: identity.laneId }, profile);
    printQueue?.enqueue(`transfer:${t.id}`, 'slip', encodeReceipt(text, { logo }), t.at);
    return text;
  }

  /** An X or Z report on the receipt printer: store, lane, who, then the report. */
  private print(report: TillReport, at: string, journalHead?: { seq: number; hash: string }): void {
    const { identity, profile, printQueue } = this.lane;
    const head = `${identity.storeName}\n${identity.laneId}  ${report.operator ?? ''}  ${report.currency}\n`;
    const key = report.kind === 'Z' ? `z:${report.zNumber}` : `x:${report.sessionId}:${at}`;
    printQueue?.enqueue(key, 'report', encodeReceipt(head + renderTillReport(report, profile, journalHead), { logo: null }), at);
  }

  /** Archives the journal's older part (after a Z); a failure is logged and leaves the journal whole. */
  private archive(): void {
    const dir = this.archiveDir;
    if (!dir) return;
    const { lane } = this;
    try {
      for (const a of archiveJournal(lane.db, { dir, now: lane.now, keepDays: lane.profile.journalKeepDays, journal: lane.journal })) {
        lane.log(`journal: entries ${a.firstSeq}–${a.throughSeq} archived to ${a.file}`);
      }
    } catch (err) {
      lane.log(`journal: archiving failed, the journal stays whole: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
