/** The service screen's market profile panel (issue 21), in each language; sv.ts, de.ts and en.ts take theirs under `market`. */
import type { Profile } from '../../../protocol/terminal';

export interface MarketMessages {
  title: string;
  country: string;
  countries: Record<Profile['country'], string>;
  currency: string;
  receipt: string;
  langs: Record<Profile['receiptLang'], string>;
  rounding: string;
  roundingNone: string;
  /** {unit}: the smallest cash amount. */
  roundingTo: string;
  vat: string;
  variable: string;
  variableNone: string;
  measures: Record<'price' | 'weight' | 'count', string>;
  /** {n} */
  decimals: string;
  /** The GS1 price/measure verifier digit over {n} digits. */
  verifier: string;
  deposit: string;
  depositItem: string;
  depositOwn: string;
  /** The lane's empties window (returnDeposit). */
  empties: { title: string; quantity: string; none: string };
  /** Empties worth more than the purchase: what the lane pays out, in cash only ({amount}). */
  payout: { label: string; title: string; cashOnly: string; staff: string };
  /** Germany: the Kassenmeldung panel (§146a Abs. 4 AO) — what the store reports of this till and its TSE. */
  meldung: {
    title: string;
    tseSerial: string;
    tseKey: string;
    tseCertificate: string;
    tseNoCertificate: string;
    tseSince: string;
    tillSerial: string;
    maker: string;
    software: string;
    tillSince: string;
    location: string;
    pending: string;
    exportHint: string;
  };
  /** Sweden: the control unit (SKVFS 2014:9) — the service screen's panel and the lane's window while the till cannot make receipts. */
  controlUnit: {
    title: string;
    device: string;
    tillId: string;
    state: string;
    states: Record<'ok' | 'outage' | 'unconfigured', string>;
    outageTitle: string;
    outageBody: string;
    /** What the cashier does, in order. */
    todo: string[];
    /** {s}: seconds between probes; {age}: how long it has been out. */
    waiting: string;
    unconfiguredTitle: string;
    unconfiguredBody: string;
    /** The button to the service screen (store IT). */
    service: string;
    /** A self-checkout while it may not sell: the customer's screen (no talk of control units), and the attendant's card. */
    kiosk: {
      title: string;
      body: string;
      /** A basket is open (not paid): its items wait here. */
      basket: string;
      /** The basket is paid: it is kept and completes once the kiosk can make receipts. */
      paid: string;
      /** The headline then: the customer waits here for the receipt (not sent to another checkout). */
      paidTitle: string;
      /** The attendant's card: {time} since when. */
      attOutage: string;
      attUnconfigured: string;
    };
  };
}

export const MARKET_SV: MarketMessages = {
  title: 'Marknad',
  country: 'Land',
  countries: { SE: 'Sverige', DE: 'Tyskland', DK: 'Danmark', NO: 'Norge', FI: 'Finland', GB: 'Storbritannien' },
  currency: 'Valuta och språk',
  receipt: 'Kvittospråk',
  langs: { sv: 'svenska', de: 'tyska', en: 'engelska', da: 'danska', nb: 'norska (bokmål)', fi: 'finska' },
  rounding: 'Kontantavrundning',
  roundingNone: 'ingen',
  roundingTo: 'till {unit}, bara kontant',
  vat: 'Moms',
  variable: 'Viktvarukoder',
  variableNone: 'inga (vanliga koder)',
  measures: { price: 'pris', weight: 'vikt', count: 'antal' },
  decimals: '{n} dec.',
  verifier: 'kontrollsiffra ({n})',
  deposit: 'Pantens moms',
  depositItem: 'som varan',
  depositOwn: 'pantens egen',
  empties: { title: 'Pantretur', quantity: 'Antal', none: 'Katalogen har ingen pant.' },
  payout: { label: 'Att betala ut', title: 'Betala ut kontant', cashOnly: 'Pantreturen är värd mer än köpet: betala ut {amount} kontant (Kontant-tangenten, tom inmatningsrad) – aldrig till kort.', staff: 'Personalen betalar ut {amount} för panten.' },
  meldung: {
    title: 'Kassenmeldung (Tyskland, §146a AO)',
    tseSerial: 'TSE-serienummer',
    tseKey: 'TSE:ns publika nyckel',
    tseCertificate: 'TSE-certifikat',
    tseNoCertificate: 'inget (simulator, inte certifierad)',
    tseSince: 'TSE i bruk sedan',
    tillSerial: 'Kassans serienummer',
    maker: 'Tillverkare och modell',
    software: 'Programversion',
    tillSince: 'Kassan i bruk sedan',
    location: 'Plats',
    pending: 'TSE:n har inte svarat ännu.',
    exportHint: 'Exportera: npm run kassenmeldung -- --db <fil> [--format csv]',
  },
  controlUnit: {
    title: 'Kontrollenhet (Sverige, SKVFS 2014:9)',
    device: 'Kontrollenhet',
    tillId: 'Kassabeteckning',
    state: 'Läge',
    states: { ok: 'svarar', outage: 'svarar inte — kassan spärrad', unconfigured: 'ingen installerad — kassan får inte sälja' },
    outageTitle: 'Kassan kan inte ge kvitton',
    outageBody: 'Kontrollenheten svarar inte. Inget köp, ingen retur och ingen kopia kan göras förrän den svarar igen. Ett betalt köp är sparat och avslutas då.',
    todo: ['Kontrollera kontrollenhetens kabel och ström.', 'Sälj under tiden inte i kassan: skriv försäljningen för hand.', 'Svarar den inte inom några minuter: ring arbetsledaren — butiken anmäler felet till Skatteverket.'],
    waiting: 'Utan svar i {age}. Kassan frågar enheten var {s}:e sekund; fönstret stängs av sig självt när den svarar.',
    unconfiguredTitle: 'Ingen kontrollenhet',
    unconfiguredBody: 'Den här kassan har ingen kontrollenhet installerad och får inte ge kvitton. Ring butikens IT: de installerar kontrollenheten innan kassan kan sälja.',
    service: 'Service (IT)',
    kiosk: {
      title: 'Använd en annan kassa',
      body: 'Den här kassan kan inte ta betalt just nu.',
      basket: 'Dina varor ligger kvar. Tryck på Hjälp så kommer personal.',
      paid: 'Du har betalat och köpet är sparat. Tryck på Hjälp så kommer personal med kvittot.',
      paidTitle: 'Vänta här – du har betalat',
      attOutage: 'Kontrollenheten svarar inte sedan {time} — kiosken får inte sälja. Kontrollera enhetens kabel och ström; kiosken öppnar av sig själv när den svarar.',
      attUnconfigured: 'Ingen kontrollenhet installerad — kiosken får inte sälja. Ring butikens IT.',
    },
  },
};

