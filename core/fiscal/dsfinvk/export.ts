/**
 * The DSFinV-K export of a terminal database: the closed till days selected (by Z or by business
 * date), each a Kassenabschluss, written as the CSV tables of tables.ts and the index.xml that
 * describes them (writer.ts). The closing module's totals (Z_GV_Typ, Z_Zahlart, Z_Waehrungen) are
 * the sums of the receipts' own rows, counting only `Beleg` receipts (training and aborted baskets
 * are not turnover; cash movements are Belege); master data comes from the journal (store, lane), the TSE's answers and the
 * store's legal particulars as provisioned (company, address, tax number, USt-IdNr.;
 * core/markets/store-legal.ts).
 */
import type { Db } from '../../db';
import { loadStoreLegal } from '../../markets/store-legal';
import type { StoreLegal } from '../../../protocol/terminal';
import { tseClientId } from '../tse/till';
import { TILL_MANUFACTURER, TILL_MODEL } from '../tse/kassenmeldung';
import { DsfinvkError, readOriginal, readTillDays, readTse, receiptId, type Selection, type TillDay } from './read';
import { money, receiptRows, VAT_KEYS, type Context } from './receipts';
import { TABLE_KEYS, type Entry, type Row, type TableKey } from './tables';
import { writeExport } from './writer';

export const TAXONOMY_VERSION = '2.3';

export interface ExportOptions {
  timeZone: string;
  /** Kassa's version (Stamm_Kassen.KASSE_SW_VERSION). */
  softwareVersion: string;
}

/** A table's rows, each with its closing's key apart (one shared object per Z, not copied into every row). */
export type Tables = Record<TableKey, Entry[]>;

export interface ExportSummary {
  closings: Array<{ zNumber: number; businessDate: string; receipts: number }>;
  rows: Record<TableKey, number>;
  files: string[];
  /** Master data the export must carry (Anhang G) but the till does not know; the export is written all the same. */
  warnings: string[];
}

const units = (v: Row[string] | undefined): number => (v && typeof v === 'object' ? v.units : 0);

/** Adds `amount` under `key` in a map of summed rows. */
function add(map: Map<string, { row: Row; sums: number[] }>, key: string, row: Row, amounts: number[]) {
  const e = map.get(key);
  if (e) amounts.forEach((a, i) => (e.sums[i]! += a));
  else map.set(key, { row, sums: [...amounts] });
}

type Sums = Map<string, { row: Row; sums: number[] }>;

/** The receipts of one till day: the single-record rows, and the sums the closing is made of. */
function addReceipts(day: TillDay, zKey: Row, ctx: Context, tables: Tables) {
  const cases: Sums = new Map();
  const pays: Sums = new Map();
  const ids: string[] = [];
  const keys = new Set<number>();
  for (const e of day.receipts) {
    const r = receiptRows(e, ctx);
    for (const v of [...r.linesVat, ...r.vat, ...r.itemAmounts]) keys.add(Number(v.UST_SCHLUESSEL));
    ids.push(receiptId(e));
    tables.transactions.push({ z: zKey, row: r.head });
    for (const [key, rows] of [['lines', r.lines], ['linesVat', r.linesVat], ['itemAmounts', r.itemAmounts], ['transactionsVat', r.vat], ['payments', r.payments], ['references', r.references]] as const) {
      for (const row of rows) tables[key].push({ z: zKey, row });
    }
    tables.transactionsTse.push({ z: zKey, row: r.tse });
    if (!r.counts) continue;
    r.lines.forEach((l, i) => {
      const v = r.linesVat[i]!;
      add(cases, `${String(l.GV_TYP)}|${String(v.UST_SCHLUESSEL)}`, { GV_TYP: l.GV_TYP!, GV_NAME: null, AGENTUR_ID: 0, UST_SCHLUESSEL: v.UST_SCHLUESSEL! }, [units(v.POS_BRUTTO), units(v.POS_NETTO), units(v.POS_UST)]);
    });
    for (const p of r.payments) add(pays, `${String(p.ZAHLART_TYP)}|${String(p.ZAHLART_NAME)}`, { ZAHLART_TYP: p.ZAHLART_TYP!, ZAHLART_NAME: p.ZAHLART_NAME! }, [units(p.BASISWAEH_BETRAG)]);
  }
  return { cases, pays, ids, keys };
}

interface DayMaster {
  zKey: Row;
  clientId: string;
  laneId: string | null;
  storeName: string | null;
  legal: StoreLegal | null;
  serials: Map<string, { id: number; publicKey: string }>;
  /** A TSE's certificate as its Kassenmeldung recorded it (base64 DER), by serial; null for none (the simulator). */
  certificate: (serial: string) => string | null;
}

/** A certificate in Stamm_TSE's two columns: base64 without PEM armour, the first 1,000 characters and the rest. */
function certificateParts(cert: string | null): [string | null, string | null] {
  const b64 = cert?.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '') || null;
  return b64 ? [b64.slice(0, 1000), b64.slice(1000, 2000) || null] : [null, null];
}

