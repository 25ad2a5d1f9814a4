/**
 * One receipt of the journal as DSFinV-K's single-record module (Einzelaufzeichnungsmodul) writes
 * it: its head (Bonkopf), lines (Bonpos) with their VAT and price finding, VAT and payments per
 * receipt, the reference of a return to its original, and the TSE transaction that signed it.
 *
 * Business cases (GV_TYP): an item sold is `Umsatz`, a deposit line (depositFor set) `Pfand`,
 * empties taken back in a sale (a `depositReturn` line, negative) `PfandRueckzahlung`; a
 * return is a `Beleg` whose lines are `Umsatz` (and `PfandRueckzahlung` for the deposit going back)
 * with negative amounts and quantities. A training sale is `AVTraining`, a basket cancelled,
 * abandoned or parked before payment `AVBelegabbruch` (signed as the aborted transaction its first line
 * started, docs/design.md "Germany: TSE"; unsigned when it never reached the TSE). A cash movement
 * is a `Beleg` of one position of its business case (core/fiscal/tse/transfer.ts). A gift card is a
 * multi-purpose voucher: a position `MehrzweckgutscheinEinloesung` / `MehrzweckgutscheinKauf`
 * (key 5), not a payment. Voided lines are not positions (the journal keeps them).
 */
import type { Line, VatRow } from '../../../protocol/terminal';
import type { ReturnedLine } from '../../returns';
import { vatOfGross } from '../../pricing';
import { tendersKept } from '../../till/report';
import { TRANSFER, drawerAmount, type TransferKind } from '../tse/transfer';
import { DsfinvkError, type ReceiptEntry, type TransferEntry, type TseRow } from './read';
import type { Row, Scaled } from './tables';

/**
 * DSFinV-K's VAT keys (UST_SCHLUESSEL, Anlage 2 in its revision of 2024-12-05) for the rates Kassa
 * sells at, in basis points. Keys 1–4 mean the rate in force when the sale was recorded; a rate that
 * has since changed has a historic key of its own (the second digit names the base key): the
 * average rate of § 24 Abs. 1 Nr. 3 UStG was 10.70 % (key 13), 9.50 % (23), 9.00 % (33) and
 * 8.40 % (43), and is 7.80 % since 2025-01-01 (Jahressteuergesetz 2024) — key 3. Keys 6 (exempt),
 * 7 (UmsatzsteuerNichtErmittelbar), 8 (§ 12 Abs. 3 UStG, 0 %) and the historic 19/7 % (11/12) and
 * 16/5 % (21/22) of 2020 Kassa does not book. Stamm_USt lists the keys a closing used (export.ts).
 * A new § 24 rate (§ 24 Abs. 5 UStG) changes key 3 here and moves 7.80 % to its historic key.
 */
export const VAT_KEYS: ReadonlyArray<{ key: number; rate: number; name: string }> = [
  { key: 1, rate: 1900, name: 'Regelsteuersatz (§ 12 Abs. 1 UStG)' },
  { key: 2, rate: 700, name: 'Ermäßigter Steuersatz (§ 12 Abs. 2 UStG)' },
  { key: 3, rate: 780, name: 'Durchschnittssatz (§ 24 Abs. 1 Nr. 3 UStG)' },
  { key: 4, rate: 550, name: 'Durchschnittssatz (§ 24 Abs. 1 Nr. 1 UStG)' },
  { key: 5, rate: 0, name: 'Nicht Steuerbar' },
  { key: 13, rate: 1070, name: 'Historischer Durchschnittssatz (§ 24 Abs. 1 Nr. 3 UStG)' },
  { key: 23, rate: 950, name: 'Historischer Durchschnittssatz (§ 24 Abs. 1 Nr. 3 UStG)' },
  { key: 33, rate: 900, name: 'Historischer Durchschnittssatz (§ 24 Abs. 1 Nr. 3 UStG)' },
  { key: 43, rate: 840, name: 'Historischer Durchschnittssatz (§ 24 Abs. 1 Nr. 3 UStG)' },
];