export const MARKET_DE: MarketMessages = {
  title: 'Markt',
  country: 'Land',
  countries: { SE: 'Schweden', DE: 'Deutschland', DK: 'Dänemark', NO: 'Norwegen', FI: 'Finnland', GB: 'Großbritannien' },
  currency: 'Währung und Sprache',
  receipt: 'Belegsprache',
  langs: { sv: 'Schwedisch', de: 'Deutsch', en: 'Englisch', da: 'Dänisch', nb: 'Norwegisch (Bokmål)', fi: 'Finnisch' },
  rounding: 'Barrundung',
  roundingNone: 'keine',
  roundingTo: 'auf {unit}, nur bar',
  vat: 'MwSt',
  variable: 'Gewichts-/Preiscodes',
  variableNone: 'keine (normale Codes)',
  measures: { price: 'Preis', weight: 'Gewicht', count: 'Stück' },
  decimals: '{n} Dez.',
  verifier: 'Prüfziffer ({n})',
  deposit: 'MwSt auf Pfand',
  depositItem: 'wie das Getränk',
  depositOwn: 'eigene',
  empties: { title: 'Leergut', quantity: 'Anzahl', none: 'Der Katalog hat kein Pfand.' },
  payout: { label: 'Auszuzahlen', title: 'Bar auszahlen', cashOnly: 'Das Leergut ist mehr wert als der Einkauf: {amount} bar auszahlen (Bar-Taste, Eingabezeile leer) – nie auf eine Karte.', staff: 'Das Personal zahlt {amount} für das Leergut aus.' },
  meldung: {
    title: 'Kassenmeldung (§146a Abs. 4 AO)',
    tseSerial: 'TSE-Seriennummer',
    tseKey: 'Öffentlicher Schlüssel der TSE',
    tseCertificate: 'TSE-Zertifikat',
    tseNoCertificate: 'keins (Simulator, nicht zertifiziert)',
    tseSince: 'TSE in Betrieb seit',
    tillSerial: 'Seriennummer der Kasse',
    maker: 'Hersteller und Modell',
    software: 'Softwareversion',
    tillSince: 'Kasse in Betrieb seit',
    location: 'Standort',
    pending: 'Die TSE hat noch nicht geantwortet.',
    exportHint: 'Export: npm run kassenmeldung -- --db <Datei> [--format csv]',
  },
  controlUnit: {
    title: 'Kontrolleinheit (Schweden, SKVFS 2014:9)',
    device: 'Kontrolleinheit',
    tillId: 'Kassenkennung (kassabeteckning)',
    state: 'Zustand',
    states: { ok: 'antwortet', outage: 'antwortet nicht — Kasse gesperrt', unconfigured: 'keine eingerichtet — Kasse darf nicht verkaufen' },
    outageTitle: 'Die Kasse kann keine Belege erstellen',
    outageBody: 'Die Kontrolleinheit antwortet nicht. Kein Verkauf, keine Rückgabe und keine Kopie, bis sie wieder antwortet. Ein bezahlter Verkauf bleibt gespeichert und wird dann abgeschlossen.',
    todo: ['Kabel und Strom der Kontrolleinheit prüfen.', 'Bis dahin nicht an dieser Kasse verkaufen: Verkäufe von Hand notieren.', 'Antwortet sie nach einigen Minuten nicht: Vorgesetzte rufen — das Geschäft meldet den Fehler dem Skatteverket.'],
    waiting: 'Seit {age} ohne Antwort. Die Kasse fragt die Einheit alle {s} Sekunden; das Fenster schließt sich von selbst, sobald sie antwortet.',
    unconfiguredTitle: 'Keine Kontrolleinheit',
    unconfiguredBody: 'Für diese Kasse ist keine Kontrolleinheit eingerichtet; sie darf keine Belege erstellen. IT des Geschäfts rufen: sie richtet die Kontrolleinheit ein, bevor die Kasse verkaufen kann.',
    service: 'Service (IT)',
    kiosk: {
      title: 'Bitte eine andere Kasse benutzen',
      body: 'An dieser Kasse können Sie gerade nicht bezahlen.',
      basket: 'Ihre Artikel bleiben hier. Tippen Sie auf Hilfe, dann kommt jemand vom Personal.',
      paid: 'Sie haben bezahlt, der Einkauf ist gespeichert. Tippen Sie auf Hilfe, dann bringt Ihnen das Personal den Beleg.',
      paidTitle: 'Bitte hier warten – Sie haben bezahlt',
      attOutage: 'Kontrolleinheit antwortet seit {time} nicht — der Kiosk darf nicht verkaufen. Kabel und Strom der Einheit prüfen; der Kiosk öffnet sich von selbst, sobald sie antwortet.',
      attUnconfigured: 'Keine Kontrolleinheit eingerichtet — der Kiosk darf nicht verkaufen. IT des Geschäfts rufen.',
    },
  },
};

