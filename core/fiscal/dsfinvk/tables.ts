/**
 * The DSFinV-K tables (version 2.3, "Digitale Schnittstelle der Finanzverwaltung für
 * Kassensysteme"), as Kassa writes them: one definition per table — its file, its name in the
 * Beschreibungsstandard's index.xml, and its columns with their types. index.xml and the CSV writer
 * both read these definitions, so a file and its description cannot drift apart (the tests read an
 * export through its index.xml alone, test/helpers/gdpdu.ts).
 *
 * Every table starts with the Kassenabschluss's key (Z_KASSE_ID, Z_ERSTELLUNG, Z_NR).
 */

export type ColumnType =
  /** Text (AlphaNumeric), at most `max` characters. */
  | { kind: 'text'; max: number }
  /** A number with `places` decimals (Numeric / Accuracy), written with the decimal comma. */
  | { kind: 'num'; places: number }
  /**
   * An instant, written as ISO 8601 in UTC with milliseconds (as the TSE writes its log times).
   * DSFinV-K's own index.xml declares these AlphaNumeric (30): GDPdU's Date format has no time zone.
   */
  | { kind: 'date' }
  /** A flag, "0" or "1" (AlphaNumeric, length 1, as DSFinV-K declares them). */
  | { kind: 'flag' };

export interface Column {
  name: string;
  type: ColumnType;
}

export interface TableDef {
  /** The file in the export, e.g. `lines.csv`. */
  file: string;
  /** The table's name in DSFinV-K, e.g. `Bonpos`. */
  name: string;
  module: 'Einzelaufzeichnung' | 'Stammdaten' | 'Kassenabschluss';
  description: string;
  columns: Column[];
}


const t = (max: number): ColumnType => ({ kind: 'text', max });
const n = (places: number): ColumnType => ({ kind: 'num', places });
const d: ColumnType = { kind: 'date' };
const f: ColumnType = { kind: 'flag' };

const Z_KEY: Column[] = [
  { name: 'Z_KASSE_ID', type: t(50) },
  { name: 'Z_ERSTELLUNG', type: d },
  { name: 'Z_NR', type: n(0) },
];

function table(file: string, name: string, module: TableDef['module'], description: string, cols: Array<[string, ColumnType]>): TableDef {
  return { file, name, module, description, columns: [...Z_KEY, ...cols.map(([c, type]) => ({ name: c, type }))] };
}