export function vatKey(rate: number): number {
  const k = VAT_KEYS.find((v) => v.rate === rate);
  if (!k) throw new DsfinvkError('DSFINVK_VAT_RATE', `VAT rate ${rate / 100} % has no DSFinV-K key (${VAT_KEYS.map((v) => v.rate / 100).join(', ')} %)`);
  return k.key;
}

export const money = (minor: number): Scaled => ({ units: minor, scale: 2 });

/** The rows one receipt adds, per table (without the Z key, which the caller puts in front). */
export interface ReceiptRows {
  head: Row;
  lines: Row[];
  linesVat: Row[];
  itemAmounts: Row[];
  vat: Row[];
  payments: Row[];
  references: Row[];
  tse: Row;
  /** Counted in the closing (a `Beleg`; AV… receipts are not turnover). */
  counts: boolean;
}

export interface Context {
  tse: (saleId: string) => TseRow | undefined;
  /** The till's lane (TERMINAL_ID of receipts that do not name it) and currency. */
  laneId: string | null;
  currency: string;
  tseId: (serial: string) => number;
  original: (saleId: string) => { zNumber: number | null; zClosedAt: string | null } | undefined;
  clientId: string;
}

const GTIN = /^\d{8}$|^\d{12,14}$/;

function lineRows(bonId: string, pos: number, l: { name: string; itemId: string; code: string; departmentId: string; depositFor: string | null; kind?: Line['kind']; vatRate: number; total: number; quantity: Scaled; unit: string; unitPrice: number }, gvReturn: boolean) {
  const key = vatKey(l.vatRate);
  const vat = vatOfGross(l.total, l.vatRate);
  // Empties taken back (core/basket/deposit-return.ts) pay a deposit back, as a returned drink's deposit does.
  const gv = l.kind === 'depositReturn' ? 'PfandRueckzahlung' : l.depositFor ? (gvReturn ? 'PfandRueckzahlung' : 'Pfand') : 'Umsatz';
  const line: Row = {
    BON_ID: bonId, POS_ZEILE: String(pos), GUTSCHEIN_NR: null, ARTIKELTEXT: l.name, POS_TERMINAL_ID: null, GV_TYP: gv, GV_NAME: null, INHAUS: 0, P_STORNO: 0, AGENTUR_ID: 0,
    ART_NR: l.itemId, GTIN: GTIN.test(l.code) ? l.code : null, WARENGR_ID: l.departmentId, WARENGR: null, MENGE: l.quantity, FAKTOR: 1, EINHEIT: l.unit, STK_BR: { units: l.unitPrice, scale: 2 },
  };
  const lineVat: Row = { BON_ID: bonId, POS_ZEILE: String(pos), UST_SCHLUESSEL: key, POS_BRUTTO: money(l.total), POS_NETTO: money(l.total - vat), POS_UST: money(vat) };
  return { line, lineVat, key };
}

/** A receipt's VAT per key; `untaxed` (gift cards, key 5) added to the 0 % row or as one of its own. */
function vatRows(bonId: string, rows: readonly VatRow[], sign: 1 | -1, untaxed = 0): Row[] {
  const all = rows.map((v) => ({ rate: v.rate, gross: sign * v.gross, net: sign * v.net, vat: sign * v.vat }));
  if (untaxed !== 0) {
    const zero = all.find((v) => v.rate === 0);
    if (zero) {
      zero.gross += untaxed;
      zero.net += untaxed;
    } else all.push({ rate: 0, gross: untaxed, net: untaxed, vat: 0 });
  }
  return all.map((v) => ({ BON_ID: bonId, UST_SCHLUESSEL: vatKey(v.rate), BON_BRUTTO: money(v.gross), BON_NETTO: money(v.net), BON_UST: money(v.vat) }));
}

type Card = { amount: number; code: string | null | undefined };

