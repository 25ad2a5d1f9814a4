/**
 * A TSE simulator that signs real TR-03151 transaction log messages: ECDSA over P-256 with SHA-256,
 * the signature plain r ‖ s (ecdsa-plain-SHA256), the serial number the SHA-256 of the public key.
 * It is its own device: its own SQLite file (not the till's database) holds its key, its clients,
 * its open transactions and every log message, and the counters advance in the same write as the
 * log message they number — so they survive a restart and have no gaps, as a certified TSE's do.
 *
 * What it does not do that a certified TSE does: no certificate chain (the export carries the
 * public key, not a BSI-issued certificate), no system or audit logs, no secure element.
 */
import type Database from 'better-sqlite3';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Clock } from '../../clock';
import { dataToBeSigned, logFileName, logMessage } from './log-message';
import { tar } from './tar';
import { SimulatedDevice } from '../device-file';
import { TseError, type TseExportFilter, type TseInfo, type TseLogResult, type TseOperation, type TsePort } from './port';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tse_key (id INTEGER PRIMARY KEY CHECK (id = 1), private_key_pem TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tse_counter (id INTEGER PRIMARY KEY CHECK (id = 1), signature_counter INTEGER NOT NULL, transaction_number INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tse_client (client_id TEXT PRIMARY KEY, registered_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tse_open_transaction (transaction_number INTEGER PRIMARY KEY, client_id TEXT NOT NULL, started_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tse_log (
  signature_counter INTEGER PRIMARY KEY, transaction_number INTEGER NOT NULL, client_id TEXT NOT NULL,
  operation TEXT NOT NULL, log_time INTEGER NOT NULL, file_name TEXT NOT NULL, message BLOB NOT NULL);
`;

/** A P-256 public key as the uncompressed point 0x04 ‖ X ‖ Y. */
function uncompressedPoint(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}

export interface SimulatorOptions {
  now: Clock;
}

export class TseSimulator implements TsePort {
  private readonly db: Database.Database;
  private readonly key: KeyObject;
  private readonly point: Buffer;
  private readonly serial: Buffer;
  private readonly now: Clock;
  private readonly device: SimulatedDevice;
  private made: string | undefined;

  /** Opens (or creates, with a new key) the simulated TSE kept in `file`. */
  constructor(file: string, opts: SimulatorOptions) {
    this.now = opts.now;
    this.device = new SimulatedDevice(file, SCHEMA);
    this.db = this.device.db;
    this.key = this.loadKey();
    this.point = uncompressedPoint(this.key);
    this.serial = createHash('sha256').update(this.point).digest();
  }

  private loadKey(): KeyObject {
    const row = this.db.prepare<[], { private_key_pem: string }>('SELECT private_key_pem FROM tse_key').get();
    if (row) return createPrivateKey(row.private_key_pem);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO tse_key (id, private_key_pem, created_at) VALUES (1, ?, ?)').run(pem, this.now().toISOString());
      this.db.prepare('INSERT INTO tse_counter (id, signature_counter, transaction_number) VALUES (1, 0, 0)').run();
    })();
    return privateKey;
  }

  info(): TseInfo {
    this.made ??= this.db.prepare<[], { created_at: string }>('SELECT created_at FROM tse_key').get()!.created_at;
    return { serialNumber: this.serial.toString('hex'), publicKey: this.point.toString('base64'), signatureAlgorithm: 'ecdsa-plain-SHA256', logTimeFormat: 'unixTime', commissionedAt: this.made, certificate: null };
  }

  /** TR-03151 registerClient: a till may use the TSE once its serial is registered. */
  registerClient(clientId: string): void {
    this.checkClientId(clientId);
    this.db.prepare('INSERT OR IGNORE INTO tse_client (client_id, registered_at) VALUES (?, ?)').run(clientId, this.now().toISOString());
  }

  private answers(): void {
    if (this.device.out) throw new TseError('TSE_UNAVAILABLE', 'the TSE does not answer');
  }

  /** Simulates the TSE being pulled out (or its cloud unreachable): every call fails with TSE_UNAVAILABLE until `plugIn`. */
  unplug(): void {
    this.device.unplug();
  }
  plugIn(): void {
    this.device.plugIn();
  }
  close(): void {
    this.device.close();
  }

  startTransaction(clientId: string, processData: string, processType: string): TseLogResult {
    return this.log('StartTransaction', clientId, null, processData, processType);
  }

  updateTransaction(clientId: string, transactionNumber: number, processData: string, processType: string): TseLogResult {
    return this.log('UpdateTransaction', clientId, transactionNumber, processData, processType);
  }

  finishTransaction(clientId: string, transactionNumber: number, processData: string, processType: string): TseLogResult {
    return this.log('FinishTransaction', clientId, transactionNumber, processData, processType);
  }

  private checkClientId(clientId: string): void {
    if (!/^[A-Za-z0-9 '()+,\-./:=?]{1,30}$/.test(clientId)) throw new TseError('TSE_BAD_INPUT', `a client id is 1 to 30 PrintableString characters: ${JSON.stringify(clientId)}`);
  }

  private checkInput(clientId: string, processType: string): void {
    this.checkClientId(clientId);
    if (!/^[A-Za-z0-9 '()+,\-./:=?]{0,100}$/.test(processType)) throw new TseError('TSE_BAD_INPUT', `a process type is 0 to 100 PrintableString characters: ${JSON.stringify(processType)}`);
    const registered = this.db.prepare('SELECT 1 FROM tse_client WHERE client_id = ?').get(clientId);
    if (!registered) throw new TseError('TSE_CLIENT_NOT_REGISTERED', `client ${clientId} is not registered with TSE ${this.serial.toString('hex').slice(0, 16)}…`);
  }

  /** One log message: counters taken, message signed and stored in one write. */
  private log(operation: TseOperation, clientId: string, txNumber: number | null, processData: string, processType: string): TseLogResult {
    this.answers();
    this.checkInput(clientId, processType);
    const write = this.db.transaction((): TseLogResult => {
      const c = this.db.prepare<[], { signature_counter: number; transaction_number: number }>('SELECT signature_counter, transaction_number FROM tse_counter WHERE id = 1').get()!;
      const logTime = Math.floor(this.now().getTime() / 1000);
      let transactionNumber: number;
      if (txNumber === null) {
        transactionNumber = c.transaction_number + 1;
        this.db.prepare('INSERT INTO tse_open_transaction (transaction_number, client_id, started_at) VALUES (?, ?, ?)').run(transactionNumber, clientId, logTime);
      } else {
        const open = this.db.prepare<[number, string], { transaction_number: number }>('SELECT transaction_number FROM tse_open_transaction WHERE transaction_number = ? AND client_id = ?').get(txNumber, clientId);
        if (!open) throw new TseError('TSE_NO_SUCH_TRANSACTION', `no open transaction ${txNumber} for client ${clientId}`);
        transactionNumber = txNumber;
        if (operation === 'FinishTransaction') this.db.prepare('DELETE FROM tse_open_transaction WHERE transaction_number = ?').run(txNumber);
      }
      const signatureCounter = c.signature_counter + 1;
      const fields = { operation, clientId, processData: Buffer.from(processData, 'utf8'), processType, transactionNumber, serialNumber: this.serial, signatureCounter, logTime };
      const signed = dataToBeSigned(fields);
      const signature = sign('sha256', signed, { key: this.key, dsaEncoding: 'ieee-p1363' });
      this.db.prepare('UPDATE tse_counter SET signature_counter = ?, transaction_number = ? WHERE id = 1').run(signatureCounter, Math.max(c.transaction_number, transactionNumber));
      this.db
        .prepare('INSERT INTO tse_log (signature_counter, transaction_number, client_id, operation, log_time, file_name, message) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(signatureCounter, transactionNumber, clientId, operation, logTime, logFileName(fields), logMessage(signed, signature));
      const serialNumber = this.serial.toString('hex');
      return { operation, clientId, transactionNumber, signatureCounter, logTime: new Date(logTime * 1000).toISOString(), signature: signature.toString('base64'), serialNumber, processType, processData };
    });
    return write.immediate();
  }

  /** Transactions started and not finished (a till that stopped mid-sale finishes them on restart). */
  openTransactions(clientId: string): number[] {
    return this.db.prepare<[string], { transaction_number: number }>('SELECT transaction_number FROM tse_open_transaction WHERE client_id = ? ORDER BY transaction_number').all(clientId).map((r) => r.transaction_number);
  }

  exportTar(filter: TseExportFilter = {}): Buffer {
    this.answers();
    const rows = this.db
      .prepare<[string | null, string | null, number, number], { file_name: string; message: Buffer; log_time: number }>(
        `SELECT file_name, message, log_time FROM tse_log WHERE (? IS NULL OR client_id = ?) AND transaction_number BETWEEN ? AND ? ORDER BY signature_counter`,
      )
      .all(filter.clientId ?? null, filter.clientId ?? null, filter.fromTransaction ?? 0, filter.toTransaction ?? Number.MAX_SAFE_INTEGER);
    const at = Math.floor(this.now().getTime() / 1000);
    const hex = this.serial.toString('hex');
    // No BSI certificate for a simulator: the public key, as a certificate's SubjectPublicKeyInfo would carry it.
    const pem = createPublicKey(this.key).export({ format: 'pem', type: 'spki' }).toString();
    return tar([{ name: `${hex}_PublicKey.pem`, data: Buffer.from(pem), mtime: at }, ...rows.map((r) => ({ name: r.file_name, data: r.message, mtime: r.log_time }))]);
  }
}