/** A German address as one line, "Straße Nr, PLZ Ort" (the particulars keep it so): its parts, or only the street when it does not read so. */
export function addressParts(address: string | undefined): { street: string | null; zip: string | null; city: string | null } {
  const a = address?.trim();
  if (!a) return { street: null, zip: null, city: null };
  const m = /^(.+?),\s*(?:D-)?(\d{5})\s+(.+)$/.exec(a);
  return m ? { street: m[1]!.trim(), zip: m[2]!, city: m[3]!.trim() } : { street: a, zip: null, city: null };
}

const SET_LEGAL = "set them in the store's particulars: `npm run provision -- --legal store.json` on the till, or HQ's `npm run hq:legal -- set --store <id> …`";

/**
 * What the closing's master data (Stamm_Abschluss, Stamm_Orte; mandatory in Anhang G) lacks: the
 * address as street, postcode and town, and a tax number or USt-IdNr. (one of the two). The export
 * is still written — the tax office may ask for it as it is — but says what to set, and where.
 */
export function missingMasterData(legal: StoreLegal | null): string[] {
  const out: string[] = [];
  const a = legal?.address?.trim();
  const at = addressParts(a);
  if (!a) out.push(`no store address: STRASSE, PLZ, ORT (Stamm_Abschluss) and LOC_STRASSE, LOC_PLZ, LOC_ORT (Stamm_Orte) are empty; ${SET_LEGAL} (address "Straße Nr, PLZ Ort")`);
  else if (!at.zip) out.push(`the store address "${a}" does not read as "Straße Nr, PLZ Ort": PLZ, ORT (Stamm_Abschluss) and LOC_PLZ, LOC_ORT (Stamm_Orte) are empty, STRASSE holds all of it; ${SET_LEGAL}`);
  if (!legal?.orgNumber && !legal?.vatId) out.push(`neither a tax number nor a USt-IdNr.: STNR and USTID (Stamm_Abschluss) are empty, one of them is required; ${SET_LEGAL} (orgNumber, vatId)`);
  return out;
}

/** The closing module and the master data of one till day. */
function addClosing(day: TillDay, m: DayMaster, sums: ReturnType<typeof addReceipts>, tables: Tables, opts: ExportOptions): void {
  const { zKey } = m;
  for (const { row, sums: [b, n, u] } of sums.cases.values()) tables.businessCases.push({ z: zKey, row: { ...row, Z_UMS_BRUTTO: money(b!), Z_UMS_NETTO: money(n!), Z_UST: money(u!) } });
  let all = 0;
  let cash = 0;
  for (const { row, sums: [a] } of sums.pays.values()) {
    tables.closingPayments.push({ z: zKey, row: { ...row, Z_ZAHLART_BETRAG: money(a!) } });
    all += a!;
    if (row.ZAHLART_TYP === 'Bar') cash += a!;
  }
  tables.closingCurrencies.push({ z: zKey, row: { ZAHLART_WAEH: day.report.currency, ZAHLART_BETRAG_WAEH: money(cash) } });
  const at = addressParts(m.legal?.address);
  const stnr = m.legal?.orgNumber || null;
  const ustid = m.legal?.vatId || null;
  tables.closing.push({
    z: zKey,
    row: {
      Z_BUCHUNGSTAG: day.businessDate, TAXONOMIE_VERSION: TAXONOMY_VERSION, Z_START_ID: sums.ids[0] ?? null, Z_ENDE_ID: sums.ids.at(-1) ?? null, NAME: m.legal?.companyName ?? m.storeName, STRASSE: at.street,
      PLZ: at.zip, ORT: at.city, LAND: 'DEU', STNR: stnr, USTID: ustid, Z_SE_ZAHLUNGEN: money(all), Z_SE_BARZAHLUNGEN: money(cash),
    },
  });
  tables.location.push({ z: zKey, row: { LOC_NAME: m.storeName, LOC_STRASSE: at.street, LOC_PLZ: at.zip, LOC_ORT: at.city, LOC_LAND: 'DEU', LOC_USTID: ustid } });
  // The till as its Kassenmeldung names it (core/fiscal/tse/kassenmeldung.ts), so both say the same.
  tables.cashRegister.push({ z: zKey, row: { KASSE_BRAND: TILL_MANUFACTURER, KASSE_MODELL: TILL_MODEL, KASSE_SERIENNR: m.clientId, KASSE_SW_BRAND: 'Kassa', KASSE_SW_VERSION: opts.softwareVersion, KASSE_BASISWAEH_CODE: day.report.currency, KEINE_UST_ZUORDNUNG: 0 } });
  // The lane records its receipts itself: it is the one terminal the receipts' TERMINAL_ID names.
  if (m.laneId) tables.slaves.push({ z: zKey, row: { TERMINAL_ID: m.laneId, TERMINAL_BRAND: TILL_MANUFACTURER, TERMINAL_MODELL: TILL_MODEL, TERMINAL_SERIENNR: m.clientId, TERMINAL_SW_BRAND: 'Kassa', TERMINAL_SW_VERSION: opts.softwareVersion } });
  // The VAT keys the day's receipts use, each with its rate (Anlage 2; receipts.ts VAT_KEYS).
  for (const v of VAT_KEYS.filter((k) => sums.keys.has(k.key))) tables.vat.push({ z: zKey, row: { UST_SCHLUESSEL: v.key, UST_SATZ: { units: v.rate, scale: 2 }, UST_BESCHR: v.name } });
  for (const [serial, s] of m.serials) {
    const [certI, certII] = certificateParts(m.certificate(serial));
    tables.tse.push({ z: zKey, row: { TSE_ID: s.id, TSE_SERIAL: serial, TSE_SIG_ALGO: signatureAlgorithm(s.publicKey), TSE_ZEITFORMAT: 'unixTime', TSE_PD_ENCODING: 'UTF-8', TSE_PUBLIC_KEY: s.publicKey, TSE_ZERTIFIKAT_I: certI, TSE_ZERTIFIKAT_II: certII } });
  }
}