/** A gift card as DSFinV-K books a multi-purpose voucher: its card number masked (it is a bearer's money), the last four digits shown. */
const cardNumber = (code: string | null | undefined) => (code ? `${'*'.repeat(Math.max(0, code.length - 4))}${code.slice(-4)}` : null);

/**
 * A receipt's own positions followed by its gift cards' (multi-purpose vouchers,
 * Mehrzweckgutscheine): a card redeemed is `MehrzweckgutscheinEinloesung` (negative), a card
 * credited in a return `MehrzweckgutscheinKauf` (positive) — not taxable (key 5), and no payment
 * (the TSE's process data books them alike, core/fiscal/tse/process-data.ts).
 */
function withVouchers(bonId: string, own: { lines: Row[]; linesVat: Row[]; itemAmounts: Row[] }, cards: readonly Card[]) {
  const out = { lines: [...own.lines], linesVat: [...own.linesVat], itemAmounts: own.itemAmounts };
  for (const c of cards) {
    const pos = String(out.lines.length + 1);
    const gv = c.amount < 0 ? 'MehrzweckgutscheinEinloesung' : 'MehrzweckgutscheinKauf';
    out.lines.push({
      BON_ID: bonId, POS_ZEILE: pos, GUTSCHEIN_NR: cardNumber(c.code), ARTIKELTEXT: 'Gutschein', POS_TERMINAL_ID: null, GV_TYP: gv, GV_NAME: null, INHAUS: 0, P_STORNO: 0, AGENTUR_ID: 0,
      ART_NR: gv, GTIN: null, WARENGR_ID: null, WARENGR: null, MENGE: { units: 1, scale: 0 }, FAKTOR: 1, EINHEIT: 'Stück', STK_BR: money(c.amount),
    });
    out.linesVat.push({ BON_ID: bonId, POS_ZEILE: pos, UST_SCHLUESSEL: vatKey(0), POS_BRUTTO: money(c.amount), POS_NETTO: money(c.amount), POS_UST: money(0) });
  }
  return out;
}

/** DSFinV-K's payment types (ZAHLART_TYP, Anhang D), spelled as the spec does; Kassa books Bar, Unbar and Keine. */
export const ZAHLART_TYP = ['Bar', 'Unbar', 'Keine', 'ECKarte', 'Kreditkarte', 'ElZahlungsdienstleister', 'Guthabenkarte'] as const;
type ZahlartTyp = (typeof ZAHLART_TYP)[number];

const PAYMENT: Record<string, { typ: ZahlartTyp; name: string | null }> = { cash: { typ: 'Bar', name: 'Bar' }, card: { typ: 'Unbar', name: 'Karte' }, none: { typ: 'Keine', name: null } };

/**
 * Payments by kind (cash net of change), amounts summed per kind, zeros left out; a gift card is no
 * payment (a position, withVouchers). A receipt settled by gift cards alone pays with ZAHLART_TYP
 * `Keine`, 0,00 ("vollständig mit Ein- oder Mehrzweckgutschein bezahlte Leistung", DSFinV-K 2.4
 * Anhang D; example V_2_3_03), so every receipt that counts has a payment and Z_Zahlart its `Keine` row.
 */
function paymentRows(bonId: string, parts: ReadonlyArray<{ kind: string; amount: number }>, currency: string): Row[] {
  const sum = new Map<string, number>();
  for (const p of parts) if (p.kind !== 'voucher') sum.set(p.kind, (sum.get(p.kind) ?? 0) + p.amount);
  const paid = [...sum].filter(([, a]) => a !== 0);
  if (paid.length === 0 && parts.some((p) => p.kind === 'voucher')) paid.push(['none', 0]);
  return paid.map(([kind, amount]) => {
    const p = PAYMENT[kind] ?? { typ: 'Unbar', name: kind };
    return { BON_ID: bonId, ZAHLART_TYP: p.typ, ZAHLART_NAME: p.name, ZAHLWAEH_CODE: currency, ZAHLWAEH_BETRAG: money(amount), BASISWAEH_BETRAG: money(amount) };
  });
}

