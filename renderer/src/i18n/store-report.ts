/** The store report ("X for the whole store", issue 19): every lane's day from this till's copies, in each language (part of the message catalogue as `t.storeReport`). */

export interface StoreReportMessages {
  /** The menu item and the report's title. */
  title: string;
  /** Under the title: {date} the business date, {at} when it was made. */
  subtitle: string;
  lane: string;
  sales: string;
  returns: string;
  net: string;
  tenders: string;
  /** How many sales or returns: {n} (plural forms). */
  count: { one: string; other: string };
  /** This till's own figures (always current). */
  thisTill: string;
  /** {at}: when this till last heard from the lane. */
  heard: string;
  /** Never heard from the lane. */
  neverHeard: string;
  /** A lane of the store with nothing of the day held here. */
  noneHeld: string;
  /** The store's total row. */
  total: string;
  /** Under the table: what the figures are made of. */
  note: string;
  /** The day before / after the one shown. */
  previousDay: string;
  nextDay: string;
  /** Print it on the receipt printer. */
  print: string;
  /** What two lanes did to the same thing while apart: the heading, then each ({ref} receipt or slip, {item}, {sold}, {returned}, {lanes}). */
  conflicts: string;
  returnedTwice: string;
  resumedTwice: string;
}

export const STORE_REPORT_SV: StoreReportMessages = {
  title: 'Butiksrapport',
  subtitle: 'Affärsdag {date} · gjord {at}',
  lane: 'Kassa',
  sales: 'Köp',
  returns: 'Returer',
  net: 'Netto',
  tenders: 'Betalsätt',
  count: { one: '{n} kvitto', other: '{n} kvitton' },
  thisTill: 'den här kassan',
  heard: 'hörd {at}',
  neverHeard: 'aldrig hörd',
  noneHeld: 'inga köp här',
  total: 'Hela butiken',
  note: 'Från den här kassans köp och de kopior den har av butikens andra kassor, även utan HK.',
  previousDay: 'Föregående dag',
  nextDay: 'Nästa dag',
  print: 'Skriv ut',
  conflicts: 'Gjort två gånger medan kassorna inte såg varandra',
  returnedTwice: '{ref} · {item}: såld {sold}, returnerad {returned} (kassa {lanes})',
  resumedTwice: '{ref} · parkerad korg: upptagen på kassa {lanes}',
};

export const STORE_REPORT_DE: StoreReportMessages = {
  title: 'Filialbericht',
  subtitle: 'Geschäftstag {date} · erstellt {at}',
  lane: 'Kasse',
  sales: 'Verkäufe',
  returns: 'Rückgaben',
  net: 'Netto',
  tenders: 'Zahlarten',
  count: { one: '{n} Beleg', other: '{n} Belege' },
  thisTill: 'diese Kasse',
  heard: 'gehört {at}',
  neverHeard: 'nie gehört',
  noneHeld: 'keine Verkäufe hier',
  total: 'Ganze Filiale',
  note: 'Aus den Verkäufen dieser Kasse und ihren Kopien der anderen Kassen der Filiale, auch ohne Zentrale.',
  previousDay: 'Vortag',
  nextDay: 'Nächster Tag',
  print: 'Drucken',
  conflicts: 'Doppelt erledigt, während die Kassen sich nicht sahen',
  returnedTwice: '{ref} · {item}: verkauft {sold}, zurückgegeben {returned} (Kasse {lanes})',
  resumedTwice: '{ref} · geparkter Einkauf: fortgesetzt an Kasse {lanes}',
};

export const STORE_REPORT_EN: StoreReportMessages = {
  title: 'Store report',
  subtitle: 'Business day {date} · made {at}',
  lane: 'Lane',
  sales: 'Sales',
  returns: 'Returns',
  net: 'Net',
  tenders: 'Tenders',
  count: { one: '{n} receipt', other: '{n} receipts' },
  thisTill: 'this till',
  heard: 'heard {at}',
  neverHeard: 'never heard',
  noneHeld: 'no sales held',
  total: 'Whole store',
  note: 'From this till’s sales and its copies of the store’s other tills, HQ or not.',
  previousDay: 'Previous day',
  nextDay: 'Next day',
  print: 'Print',
  conflicts: 'Done twice while the tills could not see each other',
  returnedTwice: '{ref} · {item}: sold {sold}, returned {returned} (lanes {lanes})',
  resumedTwice: '{ref} · parked basket: taken up on lanes {lanes}',
};
