/**
 * What a DSFinV-K export reads from a terminal database: the closed till days (each Z is a
 * Kassenabschluss), the journal entries of each day that are receipts (sales, training sales,
 * returns, baskets cancelled, abandoned or parked; the cash movements: the float, paid in/out,
 * pickups, the owner's money, the counted difference) and the TSE's answer stored with each of them
 * (tse_signature, migration 0030). The journal is the fiscal record; a day whose entries were
 * archived off the terminal (journalKeepDays) is refused with a clear error, not exported half.
 */
import type { Db } from '../../db';
import type { TillReport } from '../../../protocol/terminal';
import { storeDate } from '../../clock';
import { readEntry, type JournalRecord } from '../../journal/kinds';

export class DsfinvkError extends Error {
  constructor(
    readonly code: 'DSFINVK_BAD_RANGE' | 'DSFINVK_NOTHING_IN_RANGE' | 'DSFINVK_ARCHIVED' | 'DSFINVK_NOT_A_TILL' | 'DSFINVK_VAT_RATE',
    message: string,
  ) {
    super(message);
    this.name = 'DsfinvkError';
  }
}

/** The cash movements of a till day (`Beleg` receipts of one position, core/fiscal/tse/transfer.ts), as journalled. */
export type TransferEntry = Extract<JournalRecord, { kind: 'till.opened' | 'cash.paidIn' | 'cash.paidOut' | 'cash.pickup' | 'cash.privateWithdrawal' | 'cash.privateDeposit' | 'cash.difference' }> & { seq: number; at: string; ref: string | null };
/** The receipts of a till day, as journalled. */
export type ReceiptEntry = (Extract<JournalRecord, { kind: 'sale.completed' | 'sale.training' | 'sale.return' | 'sale.cancelled' | 'sale.abandoned' | 'sale.suspended' }> & { seq: number; at: string; ref: string | null }) | TransferEntry;

/** A receipt's id (BON_ID; the key of its TSE answer): a sale's, a till session's (its float), a movement's. */
export function receiptId(e: ReceiptEntry): string {
  switch (e.kind) {
    case 'till.opened':
      return e.body.sessionId;
    case 'cash.difference':
      return e.body.differenceId;
    case 'cash.paidIn':
    case 'cash.paidOut':
    case 'cash.pickup':
    case 'cash.privateWithdrawal':
    case 'cash.privateDeposit':
      return e.ref!;
    default:
      return e.body.saleId;
  }
}

export interface TseRow {
  sale_id: string;
  client_id: string;
  process_type: string;
  process_data: string;
  tse_serial: string | null;
  transaction_number: number | null;
  signature_counter: number | null;
  start_time: string | null;
  end_time: string | null;
  signature: string | null;
  public_key: string | null;
  aborted_at: string | null;
  outage_reason: string | null;
}

export interface TillDay {
  zNumber: number;
  sessionId: string;
  openedAt: string;
  closedAt: string;
  /** The day the closing books: the store's calendar date the till was opened on. */
  businessDate: string;
  report: TillReport;
  receipts: ReceiptEntry[];
}

export type Selection = { from: string; to: string } | { z: number };

const TRANSFER_KINDS = ['till.opened', 'cash.paidIn', 'cash.paidOut', 'cash.pickup', 'cash.privateWithdrawal', 'cash.privateDeposit', 'cash.difference'];
const RECEIPT_KINDS = ['sale.completed', 'sale.training', 'sale.return', 'sale.cancelled', 'sale.abandoned', 'sale.suspended', ...TRANSFER_KINDS];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date YYYY-MM-DD that exists (2026-02-30 does not). */
export function isDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function checkSelection(sel: Selection): void {
  if ('z' in sel) {
    if (!Number.isSafeInteger(sel.z) || sel.z < 1) throw new DsfinvkError('DSFINVK_BAD_RANGE', `a Z number is a whole number from 1: ${sel.z}`);
    return;
  }
  for (const [name, v] of [['--from', sel.from], ['--to', sel.to]] as const) {
    if (!isDay(v)) throw new DsfinvkError('DSFINVK_BAD_RANGE', `${name} is not a date (YYYY-MM-DD): "${v}"`);
  }
  if (sel.from > sel.to) throw new DsfinvkError('DSFINVK_BAD_RANGE', `--from ${sel.from} is after --to ${sel.to}`);
}

interface SessionRow {
  session_id: string;
  opened_at: string;
  closed_at: string;
  open_seq: number;
  z_number: number;
}