function tseRow(bonId: string, ctx: Context, fallbackError: string): Row {
  const t = ctx.tse(bonId);
  const empty = { TSE_ID: null, TSE_TANR: null, TSE_TA_START: null, TSE_TA_ENDE: null, TSE_TA_VORGANGSART: null, TSE_TA_SIGZ: null, TSE_TA_SIG: null, TSE_VORGANGSDATEN: null };
  if (!t) return { BON_ID: bonId, ...empty, TSE_TA_FEHLER: fallbackError };
  if (t.signature && t.tse_serial) {
    return {
      BON_ID: bonId, TSE_ID: ctx.tseId(t.tse_serial), TSE_TANR: t.transaction_number, TSE_TA_START: t.start_time, TSE_TA_ENDE: t.end_time, TSE_TA_VORGANGSART: t.process_type,
      TSE_TA_SIGZ: t.signature_counter, TSE_TA_SIG: t.signature, TSE_TA_FEHLER: null, TSE_VORGANGSDATEN: t.process_data,
    };
  }
  const aborted = t.aborted_at ? `; TSE-Transaktion ${t.transaction_number} am ${t.aborted_at} als AVBelegabbruch beendet` : '';
  return { BON_ID: bonId, ...empty, TSE_TANR: t.transaction_number, TSE_TA_START: t.start_time, TSE_TA_FEHLER: `TSE ausgefallen: ${t.outage_reason ?? 'unbekannt'}${aborted}`.slice(0, 200), TSE_VORGANGSDATEN: t.process_data || null };
}

/**
 * A receipt's head. BON_NR (mandatory, Anhang G) is the number the receipt is known by: a sale's or
 * return's the lane's sale number printed on it; a receipt that has none (a cash movement, a basket
 * aborted or parked) the till's journal sequence number of its entry — unique and increasing per
 * till, and the entry an auditor finds it by. The two counters may share a value; BON_ID is the key.
 */
function head(bonId: string, nr: number, typ: string, name: string | null, lane: string, start: string, end: string, operator: string | null, gross: number): Row {
  return {
    BON_ID: bonId, BON_NR: nr, BON_TYP: typ, BON_NAME: name, TERMINAL_ID: lane, BON_STORNO: 0, BON_START: start, BON_ENDE: end, BEDIENER_ID: operator, BEDIENER_NAME: null, UMS_BRUTTO: money(gross),
    KUNDE_NAME: null, KUNDE_ID: null, KUNDE_TYP: null, KUNDE_STRASSE: null, KUNDE_PLZ: null, KUNDE_ORT: null, KUNDE_LAND: null, KUNDE_USTID: null, BON_NOTIZ: null,
  };
}

function soldLines(bonId: string, lines: readonly Line[]) {
  const out = { lines: [] as Row[], linesVat: [] as Row[], itemAmounts: [] as Row[] };
  let pos = 0;
  for (const l of lines) {
    if (l.voided) continue;
    pos++;
    const quantity: Scaled = l.unit === 'weight' && l.weightGrams !== null ? { units: l.weightGrams, scale: 3 } : { units: l.quantity, scale: 0 };
    const r = lineRows(bonId, pos, { ...l, quantity, unit: l.unit === 'weight' ? 'kg' : 'Stück' }, false);
    out.lines.push(r.line);
    out.linesVat.push(r.lineVat);
    const discount = l.grossTotal - l.total;
    if (discount !== 0) {
      const baseVat = vatOfGross(l.grossTotal, l.vatRate);
      const dVat = vatOfGross(-discount, l.vatRate);
      out.itemAmounts.push({ BON_ID: bonId, POS_ZEILE: String(pos), TYP: 'base_amount', UST_SCHLUESSEL: r.key, PF_BRUTTO: money(l.grossTotal), PF_NETTO: money(l.grossTotal - baseVat), PF_UST: money(baseVat) });
      out.itemAmounts.push({ BON_ID: bonId, POS_ZEILE: String(pos), TYP: 'discount', UST_SCHLUESSEL: r.key, PF_BRUTTO: money(-discount), PF_NETTO: money(-discount - dVat), PF_UST: money(dVat) });
    }
  }
  return out;
}