export const MARKET_EN: MarketMessages = {
  title: 'Market',
  country: 'Country',
  countries: { SE: 'Sweden', DE: 'Germany', DK: 'Denmark', NO: 'Norway', FI: 'Finland', GB: 'Great Britain' },
  currency: 'Currency and language',
  receipt: 'Receipt language',
  langs: { sv: 'Swedish', de: 'German', en: 'English', da: 'Danish', nb: 'Norwegian (Bokmål)', fi: 'Finnish' },
  rounding: 'Cash rounding',
  roundingNone: 'none',
  roundingTo: 'to {unit}, cash only',
  vat: 'VAT',
  variable: 'Weight/price labels',
  variableNone: 'none (ordinary codes)',
  measures: { price: 'price', weight: 'weight', count: 'count' },
  decimals: '{n} dec.',
  verifier: 'check digit ({n})',
  deposit: 'VAT on deposits',
  depositItem: 'as the drink',
  depositOwn: 'its own',
  empties: { title: 'Empties', quantity: 'Quantity', none: 'The catalog has no deposits.' },
  payout: { label: 'To pay out', title: 'Pay out in cash', cashOnly: 'The empties are worth more than the purchase: pay out {amount} in cash (the cash key, entry line empty) – never to a card.', staff: 'Staff pay out {amount} for the empties.' },
  meldung: {
    title: 'Kassenmeldung (Germany, §146a AO)',
    tseSerial: 'TSE serial number',
    tseKey: 'TSE public key',
    tseCertificate: 'TSE certificate',
    tseNoCertificate: 'none (simulator, not certified)',
    tseSince: 'TSE in use since',
    tillSerial: 'Till serial number',
    maker: 'Manufacturer and model',
    software: 'Software version',
    tillSince: 'Till in use since',
    location: 'Location',
    pending: 'The TSE has not answered yet.',
    exportHint: 'Export: npm run kassenmeldung -- --db <file> [--format csv]',
  },
  controlUnit: {
    title: 'Control unit (Sweden, SKVFS 2014:9)',
    device: 'Control unit',
    tillId: 'Till id (kassabeteckning)',
    state: 'State',
    states: { ok: 'answering', outage: 'not answering — till blocked', unconfigured: 'none set up — the till may not sell' },
    outageTitle: 'This till cannot issue receipts',
    outageBody: 'The control unit does not answer. No sale, return or copy can be made until it answers again. A paid sale is kept and completes then.',
    todo: ['Check the control unit’s cable and power.', 'Meanwhile do not sell on this till: write sales down by hand.', 'If it does not answer within a few minutes, call your supervisor — the store reports the fault to Skatteverket.'],
    waiting: 'No answer for {age}. The till asks the unit every {s} seconds; this window closes by itself when it answers.',
    unconfiguredTitle: 'No control unit',
    unconfiguredBody: 'No control unit is set up for this till, so it may not issue receipts. Call store IT: they set up the control unit before this till can sell.',
    service: 'Service (IT)',
    kiosk: {
      title: 'Please use another checkout',
      body: 'You cannot pay at this checkout right now.',
      basket: 'Your items are kept here. Tap Help and a member of staff will come.',
      paid: 'You have paid and your purchase is saved. Tap Help and a member of staff will bring your receipt.',
      paidTitle: 'Please wait here – you have paid',
      attOutage: 'Control unit not answering since {time} — the kiosk may not sell. Check the unit’s cable and power; the kiosk opens by itself when it answers.',
      attUnconfigured: 'No control unit set up — the kiosk may not sell. Call store IT.',
    },
  },
};