/** The closed till days selected (by Z number, or by business date from–to inclusive), each with its receipts. */
export function readTillDays(db: Db, sel: Selection, timeZone: string): TillDay[] {
  checkSelection(sel);
  const hasTable = (name: string) => Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name));
  if (!hasTable('till_session') || !hasTable('journal') || !hasTable('tse_signature')) throw new DsfinvkError('DSFINVK_NOT_A_TILL', 'the database is not a Kassa terminal database (no till_session, journal or tse_signature table)');
  const sessions = db.prepare<[], SessionRow>('SELECT session_id, opened_at, closed_at, open_seq, z_number FROM till_session WHERE z_number IS NOT NULL ORDER BY z_number').all();
  const chosen = sessions.filter((s) => ('z' in sel ? s.z_number === sel.z : storeDate(s.opened_at, timeZone) >= sel.from && storeDate(s.opened_at, timeZone) <= sel.to));
  if (chosen.length === 0) {
    const what = 'z' in sel ? `Z ${sel.z}` : `${sel.from} – ${sel.to}`;
    throw new DsfinvkError('DSFINVK_NOTHING_IN_RANGE', `no closed till day (Z) in ${what}; closed days: ${sessions.length ? `Z ${sessions[0]!.z_number}–${sessions.at(-1)!.z_number}, ${storeDate(sessions[0]!.opened_at, timeZone)} – ${storeDate(sessions.at(-1)!.opened_at, timeZone)}` : 'none'}`);
  }
  const zEntry = db.prepare<[string], { seq: number; body: string }>("SELECT seq, body FROM journal WHERE kind = 'report.z' AND ref = ?");
  const entries = db.prepare<[number, number], { seq: number; at: string; kind: string; ref: string | null; body: string }>(
    `SELECT seq, at, kind, ref, body FROM journal WHERE seq >= ? AND seq < ? AND kind IN (${RECEIPT_KINDS.map((k) => `'${k}'`).join(', ')}) ORDER BY seq`,
  );
  const archivedThrough = hasTable('journal_archive') ? (db.prepare<[], { s: number | null }>('SELECT max(through_seq) AS s FROM journal_archive').get()?.s ?? 0) : 0;
  return chosen.map((s) => {
    const z = zEntry.get(s.session_id);
    if (!z || s.open_seq <= archivedThrough) throw new DsfinvkError('DSFINVK_ARCHIVED', `Z ${s.z_number} (${storeDate(s.opened_at, timeZone)}): its journal entries were archived off the terminal; export it from the journal archive`);
    const receipts = entries
      .all(s.open_seq, z.seq)
      .map((r) => readEntry(r) as ReceiptEntry | null)
      // A till opened with an empty drawer moved no cash: no Anfangsbestand.
      .filter((e): e is ReceiptEntry => e !== null && !(e.kind === 'till.opened' && e.body.floatTotal === 0));
    return { zNumber: s.z_number, sessionId: s.session_id, openedAt: s.opened_at, closedAt: s.closed_at, businessDate: storeDate(s.opened_at, timeZone), report: JSON.parse(z.body) as TillReport, receipts };
  });
}

/** The TSE's answer for each receipt id (with the outage's reason for one sold in an outage). */
export function readTse(db: Db): (saleId: string) => TseRow | undefined {
  const q = db.prepare<[string], TseRow>(
    `SELECT s.sale_id, s.client_id, s.process_type, s.process_data, s.tse_serial, s.transaction_number, s.signature_counter, s.start_time, s.end_time,
            s.signature, s.public_key, s.aborted_at, o.reason AS outage_reason
       FROM tse_signature s LEFT JOIN tse_outage o ON o.outage_id = s.outage_id WHERE s.sale_id = ?`,
  );
  return (id) => q.get(id);
}

/** The closing (Z) an original receipt (of a return) is in, when this till sold it: its number and time. */
export function readOriginal(db: Db): (saleId: string) => { zNumber: number | null; zClosedAt: string | null } | undefined {
  const q = db.prepare<[string], { z: number | null; closed: string | null }>(
    `SELECT t.z_number AS z, t.closed_at AS closed FROM sale s
       LEFT JOIN till_session t ON t.opened_at <= s.completed_at AND (t.closed_at IS NULL OR t.closed_at >= s.completed_at)
      WHERE s.sale_id = ? ORDER BY t.opened_at DESC LIMIT 1`,
  );
  return (id) => {
    const r = q.get(id);
    return r ? { zNumber: r.z, zClosedAt: r.z === null ? null : r.closed } : undefined;
  };
}
