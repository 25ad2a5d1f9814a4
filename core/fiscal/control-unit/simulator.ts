/**
 * A control unit simulator (kontrollenhet). Like a real unit it is its own device: its own SQLite
 * file (`<db>-cu.sqlite`, not the till's database) holds its manufacturing number, its secret, and
 * the control data of every receipt it was sent — the receipt data as received and the control code
 * it answered, in the order received. The records cannot be changed or deleted (triggers refuse it:
 * a control unit may not overwrite or erase control data, SKVFS 2009:2 3 kap. 5 §).
 *
 * The control code is an HMAC-SHA256 of the receipt data under the unit's secret, as hex: the same
 * data gives the same code on the same unit and any other data another. It is no certified unit:
 * no encryption of the stored data with Skatteverket's key, no reading interface for Skatteverket.
 */
import type Database from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../clock';
import { SimulatedDevice } from '../device-file';
import { checkedRequest, ControlUnitError, type ControlUnitAnswer, type ControlUnitPort, type ControlUnitRequest } from './port';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cu_device (id INTEGER PRIMARY KEY CHECK (id = 1), manufacturing_number TEXT NOT NULL, secret BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cu_record (
  seq INTEGER PRIMARY KEY, org_number TEXT NOT NULL, till_id TEXT NOT NULL, receipt_at TEXT NOT NULL,
  receipt_number INTEGER NOT NULL, receipt_type TEXT NOT NULL, total INTEGER NOT NULL, vat TEXT NOT NULL,
  control_code TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS cu_record_no_update BEFORE UPDATE ON cu_record BEGIN SELECT RAISE(ABORT, 'control data cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS cu_record_no_delete BEFORE DELETE ON cu_record BEGIN SELECT RAISE(ABORT, 'control data cannot be deleted'); END;
`;

/** One stored record, as Skatteverket would read it out of the unit. */
export interface ControlRecord extends ControlUnitRequest {
  seq: number;
  controlCode: string;
  receivedAt: string;
}

/** The receipt data the code is made of, one canonical string (fields in a fixed order). */
export function canonicalReceiptData(r: ControlUnitRequest): string {
  const vat = [...r.vat].sort((a, b) => b.rate - a.rate).map((v) => `${v.rate}:${v.vat}`).join(',');
  return [r.orgNumber, r.tillId, r.at, r.receiptNumber, r.type, r.total, vat].join(';');
}

export class ControlUnitSimulator implements ControlUnitPort {
  private readonly db: Database.Database;
  private readonly device: { manufacturing_number: string; secret: Buffer };
  /** Its own file; pulled out in process or by `<file>.unplugged`. */
  private readonly file: SimulatedDevice;

  constructor(
    file: string,
    private readonly now: Clock,
  ) {
    this.file = new SimulatedDevice(file, SCHEMA);
    this.db = this.file.db;
    this.device = this.loadDevice();
  }

  private loadDevice(): { manufacturing_number: string; secret: Buffer } {
    const get = () => this.db.prepare<[], { manufacturing_number: string; secret: Buffer }>('SELECT manufacturing_number, secret FROM cu_device').get();
    const found = get();
    if (found) return found;
    const number = `KSIM${randomBytes(6).toString('hex').toUpperCase()}`;
    this.db.prepare('INSERT INTO cu_device (id, manufacturing_number, secret, created_at) VALUES (1, ?, ?, ?)').run(number, randomBytes(32), this.now().toISOString());
    return get()!;
  }

  private answers(): void {
    if (this.file.out) throw new ControlUnitError('CU_UNAVAILABLE', 'the control unit does not answer');
  }

  /** Simulates the unit pulled out (or its cable loose): every call fails with CU_UNAVAILABLE until `plugIn`. */
  unplug(): void {
    this.file.unplug();
  }
  plugIn(): void {
    this.file.plugIn();
  }
  close(): void {
    this.file.close();
  }

  manufacturingNumber(): string {
    this.answers();
    return this.device.manufacturing_number;
  }

  register(input: ControlUnitRequest): ControlUnitAnswer {
    this.answers();
    const req = checkedRequest(input);
    const controlCode = createHmac('sha256', this.device.secret).update(canonicalReceiptData(req)).digest('hex').toUpperCase();
    this.db
      .prepare('INSERT INTO cu_record (org_number, till_id, receipt_at, receipt_number, receipt_type, total, vat, control_code, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(req.orgNumber, req.tillId, req.at, req.receiptNumber, req.type, req.total, JSON.stringify(req.vat), controlCode, this.now().toISOString());
    return { controlCode, manufacturingNumber: this.device.manufacturing_number };
  }

  /** The stored control data, in the order received (what the unit hands Skatteverket). */
  records(): ControlRecord[] {
    type Row = { seq: number; org_number: string; till_id: string; receipt_at: string; receipt_number: number; receipt_type: ControlUnitRequest['type']; total: number; vat: string; control_code: string; received_at: string };
    return this.db
      .prepare<[], Row>('SELECT * FROM cu_record ORDER BY seq')
      .all()
      .map((r) => ({ seq: r.seq, orgNumber: r.org_number, tillId: r.till_id, at: r.receipt_at, receiptNumber: r.receipt_number, type: r.receipt_type, total: r.total, vat: JSON.parse(r.vat) as ControlUnitRequest['vat'], controlCode: r.control_code, receivedAt: r.received_at }));
  }
}