function returnedLines(bonId: string, lines: readonly ReturnedLine[]) {
  const out = { lines: [] as Row[], linesVat: [] as Row[], itemAmounts: [] as Row[] };
  lines.forEach((l, i) => {
    const unitPrice = l.quantity ? Math.round(l.amount / l.quantity) : l.amount;
    const r = lineRows(bonId, i + 1, { name: l.name, itemId: l.itemId, code: '', departmentId: '', depositFor: l.depositFor, vatRate: l.vatRate, total: -l.amount, quantity: { units: -l.quantity, scale: 0 }, unit: 'Stück', unitPrice }, true);
    out.lines.push(r.line);
    out.linesVat.push(r.lineVat);
  });
  return out;
}

/** What a cash movement's entry moved: its kind, id, amount in the drawer (negative out), why and who. */
function transferOf(e: TransferEntry): { kind: TransferKind; id: string; cash: number; reason: string | null; operator: string | null } {
  switch (e.kind) {
    case 'till.opened':
      return { kind: 'float', id: e.body.sessionId, cash: e.body.floatTotal, reason: null, operator: e.body.operator };
    case 'cash.difference':
      return { kind: 'difference', id: e.body.differenceId, cash: e.body.amount, reason: null, operator: e.body.operator };
    default: {
      const kind = e.kind.slice('cash.'.length) as TransferKind;
      return { kind, id: e.ref!, cash: drawerAmount(kind, e.body.amount), reason: e.body.reason, operator: e.body.operator };
    }
  }
}

/**
 * A cash movement as a `Beleg` (DSFinV-K 2.4 Anhang F, example V_2_3_06): one position of its business case (Anfangsbestand,
 * Einzahlung, Auszahlung, Geldtransit, Privatentnahme, Privateinlage, DifferenzSollIst), not
 * taxable (key 5), paid `Bar` — positive into the drawer, negative out of it.
 */
function transferRows(e: TransferEntry, ctx: Context): ReceiptRows {
  const t = transferOf(e);
  const gv = TRANSFER[t.kind].gv;
  const line: Row = {
    BON_ID: t.id, POS_ZEILE: '1', GUTSCHEIN_NR: null, ARTIKELTEXT: t.reason ?? gv, POS_TERMINAL_ID: null, GV_TYP: gv, GV_NAME: null, INHAUS: 0, P_STORNO: 0, AGENTUR_ID: 0,
    ART_NR: gv, GTIN: null, WARENGR_ID: null, WARENGR: null, MENGE: { units: 1, scale: 0 }, FAKTOR: 1, EINHEIT: 'Stück', STK_BR: money(t.cash),
  };
  const key = vatKey(0);
  return {
    head: head(t.id, e.seq, 'Beleg', gv, ctx.laneId ?? '', e.at, e.at, t.operator, t.cash),
    lines: [line],
    linesVat: [{ BON_ID: t.id, POS_ZEILE: '1', UST_SCHLUESSEL: key, POS_BRUTTO: money(t.cash), POS_NETTO: money(t.cash), POS_UST: money(0) }],
    itemAmounts: [],
    vat: [{ BON_ID: t.id, UST_SCHLUESSEL: key, BON_BRUTTO: money(t.cash), BON_NETTO: money(t.cash), BON_UST: money(0) }],
    payments: paymentRows(t.id, [{ kind: 'cash', amount: t.cash }], ctx.currency),
    references: [],
    tse: tseRow(t.id, ctx, 'nicht signiert'),
    counts: true,
  };
}

