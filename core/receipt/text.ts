/** Plain-text receipt, 42 columns (the width of an 80 mm printer's font A). */
import type { Line, Profile, Tender, Totals, VatRow } from '../../protocol/terminal';
import { formatMoney, plainText } from '../../common/money';
import { giftCardLeftLine, giftCardRefundLines, type RefundShown } from './gift-card';
import { vatLetter } from '../markets/receipt';
import { tseBlock, type TseMark } from './tse-block';
import { seFooter, seHeader, type SeMark } from './se-block';

export interface SaleRecord {
  saleId: string;
  /** null for a training sale */
  sequence: number | null;
  training: boolean;
  storeId: string;
  storeName: string;
  laneId: string;
  operator: string | null;
  startedAt: string;
  completedAt: string;
  businessDate: string;
  currency: Profile['currency'];
  lines: Line[];
  tenders: Tender[];
  totals: Totals;
  /** Germany: what the TSE signed, or the outage the sale was sold in (core/fiscal/tse/till.ts). */
  tse?: TseMark;
  /** Sweden: the receipt's registration with the control unit (core/fiscal/control-unit/till.ts). */
  se?: SeMark;
}

export const RECEIPT_WIDTH = 42;

const WORDS = {
  sv: { total: 'TOTALT', rounding: 'Öresavrundning', cash: 'Kontant', change: 'Växel', vat: 'Moms', net: 'Netto', gross: 'Brutto', sale: 'Kvitto', lane: 'Kassa', cashier: 'Kassör', items: 'Antal varor', thanks: 'Tack för ditt köp!', deposit: 'Pant', card: 'Kort', voucher: 'Presentkort', auth: 'Auktorisation', journal: 'Journal', sig: 'Sign.', unsigned: 'EJ SIGNERAD', outage: 'SIGNERINGSENHET UR FUNKTION', returnTitle: 'RETUR', original: 'Ursprungligt kvitto', reason: 'Orsak', subtotal: 'Summa', saved: 'Du sparade', training: '*** ÖVNING - INGET KÖP ***', parked: 'PARKERAT KÖP', parkedHow: 'Skanna lappen i kassan för att fortsätta', payout: 'Att betala ut kontant' },
  de: { total: 'SUMME', rounding: 'Rundung', cash: 'Bar', change: 'Rückgeld', vat: 'MwSt', net: 'Netto', gross: 'Brutto', sale: 'Beleg', lane: 'Kasse', cashier: 'Kassierer', items: 'Artikel', thanks: 'Vielen Dank für Ihren Einkauf!', deposit: 'Pfand', card: 'Karte', voucher: 'Gutschein', auth: 'Autorisierung', journal: 'Journal', sig: 'Sig.', unsigned: 'NICHT SIGNIERT', outage: 'SICHERHEITSEINRICHTUNG AUSGEFALLEN', returnTitle: 'RÜCKGABE', original: 'Ursprünglicher Beleg', reason: 'Grund', subtotal: 'Summe Artikel', saved: 'Sie sparen', training: '*** TRAINING - KEIN VERKAUF ***', parked: 'GEPARKTER EINKAUF', parkedHow: 'Zum Fortsetzen an der Kasse scannen', payout: 'Auszahlung bar' },
  en: { total: 'TOTAL', rounding: 'Rounding', cash: 'Cash', change: 'Change', vat: 'VAT', net: 'Net', gross: 'Gross', sale: 'Receipt', lane: 'Lane', cashier: 'Cashier', items: 'Items', thanks: 'Thank you for shopping with us!', deposit: 'Deposit', card: 'Card', voucher: 'Gift card', auth: 'Authorisation', journal: 'Journal', sig: 'Sig.', unsigned: 'NOT SIGNED', outage: 'SIGNING UNIT OUT OF SERVICE', returnTitle: 'RETURN', original: 'Original receipt', reason: 'Reason', subtotal: 'Subtotal', saved: 'You saved', training: '*** TRAINING - NO SALE ***', parked: 'PARKED BASKET', parkedHow: 'Scan this slip at a till to go on', payout: 'To pay out in cash' },
  da: { total: 'I ALT', rounding: 'Øreafrunding', cash: 'Kontant', change: 'Byttepenge', vat: 'Moms', net: 'Netto', gross: 'Brutto', sale: 'Bon', lane: 'Kasse', cashier: 'Ekspedient', items: 'Antal varer', thanks: 'Tak for dit køb!', deposit: 'Pant', card: 'Kort', voucher: 'Gavekort', auth: 'Autorisation', journal: 'Journal', sig: 'Sign.', unsigned: 'IKKE SIGNERET', outage: 'SIGNERINGSENHED UDE AF DRIFT', returnTitle: 'RETUR', original: 'Oprindelig bon', reason: 'Årsag', subtotal: 'Subtotal', saved: 'Du sparede', training: '*** TRÆNING - INTET KØB ***', parked: 'PARKERET KØB', parkedHow: 'Scan sedlen ved en kasse for at fortsætte', payout: 'Udbetales kontant' },
  nb: { total: 'TOTALT', rounding: 'Øreavrunding', cash: 'Kontant', change: 'Veksel', vat: 'MVA', net: 'Netto', gross: 'Brutto', sale: 'Kvittering', lane: 'Kasse', cashier: 'Kasserer', items: 'Antall varer', thanks: 'Takk for handelen!', deposit: 'Pant', card: 'Kort', voucher: 'Gavekort', auth: 'Autorisasjon', journal: 'Journal', sig: 'Sign.', unsigned: 'IKKE SIGNERT', outage: 'SIGNERINGSENHET UTE AV DRIFT', returnTitle: 'RETUR', original: 'Opprinnelig kvittering', reason: 'Årsak', subtotal: 'Sum varer', saved: 'Du sparte', training: '*** TRENING - IKKE KVITTERING FOR KJØP ***', parked: 'PARKERT KJØP', parkedHow: 'Skann lappen i en kasse for å fortsette', payout: 'Til utbetaling kontant' },
  fi: { total: 'YHTEENSÄ', rounding: 'Pyöristys', cash: 'Käteinen', change: 'Vaihtoraha', vat: 'ALV', net: 'Veroton', gross: 'Verollinen', sale: 'Kuitti', lane: 'Kassa', cashier: 'Myyjä', items: 'Tuotteita', thanks: 'Kiitos ostoksestasi!', deposit: 'Pantti', card: 'Kortti', voucher: 'Lahjakortti', auth: 'Valtuutus', journal: 'Loki', sig: 'Allek.', unsigned: 'EI ALLEKIRJOITETTU', outage: 'ALLEKIRJOITUSYKSIKKÖ EPÄKUNNOSSA', returnTitle: 'PALAUTUS', original: 'Alkuperäinen kuitti', reason: 'Syy', subtotal: 'Välisumma', saved: 'Säästit', training: '*** HARJOITUS - EI OSTOA ***', parked: 'PYSÄKÖITY OSTOS', parkedHow: 'Jatka skannaamalla lappu kassalla', payout: 'Maksetaan käteisenä' },
} as const;