/** Builds every table of the export in memory (the tests and the bench read them too). */
export function buildTables(db: Db, sel: Selection, opts: ExportOptions): { tables: Tables; days: TillDay[] } {
  const days = readTillDays(db, sel, opts.timeZone);
  const tse = readTse(db);
  const original = readOriginal(db);
  const tables = Object.fromEntries(TABLE_KEYS.map((k) => [k, [] as Entry[]])) as Tables;
  const legal = loadStoreLegal(db);
  const certQ = db.prepare<[string], { c: string }>('SELECT tse_certificate AS c FROM tse_kassenmeldung WHERE tse_serial = ? AND tse_certificate IS NOT NULL LIMIT 1');
  const certificate = (serial: string) => certQ.get(serial)?.c ?? null;
  for (const day of days) {
    const sale = day.receipts.find((e) => e.kind === 'sale.completed' || e.kind === 'sale.training');
    const store = sale && 'storeName' in sale.body ? { id: sale.body.storeId, name: sale.body.storeName, lane: sale.body.laneId } : null;
    const opened = day.receipts.find((e) => e.kind === 'till.opened');
    const laneId = store?.lane ?? (opened?.kind === 'till.opened' ? opened.body.lane : null);
    const tseOf = new Map(day.receipts.map((e) => [receiptId(e), tse(receiptId(e))]));
    const tseRows = [...tseOf.values()].filter((t) => t !== undefined);
    // The till's serial as its TSE knows it (the client id); a day without a TSE answer falls back to store and lane.
    const clientId = tseRows[0]?.client_id ?? (store ? tseClientId(store.id, store.lane) : 'kassa');
    const serials = new Map<string, { id: number; publicKey: string }>();
    for (const t of tseRows) if (t.tse_serial && t.public_key && !serials.has(t.tse_serial)) serials.set(t.tse_serial, { id: serials.size + 1, publicKey: t.public_key });
    const zKey: Row = { Z_KASSE_ID: clientId, Z_ERSTELLUNG: day.closedAt, Z_NR: day.zNumber };
    const sums = addReceipts(day, zKey, { tse: (id) => tseOf.get(id), tseId: (s) => serials.get(s)!.id, original, clientId, laneId, currency: day.report.currency }, tables);
    addClosing(day, { zKey, clientId, laneId, storeName: store?.name ?? null, legal, serials, certificate }, sums, tables, opts);
  }
  return { tables, days };
}

/** The TSE's signature algorithm, by its key: an uncompressed P-256 point (65 bytes) signs ecdsa-plain-SHA256, a 384-bit one (97 bytes) ecdsa-plain-SHA384. */
function signatureAlgorithm(publicKeyBase64: string): string {
  const len = Buffer.from(publicKeyBase64, 'base64').length;
  if (len === 65) return 'ecdsa-plain-SHA256';
  if (len === 97) return 'ecdsa-plain-SHA384';
  throw new DsfinvkError('DSFINVK_NOT_A_TILL', `a TSE public key of ${len} bytes is neither P-256 nor a 384-bit curve`);
}

/** Writes the export of the selected till days to `outDir` (created; an existing export there is refused). */
export function exportDsfinvk(db: Db, sel: Selection, outDir: string, opts: ExportOptions): ExportSummary {
  const { tables, days } = buildTables(db, sel, opts);
  const validity = { from: days[0]!.businessDate, to: days.at(-1)!.businessDate };
  const files = writeExport(outDir, tables, validity);
  return {
    closings: days.map((d) => ({ zNumber: d.zNumber, businessDate: d.businessDate, receipts: d.receipts.length })),
    rows: Object.fromEntries(TABLE_KEYS.map((k) => [k, tables[k].length])) as Record<TableKey, number>,
    files,
    warnings: missingMasterData(loadStoreLegal(db)),
  };
}