/** The rows of one journalled receipt. */
export function receiptRows(e: ReceiptEntry, ctx: Context): ReceiptRows {
  const none = { vat: [] as Row[], payments: [] as Row[], references: [] as Row[] };
  switch (e.kind) {
    case 'sale.completed':
    case 'sale.training': {
      const s = e.body;
      const typ = e.kind === 'sale.training' ? 'AVTraining' : 'Beleg';
      const cards = s.tenders.filter((t) => t.kind === 'voucher').map((t) => ({ amount: -t.amount, code: t.voucherCode }));
      const redeemed = cards.reduce((a, c) => a + c.amount, 0);
      return {
        head: head(s.saleId, s.sequence ?? e.seq, typ, null, s.laneId, s.startedAt, s.completedAt, s.operator, s.totals.due + redeemed),
        ...withVouchers(s.saleId, soldLines(s.saleId, s.lines), cards),
        vat: vatRows(s.saleId, s.totals.vat, 1, redeemed),
        payments: paymentRows(s.saleId, tendersKept(s), s.currency),
        references: [],
        tse: tseRow(s.saleId, ctx, 'nicht signiert'),
        counts: typ === 'Beleg',
      };
    }
    case 'sale.return': {
      const r = e.body;
      const orig = r.originalSaleId ? ctx.original(r.originalSaleId) : undefined;
      const gross = r.lines.reduce((a, l) => a + l.amount, 0);
      const cards = r.refunds.filter((p) => p.kind === 'voucher').map((p) => ({ amount: p.amount, code: p.creditedTo ?? p.voucherCode }));
      const credited = cards.reduce((a, c) => a + c.amount, 0);
      const ref: Row[] = r.originalSaleId
        ? [{ BON_ID: r.saleId, POS_ZEILE: null, REF_TYP: 'Transaktion', REF_NAME: null, REF_DATUM: orig?.zClosedAt ?? null, REF_Z_KASSE_ID: orig?.zNumber ? ctx.clientId : null, REF_Z_NR: orig?.zNumber ?? null, REF_BON_ID: r.originalSaleId }]
        : [];
      return {
        head: head(r.saleId, r.sequence, 'Beleg', 'Rückgabe', r.laneId, r.completedAt, r.completedAt, r.operator, -gross + credited),
        ...withVouchers(r.saleId, returnedLines(r.saleId, r.lines), cards),
        vat: vatRows(r.saleId, r.vat, -1, credited),
        payments: paymentRows(r.saleId, r.refunds.map((p) => ({ kind: p.kind, amount: -p.amount })), r.currency),
        references: ref,
        tse: tseRow(r.saleId, ctx, 'nicht signiert'),
        counts: true,
      };
    }
    case 'sale.cancelled':
    case 'sale.abandoned': {
      const c = e.body;
      return {
        head: head(c.saleId, e.seq, 'AVBelegabbruch', e.kind === 'sale.cancelled' ? 'Abbruch' : 'Verlassen', c.lane, e.at, e.at, c.operator, c.totals.total),
        ...soldLines(c.saleId, c.lines),
        ...none,
        vat: vatRows(c.saleId, c.totals.vat, 1),
        tse: tseRow(c.saleId, ctx, 'vor der Zahlung abgebrochen, nicht an die TSE übergeben'),
        counts: false,
      };
    }
    case 'till.opened':
    case 'cash.paidIn':
    case 'cash.paidOut':
    case 'cash.pickup':
    case 'cash.privateWithdrawal':
    case 'cash.privateDeposit':
    case 'cash.difference':
      return transferRows(e, ctx);
    case 'sale.suspended': {
      // A parked basket: its transaction was finished as aborted; taken up again, it is a new sale with a transaction of its own.
      const p = e.body;
      return {
        head: head(p.saleId, e.seq, 'AVBelegabbruch', 'Geparkt', p.lane, e.at, e.at, p.operator, p.totals?.total ?? p.total),
        ...soldLines(p.saleId, p.lines ?? []),
        ...none,
        vat: vatRows(p.saleId, p.totals?.vat ?? [], 1),
        tse: tseRow(p.saleId, ctx, 'geparkt, nicht an die TSE übergeben'),
        counts: false,
      };
    }
  }
}
