/**
 * Germany (§146a Abs. 4 AO): the Kassenmeldung — what a store reports to its tax office for each
 * till and its TSE: the TSE's serial number, public key (and BSI certificate where it has one), the
 * till's serial number (its TSE client id), manufacturer, model and software version, the dates
 * each was taken into use, and the location. Recorded in the till's database the first time the
 * lane starts with a TSE (tse_kassenmeldung, migration 0032), shown in the service screen
 * (snapshot.tse.meldung) and exported by `npm run kassenmeldung` as JSON or CSV.
 */
import type { Db } from '../../db';
import type { TseInfo } from './port';
import { SOFTWARE_VERSION } from '../../sync/report';
import type { Kassenmeldung } from '../../../protocol/terminal';

export const TILL_MANUFACTURER = 'Kassa (open source, AGPL-3.0)';
export const TILL_MODEL = 'Kassa POS terminal';

export type { Kassenmeldung };

interface Row {
  tse_serial: string;
  client_id: string;
  public_key: string;
  signature_algorithm: string;
  tse_certificate: string | null;
  tse_commissioned_at: string;
  till_commissioned_at: string;
  manufacturer: string;
  model: string;
  software_version: string;
  store_name: string;
  location: string;
}

const fromRow = (r: Row): Kassenmeldung => ({
  tseSerialNumber: r.tse_serial,
  tsePublicKey: r.public_key,
  tseSignatureAlgorithm: r.signature_algorithm,
  tseCertificate: r.tse_certificate,
  tseCommissionedAt: r.tse_commissioned_at,
  tillSerialNumber: r.client_id,
  manufacturer: r.manufacturer,
  model: r.model,
  softwareVersion: r.software_version,
  tillCommissionedAt: r.till_commissioned_at,
  storeName: r.store_name,
  location: r.location,
});

/**
 * The lane started with this TSE: its Kassenmeldung is recorded if it is not yet (the till's own
 * commissioning is its first journal entry; the TSE's, what the TSE says, else now). Returns it.
 */
export function recordKassenmeldung(db: Db, info: TseInfo, till: { clientId: string; storeName: string; location: string }, at: string): Kassenmeldung {
  const first = db.prepare<[], { at: string | null }>('SELECT min(at) AS at FROM journal').get()?.at ?? at;
  db.prepare(
    `INSERT OR IGNORE INTO tse_kassenmeldung (tse_serial, client_id, public_key, signature_algorithm, tse_certificate, tse_commissioned_at, till_commissioned_at, manufacturer, model, software_version, store_name, location, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(info.serialNumber, till.clientId, info.publicKey, info.signatureAlgorithm, info.certificate ?? null, info.commissionedAt ?? at, first, TILL_MANUFACTURER, TILL_MODEL, SOFTWARE_VERSION, till.storeName, till.location, at);
  // The software is what runs now: a till updated since it was first reported reports its new version.
  db.prepare('UPDATE tse_kassenmeldung SET software_version = ? WHERE tse_serial = ? AND client_id = ? AND location = ?').run(SOFTWARE_VERSION, info.serialNumber, till.clientId, till.location);
  return fromRow(db.prepare<[string, string, string], Row>('SELECT * FROM tse_kassenmeldung WHERE tse_serial = ? AND client_id = ? AND location = ?').get(info.serialNumber, till.clientId, till.location)!);
}

/** Every Kassenmeldung the till has recorded, oldest first. */
export function readKassenmeldungen(db: Db): Kassenmeldung[] {
  return db.prepare<[], Row>('SELECT * FROM tse_kassenmeldung ORDER BY recorded_at, tse_serial').all().map(fromRow);
}

const COLUMNS: ReadonlyArray<[keyof Kassenmeldung, string]> = [
  ['tseSerialNumber', 'TSE-Seriennummer'],
  ['tsePublicKey', 'TSE-Public-Key'],
  ['tseSignatureAlgorithm', 'TSE-Signaturalgorithmus'],
  ['tseCertificate', 'TSE-Zertifikat'],
  ['tseCommissionedAt', 'TSE-Inbetriebnahme'],
  ['tillSerialNumber', 'Kassen-Seriennummer'],
  ['manufacturer', 'Hersteller'],
  ['model', 'Modell'],
  ['softwareVersion', 'Softwareversion'],
  ['tillCommissionedAt', 'Kassen-Inbetriebnahme'],
  ['storeName', 'Betrieb'],
  ['location', 'Standort'],
];

/** As CSV (RFC 4180: `;`-separated as German tools read it, every value quoted, CRLF), German column names. */
export function kassenmeldungCsv(rows: readonly Kassenmeldung[]): string {
  const q = (v: string | null) => `"${(v ?? '').replace(/"/g, '""')}"`;
  return [COLUMNS.map(([, name]) => q(name)).join(';'), ...rows.map((r) => COLUMNS.map(([k]) => q(r[k])).join(';'))].map((l) => `${l}\r\n`).join('');
}
