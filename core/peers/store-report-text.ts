/**
 * The store report (core/peers/store-day.ts) on the receipt printer: in the store's language, at the
 * store's time — each lane's sales, returns, net and tenders, how current the lane is as held here,
 * then the store's total; the same figures the lane screen shows.
 */
import type { Profile, StoreFigures, StoreReport } from '../../protocol/terminal';
import { plainText } from '../../common/money';
import { RECEIPT_WIDTH, receiptMoney, row, tenderWord } from '../receipt/text';

const WORDS = {
  sv: { title: 'BUTIKSRAPPORT (X, alla kassor)', day: 'Affärsdag', printed: 'Utskriven', lane: 'Kassa', self: 'denna kassa', heard: 'senast hörd', never: 'aldrig hörd', none: 'inga köp här', sales: 'Försäljning', returns: 'Returer', net: 'Netto', total: 'BUTIKEN TOTALT', note: 'Andra kassors siffror så långt denna kassa har dem.', conflicts: 'KONFLIKTER', basket: 'parkerad korg', returned: 'såld {sold}, returnerad {returned} (kassa {lanes})', resumed: 'upptagen på kassa {lanes}' },
  de: { title: 'FILIALBERICHT (X, alle Kassen)', day: 'Geschäftstag', printed: 'Gedruckt', lane: 'Kasse', self: 'diese Kasse', heard: 'zuletzt gehört', never: 'nie gehört', none: 'keine Verkäufe hier', sales: 'Umsatz', returns: 'Rückgaben', net: 'Netto', total: 'FILIALE GESAMT', note: 'Andere Kassen, soweit diese Kasse sie hat.', conflicts: 'KONFLIKTE', basket: 'geparkter Einkauf', returned: 'verkauft {sold}, zurückgegeben {returned} (Kasse {lanes})', resumed: 'fortgesetzt an Kasse {lanes}' },
  en: { title: 'STORE REPORT (X, all lanes)', day: 'Business day', printed: 'Printed', lane: 'Lane', self: 'this lane', heard: 'last heard', never: 'never heard', none: 'no sales here', sales: 'Sales', returns: 'Returns', net: 'Net', total: 'STORE TOTAL', note: 'Other lanes as far as this lane has them.', conflicts: 'CONFLICTS', basket: 'parked basket', returned: 'sold {sold}, returned {returned} (lane {lanes})', resumed: 'resumed on lane {lanes}' },
  da: { title: 'BUTIKSRAPPORT (X, alle kasser)', day: 'Forretningsdag', printed: 'Udskrevet', lane: 'Kasse', self: 'denne kasse', heard: 'sidst hørt', never: 'aldrig hørt', none: 'intet salg her', sales: 'Salg', returns: 'Returneringer', net: 'Netto', total: 'BUTIKKEN I ALT', note: 'Andre kassers tal, så vidt denne kasse har dem.', conflicts: 'KONFLIKTER', basket: 'parkeret kurv', returned: 'solgt {sold}, returneret {returned} (kasse {lanes})', resumed: 'genoptaget på kasse {lanes}' },
  nb: { title: 'BUTIKKRAPPORT (X, alle kasser)', day: 'Forretningsdag', printed: 'Skrevet ut', lane: 'Kasse', self: 'denne kassen', heard: 'sist hørt', never: 'aldri hørt', none: 'ingen salg her', sales: 'Salg', returns: 'Returer', net: 'Netto', total: 'BUTIKKEN TOTALT', note: 'Andre kassers tall så langt denne kassen har dem.', conflicts: 'KONFLIKTER', basket: 'parkert kurv', returned: 'solgt {sold}, returnert {returned} (kasse {lanes})', resumed: 'gjenopptatt på kasse {lanes}' },
  fi: { title: 'MYYMÄLÄRAPORTTI (X, kaikki kassat)', day: 'Liiketoimintapäivä', printed: 'Tulostettu', lane: 'Kassa', self: 'tämä kassa', heard: 'viimeksi kuultu', never: 'ei koskaan kuultu', none: 'ei myyntiä täällä', sales: 'Myynti', returns: 'Palautukset', net: 'Netto', total: 'MYYMÄLÄ YHTEENSÄ', note: 'Muiden kassojen luvut sikäli kuin tällä kassalla ne on.', conflicts: 'RISTIRIIDAT', basket: 'pysäköity ostoskori', returned: 'myyty {sold}, palautettu {returned} (kassa {lanes})', resumed: 'jatkettu kassalla {lanes}' },
} as const;

export function renderStoreReport(r: StoreReport, profile: Profile, storeName: string): string {
  const w = WORDS[profile.receiptLang];
  const money = (minor: number) => receiptMoney(minor, profile);
  const when = new Intl.DateTimeFormat(profile.locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: profile.timeZone });
  const rule = '-'.repeat(RECEIPT_WIDTH);
  const figures = (f: StoreFigures) => [
    row(`  ${w.sales} ${f.sales.count}`, money(f.sales.total)),
    row(`  ${w.returns} ${f.returns.count}`, money(-f.returns.amount)),
    row(`  ${w.net}`, money(f.net)),
    ...f.tenders.map((t) => row(`    ${tenderWord(t.kind, profile)}`, money(t.amount))),
  ];
  const out = [storeName, w.title, `${w.day} ${r.businessDate}`, `${w.printed} ${when.format(new Date(r.at))}`, rule];
  for (const l of r.lanes) {
    const current = l.self ? w.self : l.lastContact ? `${w.heard} ${when.format(new Date(l.lastContact))}` : w.never;
    out.push(`${w.lane} ${l.laneId} (${current})`, ...(l.figures ? figures(l.figures) : [`  ${w.none}`]));
  }
  out.push(rule, w.total, ...figures(r.total), rule);
  // What two lanes did to the same thing while they could not see each other (core/peers/conflicts.ts).
  if (r.conflicts.length) out.push(w.conflicts);
  for (const c of r.conflicts) {
    const fill = (t: string) => t.replace('{sold}', String(c.sold)).replace('{returned}', String(c.returned)).replace('{lanes}', c.lanes.join(', '));
    out.push(`${c.ref} ${c.kind === 'return' ? c.item : w.basket}:`, `  ${fill(c.kind === 'return' ? w.returned : w.resumed)}`);
  }
  if (r.conflicts.length) out.push(rule);
  out.push(w.note);
  return out.map(plainText).join('\n') + '\n';
}