/** Receipt text stays printable on any printer code page: ASCII minus, plain spaces, three dots (never '…', which prints as '?'). */
/** "Training — no purchase" in the store's language, as the training terminal names its payments. */
export function trainingWords(profile: Profile): string {
  return WORDS[profile.receiptLang].training.replace(/\*/g, '').trim();
}

// Intl formatters are expensive to build; keep one per locale and kind.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function kgFormat(locale: string): Intl.NumberFormat {
  const key = `${locale}|kg`;
  let f = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
    formatters.set(key, f);
  }
  return f;
}
/** Hours and minutes as the store's clock shows them (its time zone, never the process's). */
function timeFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|time`;
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** An amount as the store's receipts and printed reports write it (no currency sign: the totals line names it). */
export function receiptMoney(minor: number, profile: Profile): string {
  return formatMoney(minor, profile.locale, { plain: true });
}
const money = receiptMoney;

/** The receipt's words in the store's language (printed reports share them). */
export function receiptWords(profile: Profile): (typeof WORDS)[keyof typeof WORDS] {
  return WORDS[profile.receiptLang];
}

/** How a tender kind is printed: "Kontant", "Karte"; an unknown kind as it is. */
export function tenderWord(kind: string, profile: Profile): string {
  const w = WORDS[profile.receiptLang];
  return kind === 'cash' ? w.cash : kind === 'card' ? w.card : kind === 'voucher' ? w.voucher : kind;
}

/** One 42-column line: the left text (cut short if it must) and the right one flush right. */
export function row(left: string, right: string): string {
  const space = RECEIPT_WIDTH - right.length - 1;
  const l = left.length > space ? left.slice(0, space) : left;
  return l + ' '.repeat(RECEIPT_WIDTH - l.length - right.length) + right;
}

export function center(text: string): string {
  const t = text.slice(0, RECEIPT_WIDTH);
  return ' '.repeat(Math.floor((RECEIPT_WIDTH - t.length) / 2)) + t;
}

export interface FiscalMark {
  journalSeq: number;
  hash: string;
  signature: string | null;
  /** The signer was out when this sale was journalled. */
  outage: boolean;
}

/** Verification data for the receipt's QR code: lane, journal entry, hash and signature. */
export function receiptQrPayload(sale: SaleRecord, f: FiscalMark): string {
  return ['KASSA1', sale.storeId, sale.laneId, f.journalSeq, sale.sequence ?? 'T', sale.completedAt, sale.totals.due, f.hash, f.signature ?? 'UNSIGNED'].join('|');
}

/** The VAT table: rate, VAT, net, gross per rate (one layout for sales and returns). */
function vatRows(vat: readonly VatRow[], profile: Profile, w: (typeof WORDS)[keyof typeof WORDS]): string[] {
  const out = [row(`${w.vat} %`, `${w.vat}      ${w.net}     ${w.gross}`)];
  for (const v of vat) {
    // A rate is in hundredths of a percent: written with two decimals, like an amount.
    const pct = `${vatLetter(profile, v.rate)} ${v.rate % 100 === 0 ? v.rate / 100 : formatMoney(v.rate, profile.locale, { plain: true })} %`.trim();
    out.push(row(pct, `${money(v.vat, profile).padStart(8)} ${money(v.net, profile).padStart(9)} ${money(v.gross, profile).padStart(9)}`));
  }
  return out;
}

/** `header`: the market's legal lines under the store's name (core/markets/receipt.ts). */
export function renderReceipt(sale: SaleRecord, profile: Profile, fiscal?: FiscalMark, header: readonly string[] = []): string {
  const w = WORDS[profile.receiptLang];
  const out: string[] = [];
  const rule = '-'.repeat(RECEIPT_WIDTH);
  // Said in the store's language: a training receipt is no proof of purchase.
  const training = w.training;
  if (sale.training) out.push(center(training));
  // Sweden with a control unit: the registered company, address and organisation number stand where the market's legal lines would.
  out.push(center(sale.storeName), ...(sale.se ? seHeader(sale.se).map((l) => (l.startsWith('[') ? l : center(l))) : header.map(center)));
  out.push(center(sale.sequence !== null ? `${w.lane} ${sale.laneId}  ${w.sale} ${sale.sequence}` : `${w.lane} ${sale.laneId}`));
  const when = new Date(sale.completedAt);
  out.push(center(`${sale.businessDate} ${timeFormat(profile.locale, profile.timeZone).format(when)}`));
  if (sale.operator) out.push(center(`${w.cashier} ${sale.operator}`));
  out.push(rule);
  for (const l of sale.lines) {
    if (l.voided) continue;
    const name = l.depositFor ? `  ${l.name}` : l.name;
    // The line at its price before discounts, then each discount under it: the customer reads why it costs less.
    // The amount with its VAT letter, when the market marks rates with letters.
    out.push(row(name, `${money(l.grossTotal, profile)} ${vatLetter(profile, l.vatRate)}`.trimEnd()));
    if (l.unit === 'weight' && l.weightGrams !== null) {
      const kg = plainText(kgFormat(profile.locale).format(l.weightGrams / 1000));
      out.push(`  ${kg} kg x ${money(l.unitPrice, profile)}/kg`);
    } else if (l.quantity !== 1) {
      out.push(`  ${l.quantity} x ${money(l.unitPrice, profile)}`);
    }
    // Under the amount, not under its VAT letter.
    for (const d of l.discounts) if (d.amount !== 0) out.push(row(`  ${d.text}`, `${money(-d.amount, profile)}  `));
  }
  out.push(rule);
  const t = sale.totals;
  out.push(row(`${w.items} ${t.itemCount}`, ''));
  if (t.rounding !== 0) {
    out.push(row(w.subtotal, money(t.total, profile)));
    out.push(row(w.rounding, money(t.rounding, profile)));
  }
  out.push(row(`${w.total} ${sale.currency}`, money(t.due, profile)));
  for (const tender of sale.tenders) {
    // Empties worth more than the purchase: the drawer paid the difference out (a negative cash tender).
    if (tender.kind === 'cash' && tender.amount < 0) {
      out.push(row(w.payout, money(-tender.amount, profile)));
      continue;
    }
    const label = tender.kind === 'cash' ? w.cash : tender.kind === 'voucher' ? `${w.voucher} ...${(tender.voucherCode ?? '').slice(-4)}` : `${w.card} ${tender.card?.brand ?? ''} ${tender.card?.maskedPan.slice(-8) ?? ''}`.trim();
    out.push(row(label, money(tender.amount, profile)));
    if (tender.card) out.push(`  ${w.auth} ${tender.card.authCode}  ${tender.card.terminalRef}`);
    if (tender.voucherLeft !== undefined) out.push(giftCardLeftLine(tender.voucherLeft, profile, { row, money }));
  }
  if (t.payout === undefined) out.push(row(w.change, money(t.change, profile)));
  // What the promotions, member prices and discounts took off, together.
  if (t.discounts > 0) out.push(rule, row(w.saved, money(t.discounts, profile)));
  // The payment terminal's receipt, as it printed it.
  for (const tender of sale.tenders) {
    if (!tender.card?.receiptLines?.length) continue;
    out.push(rule);
    for (const l of tender.card.receiptLines) out.push(l.slice(0, 42));
  }
  out.push(rule, ...vatRows(t.vat, profile, w));
  if (sale.tse) out.push(rule, ...tseBlock(sale.tse, RECEIPT_WIDTH));
  if (sale.se) out.push(rule, ...seFooter(sale.se, t.vat, RECEIPT_WIDTH, (m) => money(m, profile), row));
  out.push(rule, center(w.thanks), center(sale.saleId));
  if (fiscal) {
    out.push(row(`${w.journal} ${fiscal.journalSeq}`, fiscal.signature ? `${w.sig} ${fiscal.signature.slice(0, 12)}...` : w.unsigned));
    if (fiscal.outage) out.push(center(w.outage));
    out.push(`[QR] ${receiptQrPayload(sale, fiscal)}`);
    // Receipt barcode (Code 128) for returns: R + the sale id without dashes.
    out.push(`[BARCODE] R${sale.saleId.replace(/-/g, '')}`);
  }
  if (sale.training) out.push(center(training));
  return out.join('\n') + '\n';
}

/** The slip a parked basket is printed on: what it holds and the codes that resume it. */
export function renderSlip(s: { storeName: string; laneId: string; items: number; total: number; barcode: string; qr: string }, profile: Profile): string {
  const w = WORDS[profile.receiptLang];
  return (
    [
      center(w.parked),
      center(s.storeName),
      center(`${w.lane} ${s.laneId}`),
      '-'.repeat(RECEIPT_WIDTH),
      row(`${w.items} ${s.items}`, `${money(s.total, profile)} ${profile.currency}`),
      '-'.repeat(RECEIPT_WIDTH),
      center(w.parkedHow),
      `[BARCODE] ${s.barcode}`,
      `[QR] ${s.qr}`,
    ].join('\n') + '\n'
  );
}

export interface ReturnReceipt {
  returnId: string;
  sequence: number;
  originalSequence: number | null;
  storeName: string;
  laneId: string;
  operator: string | null;
  completedAt: string;
  businessDate: string;
  currency: string;
  lines: Array<{ name: string; quantity: number; amount: number; depositFor: string | null }>;
  /** Gift card parts name the card credited and its balance after (receipt/gift-card.ts). */
  refunds: readonly RefundShown[];
  rounding: number;
  /** VAT of the refunded amounts per rate (positive; printed negated). */
  vat: readonly VatRow[];
  reason: string;
  /** Germany: the TSE's signature of the return, or its outage. */
  tse?: TseMark;
  /** Sweden: the return receipt's registration with the control unit. */
  se?: SeMark;
}

/** Plain-text return (credit) receipt. */
export function renderReturnReceipt(r: ReturnReceipt, profile: Profile): string {
  const w = WORDS[profile.receiptLang];
  const rule = '-'.repeat(RECEIPT_WIDTH);
  const out = [center(r.storeName), ...(r.se ? seHeader(r.se).map(center) : []), center(`${w.lane} ${r.laneId}  ${w.sale} ${r.sequence}`), center(`*** ${w.returnTitle} ***`)];
  out.push(center(`${r.businessDate} ${timeFormat(profile.locale, profile.timeZone).format(new Date(r.completedAt))}`));
  if (r.originalSequence !== null) out.push(center(`${w.original} ${r.originalSequence}`));
  out.push(rule);
  for (const l of r.lines) out.push(row(`${l.depositFor ? '  ' : ''}${l.quantity} x ${l.name}`, money(-l.amount, profile)));
  out.push(rule);
  if (r.rounding !== 0) out.push(row(w.rounding, money(-r.rounding, profile)));
  for (const p of r.refunds) if (p.kind !== 'voucher') out.push(row(p.kind === 'cash' ? w.cash : w.card, money(-p.amount, profile)));
  out.push(...giftCardRefundLines(r.refunds, profile, { row, money }));
  out.push(rule, ...vatRows(r.vat.map((v) => ({ ...v, vat: -v.vat, net: -v.net, gross: -v.gross })), profile, w));
  out.push(rule, row(w.reason, r.reason.slice(0, 30)), rule);
  if (r.tse) out.push(...tseBlock(r.tse, RECEIPT_WIDTH), rule);
  if (r.se) out.push(...seFooter(r.se, r.vat.map((v) => ({ ...v, vat: -v.vat })), RECEIPT_WIDTH, (m) => money(m, profile), row), rule);
  return out.join('\n') + '\n';
}
