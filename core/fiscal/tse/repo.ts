/** The till's record of its TSE (migrations 0030, 0031): each sale's signature or outage, the outages, and transactions started at a sale's first line. */
import type { Db } from '../../db';

export function tseRepo(db: Db) {
  return {
    openOutage: db.prepare<[], { outage_id: number; started_at: string; reason: string; unsigned_sales: number }>('SELECT outage_id, started_at, reason, unsigned_sales FROM tse_outage WHERE ended_at IS NULL ORDER BY outage_id DESC LIMIT 1'),
    startOutage: db.prepare<[string, string]>('INSERT INTO tse_outage (started_at, reason) VALUES (?, ?)'),
    countUnsigned: db.prepare<[number]>('UPDATE tse_outage SET unsigned_sales = unsigned_sales + 1 WHERE outage_id = ?'),
    endOutage: db.prepare<[string, number]>('UPDATE tse_outage SET ended_at = ? WHERE outage_id = ?'),
    insert: db.prepare(
      `INSERT INTO tse_signature (sale_id, client_id, process_type, process_data, tse_serial, transaction_number, signature_counter, start_time, end_time, signature, public_key, outage_id, recorded_at)
       VALUES (@saleId, @clientId, @processType, @processData, @serial, @transactionNumber, @signatureCounter, @startTime, @endTime, @signature, @publicKey, @outageId, @at)`,
    ),
    unfinished: db.prepare<[], { sale_id: string; transaction_number: number }>('SELECT sale_id, transaction_number FROM tse_signature WHERE signature IS NULL AND transaction_number IS NOT NULL AND aborted_at IS NULL'),
    aborted: db.prepare<[string, string]>('UPDATE tse_signature SET aborted_at = ? WHERE sale_id = ?'),
    abortedIn: db.prepare<[number], { transaction_number: number }>('SELECT transaction_number FROM tse_signature WHERE outage_id = ? AND aborted_at IS NOT NULL ORDER BY transaction_number'),
    bySale: db.prepare<[string], { signature: string | null }>('SELECT signature FROM tse_signature WHERE sale_id = ?'),
    started: db.prepare<[string], StartedRow>('SELECT sale_id, transaction_number, start_time FROM tse_started WHERE sale_id = ?'),
    startedAll: db.prepare<[], StartedRow>('SELECT sale_id, transaction_number, start_time FROM tse_started ORDER BY transaction_number'),
    insertStarted: db.prepare<[string, string, number, string, string]>('INSERT INTO tse_started (sale_id, client_id, transaction_number, start_time, recorded_at) VALUES (?, ?, ?, ?, ?)'),
    dropStarted: db.prepare<[string]>('DELETE FROM tse_started WHERE sale_id = ?'),
  };
}

export interface StartedRow {
  sale_id: string;
  transaction_number: number;
  start_time: string;
}