export const TABLES = {
  // ---- Einzelaufzeichnungsmodul ----
  lines: table('lines.csv', 'Bonpos', 'Einzelaufzeichnung', 'Positionen der Belege', [
    ['BON_ID', t(40)], ['POS_ZEILE', t(50)], ['GUTSCHEIN_NR', t(50)], ['ARTIKELTEXT', t(255)], ['POS_TERMINAL_ID', t(50)],
    ['GV_TYP', t(30)], ['GV_NAME', t(40)], ['INHAUS', f], ['P_STORNO', f], ['AGENTUR_ID', n(0)], ['ART_NR', t(50)],
    ['GTIN', t(50)], ['WARENGR_ID', t(40)], ['WARENGR', t(50)], ['MENGE', n(3)], ['FAKTOR', n(3)], ['EINHEIT', t(50)], ['STK_BR', n(5)],
  ]),
  linesVat: table('lines_vat.csv', 'Bonpos_USt', 'Einzelaufzeichnung', 'Umsatzsteuer je Position', [
    ['BON_ID', t(40)], ['POS_ZEILE', t(50)], ['UST_SCHLUESSEL', n(0)], ['POS_BRUTTO', n(5)], ['POS_NETTO', n(5)], ['POS_UST', n(5)],
  ]),
  itemAmounts: table('itemamounts.csv', 'Bonpos_Preisfindung', 'Einzelaufzeichnung', 'Preisfindung je Position (Grundbetrag, Rabatt)', [
    ['BON_ID', t(40)], ['POS_ZEILE', t(50)], ['TYP', t(20)], ['UST_SCHLUESSEL', n(0)], ['PF_BRUTTO', n(5)], ['PF_NETTO', n(5)], ['PF_UST', n(5)],
  ]),
  transactions: table('transactions.csv', 'Bonkopf', 'Einzelaufzeichnung', 'Belegköpfe', [
    ['BON_ID', t(40)], ['BON_NR', n(0)], ['BON_TYP', t(30)], ['BON_NAME', t(60)], ['TERMINAL_ID', t(50)], ['BON_STORNO', f],
    ['BON_START', d], ['BON_ENDE', d], ['BEDIENER_ID', t(50)], ['BEDIENER_NAME', t(50)], ['UMS_BRUTTO', n(2)],
    ['KUNDE_NAME', t(50)], ['KUNDE_ID', t(50)], ['KUNDE_TYP', t(50)], ['KUNDE_STRASSE', t(60)], ['KUNDE_PLZ', t(10)],
    ['KUNDE_ORT', t(62)], ['KUNDE_LAND', t(3)], ['KUNDE_USTID', t(15)], ['BON_NOTIZ', t(255)],
  ]),
  subitems: table('subitems.csv', 'Bonpos_Zusatzinfo', 'Einzelaufzeichnung', 'Zusatzinformationen zu Positionen (Kassa: keine)', [
    ['BON_ID', t(40)], ['POS_ZEILE', t(50)], ['ZI_ART_NR', t(50)], ['ZI_GTIN', t(50)], ['ZI_NAME', t(60)], ['ZI_WARENGR_ID', t(40)], ['ZI_WARENGR', t(50)],
    ['ZI_MENGE', n(3)], ['ZI_FAKTOR', n(3)], ['ZI_EINHEIT', t(50)], ['ZI_UST_SCHLUESSEL', n(0)], ['ZI_BASISPREIS_BRUTTO', n(5)], ['ZI_BASISPREIS_NETTO', n(5)], ['ZI_BASISPREIS_UST', n(5)],
  ]),
  allocationGroups: table('allocation_groups.csv', 'Bonkopf_AbrKreis', 'Einzelaufzeichnung', 'Abrechnungskreise (Kassa: keine)', [['BON_ID', t(40)], ['ABRECHNUNGSKREIS', t(50)]]),
  transactionsVat: table('transactions_vat.csv', 'Bonkopf_USt', 'Einzelaufzeichnung', 'Umsatzsteuer je Beleg', [
    ['BON_ID', t(40)], ['UST_SCHLUESSEL', n(0)], ['BON_BRUTTO', n(5)], ['BON_NETTO', n(5)], ['BON_UST', n(5)],
  ]),
  payments: table('datapayment.csv', 'Bonkopf_Zahlarten', 'Einzelaufzeichnung', 'Zahlarten je Beleg', [
    ['BON_ID', t(40)], ['ZAHLART_TYP', t(25)], ['ZAHLART_NAME', t(60)], ['ZAHLWAEH_CODE', t(3)], ['ZAHLWAEH_BETRAG', n(2)], ['BASISWAEH_BETRAG', n(2)],
  ]),
  references: table('references.csv', 'Bon_Referenzen', 'Einzelaufzeichnung', 'Verweise auf andere Belege (Rückgabe → Ursprungsbeleg)', [
    ['BON_ID', t(40)], ['POS_ZEILE', t(50)], ['REF_TYP', t(20)], ['REF_NAME', t(40)], ['REF_DATUM', d], ['REF_Z_KASSE_ID', t(50)], ['REF_Z_NR', n(0)], ['REF_BON_ID', t(40)],
  ]),
  transactionsTse: table('transactions_tse.csv', 'TSE_Transaktionen', 'Einzelaufzeichnung', 'TSE-Transaktionen der Belege', [
    ['BON_ID', t(40)], ['TSE_ID', n(0)], ['TSE_TANR', n(0)], ['TSE_TA_START', d], ['TSE_TA_ENDE', d], ['TSE_TA_VORGANGSART', t(30)],
    ['TSE_TA_SIGZ', n(0)], ['TSE_TA_SIG', t(512)], ['TSE_TA_FEHLER', t(200)], ['TSE_VORGANGSDATEN', t(1000)],
  ]),
  // ---- Stammdatenmodul ----
  closing: table('cashpointclosing.csv', 'Stamm_Abschluss', 'Stammdaten', 'Kassenabschlüsse', [
    ['Z_BUCHUNGSTAG', t(25)], ['TAXONOMIE_VERSION', t(10)], ['Z_START_ID', t(40)], ['Z_ENDE_ID', t(40)], ['NAME', t(60)], ['STRASSE', t(60)],
    ['PLZ', t(10)], ['ORT', t(62)], ['LAND', t(3)], ['STNR', t(20)], ['USTID', t(15)], ['Z_SE_ZAHLUNGEN', n(2)], ['Z_SE_BARZAHLUNGEN', n(2)],
  ]),
  location: table('location.csv', 'Stamm_Orte', 'Stammdaten', 'Standort der Kasse', [
    ['LOC_NAME', t(60)], ['LOC_STRASSE', t(60)], ['LOC_PLZ', t(10)], ['LOC_ORT', t(62)], ['LOC_LAND', t(3)], ['LOC_USTID', t(15)],
  ]),
  cashRegister: table('cashregister.csv', 'Stamm_Kassen', 'Stammdaten', 'Kasse', [
    ['KASSE_BRAND', t(50)], ['KASSE_MODELL', t(50)], ['KASSE_SERIENNR', t(70)], ['KASSE_SW_BRAND', t(50)], ['KASSE_SW_VERSION', t(50)],
    ['KASSE_BASISWAEH_CODE', t(3)], ['KEINE_UST_ZUORDNUNG', f],
  ]),
  slaves: table('slaves.csv', 'Stamm_Terminals', 'Stammdaten', 'Terminals der Kasse (Kassa: die Kasse selbst)', [
    ['TERMINAL_ID', t(50)], ['TERMINAL_BRAND', t(50)], ['TERMINAL_MODELL', t(50)], ['TERMINAL_SERIENNR', t(70)], ['TERMINAL_SW_BRAND', t(50)], ['TERMINAL_SW_VERSION', t(50)],
  ]),
  agencies: table('pa.csv', 'Stamm_Agenturen', 'Stammdaten', 'Agenturen (Kassa: keine)', [
    ['AGENTUR_ID', n(0)], ['AGENTUR_NAME', t(60)], ['AGENTUR_STRASSE', t(60)], ['AGENTUR_PLZ', t(10)], ['AGENTUR_ORT', t(62)], ['AGENTUR_LAND', t(3)],
    ['AGENTUR_STNR', t(20)], ['AGENTUR_USTID', t(15)],
  ]),
  vat: table('vat.csv', 'Stamm_USt', 'Stammdaten', 'Umsatzsteuersätze', [['UST_SCHLUESSEL', n(0)], ['UST_SATZ', n(2)], ['UST_BESCHR', t(55)]]),
  tse: table('tse.csv', 'Stamm_TSE', 'Stammdaten', 'Technische Sicherheitseinrichtungen', [
    ['TSE_ID', n(0)], ['TSE_SERIAL', t(68)], ['TSE_SIG_ALGO', t(21)], ['TSE_ZEITFORMAT', t(31)], ['TSE_PD_ENCODING', t(5)], ['TSE_PUBLIC_KEY', t(512)],
    ['TSE_ZERTIFIKAT_I', t(1000)], ['TSE_ZERTIFIKAT_II', t(1000)],
  ]),
  // ---- Kassenabschlussmodul ----
  businessCases: table('businesscases.csv', 'Z_GV_Typ', 'Kassenabschluss', 'Summen je Geschäftsvorfall und Umsatzsteuerschlüssel', [
    ['GV_TYP', t(30)], ['GV_NAME', t(40)], ['AGENTUR_ID', n(0)], ['UST_SCHLUESSEL', n(0)], ['Z_UMS_BRUTTO', n(5)], ['Z_UMS_NETTO', n(5)], ['Z_UST', n(5)],
  ]),
  closingPayments: table('payment.csv', 'Z_Zahlart', 'Kassenabschluss', 'Summen je Zahlart', [['ZAHLART_TYP', t(25)], ['ZAHLART_NAME', t(60)], ['Z_ZAHLART_BETRAG', n(2)]]),
  closingCurrencies: table('cash_per_currency.csv', 'Z_Waehrungen', 'Kassenabschluss', 'Bargeld je Währung', [['ZAHLART_WAEH', t(3)], ['ZAHLART_BETRAG_WAEH', n(2)]]),
} satisfies Record<string, TableDef>;

export type TableKey = keyof typeof TABLES;
/** A number given as an integer and its decimal places: `{ units: 1234, scale: 2 }` is 12,34 (money stays integer). */
export interface Scaled {
  units: number;
  scale: number;
}
/** A row: a value per column name (a plain number has no decimals); null is an empty field. */
export type Row = Record<string, string | number | Scaled | null>;
/** A row of a table and the key of its closing (Z_KASSE_ID, Z_ERSTELLUNG, Z_NR), kept apart. */
export interface Entry {
  z: Row;
  row: Row;
}
export const TABLE_KEYS = Object.keys(TABLES) as TableKey[];
