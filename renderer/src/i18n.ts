/** One message catalogue for Swedish, German and English. Every visible string comes from here. */
import type { ErrorCode } from '../../protocol/terminal';

export type Lang = 'sv' | 'de' | 'en';
export const LANGS: Lang[] = ['sv', 'de', 'en'];
export const LOCALE_OF: Record<Lang, string> = { sv: 'sv-SE', de: 'de-DE', en: 'en-GB' };

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

interface Messages {
  laneClosed: string;
  openLane: string;
  signInTitle: string;
  operatorNumber: string;
  signIn: string;
  operator: string;
  lane: string;
  scanPlaceholder: string;
  scanLabel: string;
  basket: string;
  emptyBasket: string;
  total: string;
  items: Plural;
  vat: string;
  vatRate: string;
  net: string;
  gross: string;
  showVat: string;
  hideVat: string;
  rounding: string;
  paid: string;
  remaining: string;
  voided: string;
  deposit: string;
  priceOnLabel: string;
  ageLimit: string;
  keys: { qty: string; void: string; vat: string; cancel: string; subtotal: string; cash: string; exact: string; back: string; signOut: string; discount: string; saleDiscount: string };
  manualDiscount: string;
  msgDiscountType: string;
  member: string;
  msgMemberType: string;
  confirmCancel: string;
  changeDue: string;
  completeSale: string;
  saleComplete: string;
  receipt: string;
  digitalReceipt: string;
  reconcileTitle: string;
  cardOffline: string;
  cardOfflinePending: string;
  cardOfflineHelp: string;
  cardEndOfDay: string;
  abortPayment: string;
  syncOffline: string;
  syncBacklog: string;
  catalogStale: string;
  catalogApplying: string;
  cardEodMatch: string;
  cardEodMismatch: string;
  digitalReceiptWhy: string;
  connecting: string;
  notConnected: string;
  msgReady: string;
  msgAdded: string;
  msgSubtotal: string;
  /** Confirmations of what the cashier just did. */
  msgVoided: string;
  msgDiscounted: string;
  msgResumed: string;
  msgTendered: string;
  /** After the exact amount still owed: what it is in cash. */
  inCash: string;
  msgTypeQty: string;
  /** A scan arrived while a window (list, payment, approval) was open: it was not taken. */
  msgScanInModal: string;
  msgTypeCash: string;
  language: string;
  pin: string;
  locked: string;
  unlock: string;
  ageTitle: string;
  ageBody: string;
  ageConfirm: string;
  ageVoid: string;
  approvalTitle: string;
  approvalBody: string;
  supervisorNumber: string;
  approve: string;
  back: string;
  training: string;
  trainingOn: string;
  trainingOff: string;
  priceCheck: string;
  lock: string;
  menu: string;
  /** The payment terminal's standard intermediate statuses (ZVT 04 FF), by code. */
  zvt: Record<number, string>;
  voidLast: string;
  msgPriceCheckType: string;
  openTillTitle: string;
  openTillBody: string;
  /** A card-only kiosk: no float to count. */
  openTillNoCash: string;
  openTill: string;
  countTotal: string;
  card: string;
  giftCard: string;
  tenderCash: string;
  voidTender: string;
  cardPendingTitle: string;
  cardPendingBody: string;
  resolveCharged: string;
  resolveNotCharged: string;
  returns: string;
  receiptCode: string;
  findSale: string;
  refund: string;
  reasonLabel: string;
  defaultReturnReason: string;
  returnable: string;
  done: string;
  xReport: string;
  closeTill: string;
  closeTillBody: string;
  suspend: string;
  suspended: string;
  copy: string;
  badge: string;
  printer: string;
  drawerOpen: string;
  customerThanks: string;
  drawerLeftOpen: string;
  printerQueued: string;
  printerStates: Record<'none' | 'ok' | 'paperLow' | 'paperOut' | 'coverOpen' | 'offline' | 'error', string>;
  dev: DeviceMessages;
  hq: HqMessages;
  kiosk: KioskMessages;
  /** Where a refund goes. */
  refundTo: { title: string; original: string; cash: string };
  /** X and Z reports on screen. */
  report: { sales: string; rounding: string; returns: string; voids: string; discounts: string; expectedCash: string; counted: string; overShort: string; grandTotal: string; tender: Record<'cash' | 'card' | 'voucher', string> };
  errors: Record<ErrorCode, string>;
}

/** The device service screen (store IT) and the device dots in the status bar. */
export interface HqMessages {
  title: string;
  notEnrolled: string;
  sync: string;
  online: string;
  offline: string;
  backlog: string;
  oldest: string;
  lastSync: string;
  lastError: string;
  quarantined: string;
  catalog: string;
  version: string;
  items: string;
  published: string;
  applied: string;
  expires: string;
  stale: string;
  lastCheck: string;
  applying: string;
  never: string;
}

/** Store IT's parts of the service screen: identity, log, device configuration, diagnostics, kiosk exit. */
export interface ItMessages {
  sections: string;
  tabDevices: string;
  tabLog: string;
  tabConfig: string;
  tabDiagnostics: string;
  itOnly: string;
  itOnlyShort: string;
  notIt: string;
  signInIt: string;
  loading: string;
  none: string;
  identity: string;
  store: string;
  lane: string;
  terminalId: string;
  notEnrolled: string;
  software: string;
  catalog: string;
  catalogValue: string;
  database: string;
  devicesFile: string;
  noDevicesFile: string;
  profile: string;
  runtime: string;
  uptime: string;
  since: string;
  uptimeDays: string;
  uptimeHours: string;
  uptimeMinutes: string;
  uptimeSeconds: string;
  log: string;
  logFilter: string;
  logShow: string;
  logRefresh: string;
  logCount: string;
  logCountFiltered: string;
  logTruncated: string;
  logEmpty: string;
  config: string;
  configFile: string;
  configDemo: string;
  configNone: string;
  configLabel: string;
  configHelp: string;
  configTooLong: string;
  configCheck: string;
  configSave: string;
  configReload: string;
  configValid: string;
  configSaved: string;
  configNotSaved: string;
  problemsOne: string;
  problemsMany: string;
  wholeFile: string;
  whereFile: string;
  whereDevice: string;
  whereField: string;
  problems: Record<import('../../protocol/terminal').DeviceConfigProblem['code'] | 'tooShort' | 'tooLong' | 'formatId' | 'formatPath' | 'formatPathOr', string>;
  types: Record<'number' | 'integer' | 'string' | 'boolean' | 'object' | 'list', string>;
  diagnostics: string;
  diagnosticsWhat: string;
  usbDrive: string;
  usbNone: string;
  usbRefresh: string;
  exportButton: string;
  exportDone: string;
  usbRefused: string;
  usbWriteFailed: string;
  exit: string;
  exitQuestion: string;
  exitCancel: string;
  exitConfirm: string;
  exitDone: string;
  noKiosk: string;
}

export interface DeviceMessages {
  open: string;
  title: string;
  close: string;
  refresh: string;
  none: string;
  kinds: Record<'printer' | 'scanner' | 'scale' | 'display' | 'drawer' | 'payment', string>;
  states: Record<'online' | 'warning' | 'offline', string>;
  actions: Record<'testPrint' | 'openDrawer' | 'showText' | 'readWeight' | 'simulateScan', string>;
  columns: { device: string; connection: string; state: string; since: string; test: string };
  textLabel: string;
  printout: string;
  found: string;
  foundNone: string;
  barcodeScanner: string;
  who: string;
  operator: string;
  pin: string;
  /** Why a device is in its state (the core's detail codes). */
  details: Record<import('../../protocol/terminal').DeviceDetailCode, string>;
  it: ItMessages;
}

/** Self-checkout, the attendant view, unknown items, receipt choice and the restarting screen. */
export interface KioskMessages {
  welcome: string;
  touchToStart: string;
  start: string;
  scanPrompt: string;
  scanPromptFirst: string;
  produce: string;
  produceTitle: string;
  produceSearch: string;
  produceNone: string;
  perKg: string;
  perPiece: string;
  placeOnScale: string;
  callHelp: string;
  helpComing: string;
  /** A barcode the kiosk does not know, set aside for staff. */
  notRecognised: string;
  /** Addressed to the customer at the kiosk (the lane's texts speak to the cashier about the customer). */
  cardYou: string;
  cancelCardYou: string;
  pay: string;
  payCard: string;
  payCash: string;
  cardOnly: string;
  followTerminal: string;
  ageWait: string;
  ageRemove: string;
  receiptChoice: string;
  receiptPrint: string;
  receiptDigital: string;
  receiptNone: string;
  thanks: string;
  scanQr: string;
  stillThere: string;
  stillThereBody: string;
  imHere: string;
  cancelBasket: string;
  cancelConfirm: string;
  yesCancel: string;
  keepShopping: string;
  closedTitle: string;
  closedBody: string;
  staffSignIn: string;
  staffRemoves: string;
  staff: string;
  backToSelf: string;
  suspendedTitle: string;
  suspendedNone: string;
  suspendedBy: string;
  deviceHelp: Record<'scanner' | 'scale' | 'display' | 'drawer' | 'payment', string>;
  attTitle: string;
  attSignIn: string;
  attKiosk: string;
  attStates: Record<'closed' | 'idle' | 'scanning' | 'subtotal' | 'cardPending' | 'reversing' | 'paid', string>;
  attHelp: Record<'customer' | 'itemNotFound' | 'idle' | 'payment', string>;
  attApproveAge: string;
  attVoid: string;
  attClearHelp: string;
  attCancelSale: string;
  attDisconnected: string;
  attNoKiosks: string;
  attSince: string;
  attSignedInAs: string;
  infTitle: string;
  infBody: string;
  infDepartment: string;
  infPrice: string;
  infSell: string;
  infSupervisor: string;
  infChooseDepartment: string;
  infSent: string;
  infDeptSale: string;
  helpCalled: string;
  helpClear: string;
  restartingTitle: string;
  restartingBody: string;
  restartingAttempt: string;
}

const sv: Messages = {
  laneClosed: 'Kassan är stängd',
  openLane: 'Öppna kassan (Enter)',
  signInTitle: 'Logga in',
  operatorNumber: 'Kassörsnummer',
  signIn: 'Logga in (Enter)',
  operator: 'Kassör',
  lane: 'Kassa',
  scanPlaceholder: 'Skanna eller skriv streckkod',
  scanLabel: 'Streckkod, antal eller belopp',
  basket: 'Varukorg',
  emptyBasket: 'Skanna första varan',
  total: 'ATT BETALA',
  items: { one: '{n} vara', other: '{n} varor' },
  vat: 'Moms',
  vatRate: 'Sats',
  net: 'Netto',
  gross: 'Brutto',
  showVat: 'Visa moms',
  hideVat: 'Dölj moms',
  rounding: 'Öresavrundning',
  paid: 'Betalt',
  remaining: 'Kvar att betala',
  voided: 'Makulerad',
  deposit: 'Pant',
  priceOnLabel: 'pris från etikett',
  ageLimit: '{n} år',
  keys: { qty: 'Antal', void: 'Makulera', vat: 'Moms', cancel: 'Avbryt köp', subtotal: 'Delsumma', cash: 'Kontant', exact: 'Jämnt', back: 'Tillbaka', signOut: 'Logga ut', discount: 'Rabatt rad', saleDiscount: 'Rabatt köp' },
  manualDiscount: 'Manuell rabatt',
  msgDiscountType: 'Skriv 10% eller ett belopp och tryck F5 (Skift+F5 för hela köpet)',
  member: 'Medlem',
  msgMemberType: 'Skanna eller skriv medlemskortets nummer och tryck Medlem',
  confirmCancel: 'Tryck F11 igen för att avbryta köpet',
  changeDue: 'Växel tillbaka',
  completeSale: 'Avsluta köp (Enter)',
  saleComplete: 'Köpet är klart — växel {change}',
  receipt: 'Kvitto',
  digitalReceipt: 'Kvitto i mobilen: skanna koden',
  reconcileTitle: 'Terminalen kan inte bekräfta betalningen — arbetsledaren jämför med terminalens kvitto och väljer:',
  cardOffline: 'Kortterminalen är offline · {n} betalningar väntar (äldsta {age})',
  cardOfflinePending: '{n} offlinebetalningar väntar på dagsavslut (äldsta {age})',
  cardOfflineHelp: 'Terminalen godkänner kort utan kontakt med banken upp till butikens gränser. Gör dagsavslut på terminalen när den är online.',
  cardEndOfDay: 'Dagsavslut kort',
  abortPayment: 'Kunden avbryter — avbryt på terminalen',
  syncOffline: 'HK ej nåbart · {n} köp väntar (äldsta {age}) — försäljningen fortsätter',
  syncBacklog: 'HK: {n} köp skickas',
  cardEodMatch: 'Terminalen {terminal} = kassan {lane}. Stämmer.',
  cardEodMismatch: 'Terminalen {terminal} ≠ kassan {lane}. Kontakta arbetsledaren.',
  digitalReceiptWhy: 'Skrivaren kan inte skriva ut just nu — kvittot skrivs ut när den fungerar igen. Kunden kan skanna koden.',
  connecting: 'Ansluter till kassans kärna…',
  notConnected: 'Inte ansluten — försök igen om en stund',
  msgReady: 'Redo. Skanna en vara.',
  msgAdded: '{name} tillagd',
  msgSubtotal: 'Delsumma. Ta betalt: belopp + F10, eller F10 för jämnt.',
  msgVoided: 'Makulerad: {name}',
  msgDiscounted: 'Rabatt {amount} dragen. Att betala: {total}',
  msgResumed: 'Parkerat köp återupptaget: {n} rader',
  msgTendered: '{amount} mottaget. {remaining}',
  inCash: 'kontant {amount}',
  msgTypeQty: 'Skriv antal och tryck F1',
  msgScanInModal: 'Skanningen togs inte emot – gör klart i fönstret först och skanna sedan igen.',
  msgTypeCash: 'Skriv ett belopp, t.ex. 200 eller 12,50',
  language: 'Språk',
  pin: 'PIN-kod',
  locked: 'Låst — {name}',
  unlock: 'Lås upp (Enter)',
  ageTitle: 'Ålderskontroll',
  ageBody: 'Kunden måste vara minst {age} år. Kontrollera legitimation.',
  ageConfirm: 'Ålder kontrollerad (Enter)',
  ageVoid: 'Ta bort varan',
  approvalTitle: 'Godkännande krävs',
  approvalBody: 'En arbetsledare måste godkänna detta med sitt nummer och sin PIN-kod.',
  supervisorNumber: 'Arbetsledarens nummer',
  approve: 'Godkänn (Enter)',
  back: 'Tillbaka (Esc)',
  training: 'ÖVNINGSLÄGE',
  trainingOn: 'Starta övningsläge',
  trainingOff: 'Avsluta övningsläge',
  priceCheck: 'Priskontroll',
  lock: 'Lås',
  menu: 'Meny',
  zvt: { 0: 'Bekräfta beloppet', 1: 'Titta på kortterminalen', 2: 'Titta på kortterminalen', 3: 'Ej godkänt', 4: 'Väntar på kortutgivaren', 5: 'Skickar till kortutgivaren', 6: 'Ej godkänt', 7: 'Kortet är inte tillåtet', 8: 'Okänt kort', 9: 'Kortet har gått ut', 10: 'Sätt i kortet', 11: 'Ta ut kortet', 12: 'Kortet kan inte läsas', 13: 'Fel vid behandlingen', 14: 'Vänta', 15: 'Terminalen gör dagsavslut', 16: 'Ogiltigt kort', 17: 'Saldo visas', 18: 'Systemfel', 19: 'Betalning inte möjlig', 20: 'Täckning saknas', 21: 'Fel PIN-kod', 22: 'Gränsen räcker inte', 23: 'Vänta', 24: 'För många felaktiga PIN-försök', 25: 'Kortdata felaktiga', 26: 'Serviceläge', 27: 'Godkänt, tanka', 28: 'Godkänt, ta varorna', 29: 'Nekat', 38: 'Ange PIN-kod', 42: 'Sätt i, blippa eller dra kortet' },
  voidLast: 'Makulera senaste',
  msgPriceCheckType: 'Skanna eller skriv koden och tryck F3',
  openTillTitle: 'Öppna kassalådan',
  openTillBody: 'Räkna växelkassan: antal av varje sedel och mynt.',
  openTillNoCash: 'Den här självkassan tar bara kort: ingen växelkassa att räkna.',
  openTill: 'Öppna kassan (Enter)',
  countTotal: 'Summa',
  card: 'Kort',
  giftCard: 'Presentkort',
  tenderCash: 'Kontant',
  voidTender: 'Ta bort',
  cardPendingTitle: 'Kortbetalning pågår',
  cardPendingBody: 'Kunden följer instruktionerna på kortterminalen ({amount}).',
  resolveCharged: 'Terminalen säger: debiterat',
  resolveNotCharged: 'Terminalen säger: inte debiterat',
  returns: 'Retur',
  receiptCode: 'Skanna kvittots streckkod',
  findSale: 'Hämta kvitto (Enter)',
  refund: 'Återbetala',
  reasonLabel: 'Orsak',
  defaultReturnReason: 'Kundretur',
  returnable: 'kan returneras',
  done: 'Klar',
  xReport: 'X-rapport',
  closeTill: 'Stäng kassan (Z)',
  closeTillBody: 'Räkna kassalådan utan att se förväntat belopp. En arbetsledare godkänner.',
  suspend: 'Parkera',
  suspended: 'Korgen är parkerad — ge kunden lappen. Skanna lappen för att fortsätta.',
  copy: 'Kvittokopia',
  badge: 'eller skanna arbetsledarens bricka',
  printer: 'Skrivare',
  printerQueued: '{n} kvitto väntar',
  printerStates: { none: '', ok: 'klar', paperLow: 'papperet tar snart slut', paperOut: 'slut på papper — fyll på, kvittot skrivs ut av sig självt', coverOpen: 'luckan är öppen — stäng den', offline: 'inte ansluten — kontrollera kabeln', error: 'fel — starta om skrivaren' },
  catalogStale: "Priserna kan vara inaktuella — katalogen från HK har gått ut (försäljningen fortsätter)",
  catalogApplying: 'Ny katalog läses in: {done} av {total} varor',
  report: { sales: 'Försäljning', rounding: 'Öresavrundning', returns: 'Returer', voids: 'Makuleringar', discounts: 'Rabatter', expectedCash: 'Förväntat i lådan', counted: 'Räknat', overShort: 'Differens', grandTotal: 'Totalsumma (GT)', tender: { cash: 'Kontant', card: 'Kort', voucher: 'Presentkort' } },
  refundTo: { title: 'Återbetalning', original: 'Tillbaka som betalt ({how})', cash: 'Kontant (kunden har inte kortet med sig)' },
  kiosk: {
    welcome: 'Välkommen!',
    touchToStart: 'Skanna din första vara eller tryck på Börja handla.',
    start: 'Börja handla',
    scanPrompt: 'Skanna nästa vara',
    scanPromptFirst: 'Skanna din första vara',
    produce: 'Frukt och grönt',
    produceTitle: 'Välj vara',
    produceSearch: 'Sök på namn eller PLU',
    produceNone: 'Ingen vara hittades.',
    perKg: '{price}/kg',
    perPiece: '{price}/st',
    placeOnScale: 'Lägg varan på vågen och välj den igen om inget händer.',
    callHelp: 'Hjälp',
    helpComing: 'Personal är på väg.',
    cardYou: 'Följ instruktionerna på kortterminalen ({amount}).',
    cancelCardYou: 'Avbryt kortbetalningen',
    notRecognised: 'Varan kändes inte igen. Lägg den åt sidan – personal är på väg och hjälper dig.',
    pay: 'Betala',
    payCard: 'Betala med kort',
    payCash: 'Betala kontant',
    cardOnly: 'Här betalar du med kort.',
    followTerminal: 'Följ anvisningarna på kortterminalen.',
    ageWait: 'Varan har åldersgräns {age} år. Personal kommer och kontrollerar legitimation.',
    ageRemove: 'Ta bort varan',
    receiptChoice: 'Vill du ha kvitto?',
    receiptPrint: 'Skriv ut',
    receiptDigital: 'Digitalt (QR-kod)',
    receiptNone: 'Inget kvitto',
    thanks: 'Tack för ditt köp!',
    scanQr: 'Skanna koden med mobilen för att spara kvittot.',
    stillThere: 'Är du kvar?',
    stillThereBody: 'Varorna tas bort om {seconds} s om ingen trycker.',
    imHere: 'Jag är kvar',
    cancelBasket: 'Avbryt köpet',
    cancelConfirm: 'Vill du ta bort alla varor och avbryta köpet?',
    yesCancel: 'Ja, avbryt',
    keepShopping: 'Nej, fortsätt handla',
    closedTitle: 'Den här kassan är stängd',
    closedBody: 'Välkommen till en annan kassa.',
    staffSignIn: 'Personal: logga in',
    staffRemoves: 'Personal tar bort varor. Tryck på Hjälp.',
    staff: 'Personal',
    backToSelf: 'Tillbaka till självkassan',
    suspendedTitle: 'Parkerade köp',
    suspendedNone: 'Inga parkerade köp på den här kassan.',
    suspendedBy: 'kassör {operator}',
    deviceHelp: {
      scanner: 'Skriv streckkoden för hand. Kontrollera skannerns kabel.',
      scale: 'Sälj vägda varor med vikt-etikett, eller på en annan kassa. Kontrollera vågens kabel och ström.',
      display: 'Kunden ser inte summan – läs upp den. Kontrollera displayens kabel.',
      drawer: 'Öppna lådan med nyckeln. Kontanterna räknas som vanligt.',
      payment: 'Ta betalt kontant eller med presentkort. Kontrollera kortterminalens kabel och nätverk.',
    },
    attTitle: 'Självkassor',
    attSignIn: 'Logga in som ansvarig',
    attKiosk: 'Kassa {lane}',
    attStates: { closed: 'Stängd', idle: 'Ledig', scanning: 'Handlar', subtotal: 'Betalar', cardPending: 'Kortbetalning pågår', reversing: 'Kortbetalning återförs', paid: 'Betald' },
    attHelp: { customer: 'Kunden ber om hjälp', itemNotFound: 'Okänd vara: {detail}', idle: 'Delvis betald korg står orörd', payment: 'Kortbetalningen behöver ett beslut: {detail}' },
    attApproveAge: 'Godkänn ålder ({age}+)',
    attVoid: 'Ta bort',
    attClearHelp: 'Hjälpt',
    attCancelSale: 'Avbryt köpet',
    attDisconnected: 'Ingen kontakt med kassan – försöker igen …',
    attNoKiosks: 'Inga kassor att visa.',
    attSince: 'sedan {time}',
    attSignedInAs: 'Inloggad: {name}',
    infTitle: 'Varan finns inte',
    infBody: 'Streckkoden {code} finns inte i sortimentet.',
    infDepartment: 'Avdelning',
    infPrice: 'Pris',
    infSell: 'Sälj till detta pris',
    infSupervisor: 'Lägg undan – kalla ansvarig',
    infChooseDepartment: 'Välj avdelning',
    infSent: 'Ansvarig är kallad och streckkoden noterad.',
    infDeptSale: 'Avdelningsförsäljning',
    helpCalled: 'Hjälp kallad',
    helpClear: 'Klar',
    restartingTitle: 'Kassan startar om',
    restartingBody: 'Korgen är sparad. Det tar bara några sekunder.',
    restartingAttempt: 'Försök {n}',
  },
  hq: {
    title: 'HK och katalog',
    notEnrolled: 'Kassan är inte ansluten till HK.',
    sync: 'Försäljning till HK',
    online: 'HK nåbart',
    offline: 'HK ej nåbart',
    backlog: 'Köp som väntar',
    oldest: 'Äldsta',
    lastSync: 'Senast skickat',
    lastError: 'Senaste fel',
    quarantined: 'I karantän',
    catalog: 'Katalog',
    version: 'Version',
    items: 'varor',
    published: 'Publicerad',
    applied: 'Inläst',
    expires: 'Giltig till',
    stale: 'utgången — priserna kan vara inaktuella',
    lastCheck: 'Senaste kontroll',
    applying: 'Läser in version {version}: {done} av {total}',
    never: 'aldrig',
  },
  dev: {
    open: 'Service och enheter',
    title: 'Service (IT)',
    close: 'Stäng',
    refresh: 'Uppdatera',
    none: 'Inga enheter är konfigurerade på den här kassan.',
    kinds: { printer: 'Kvittoskrivare', scanner: 'Skanner', scale: 'Våg', display: 'Kunddisplay', drawer: 'Kassalåda', payment: 'Kortterminal' },
    states: { online: 'fungerar', warning: 'varning', offline: 'ej ansluten' },
    actions: { testPrint: 'Skriv testsida', openDrawer: 'Öppna lådan', showText: 'Visa text', readWeight: 'Läs vikt', simulateScan: 'Simulera skanning' },
    columns: { device: 'Enhet', connection: 'Anslutning', state: 'Status', since: 'Sedan', test: 'Test' },
    textLabel: 'Text till displayen',
    printout: 'Utskrivet på den simulerade enheten',
    found: 'Hittat på kassan',
    foundNone: 'Inga serieportar eller HID-enheter hittades.',
    barcodeScanner: 'streckkodsskanner (HID POS)',
    who: 'För IT eller arbetsledare: ange ditt nummer och din PIN-kod.',
    operator: 'Nummer',
    pin: 'PIN-kod',
    details: {
      starting: 'startar',
      ready: 'redo',
      paperOut: 'slut på papper — kvittona väntar i kön',
      paperLow: 'lite papper kvar — byt rulle snart',
      coverOpen: 'luckan är öppen',
      printerError: 'skrivarfel',
      offline: 'offline',
      notConnected: 'inte ansluten',
      connected: 'ansluten',
      answering: 'svarar',
      readyToScan: 'redo att skanna',
      registered: 'registrerad',
      registrationRefused: 'registreringen nekades',
    },
    it: {
      sections: 'Delar av serviceskärmen',
      tabDevices: 'Enheter',
      tabLog: 'Logg',
      tabConfig: 'Konfiguration',
      tabDiagnostics: 'Diagnostik',
      itOnly: 'Den här delen är bara för IT. Ange IT-nummer och PIN-kod.',
      itOnlyShort: 'bara för IT',
      notIt: 'Det numret hör inte till IT. Den här delen kräver IT-nummer och PIN-kod.',
      signInIt: 'Logga in som IT',
      loading: 'Hämtar …',
      none: 'ingen',
      identity: 'Kassan',
      store: 'Butik',
      lane: 'Kassa',
      terminalId: 'Terminal-id hos HK',
      notEnrolled: 'inte ansluten till HK',
      software: 'Programversion',
      catalog: 'Sortiment',
      catalogValue: 'version {version} · {items} artiklar',
      database: 'Databas',
      devicesFile: 'Enhetsfil',
      noDevicesFile: 'ingen (inbyggd konfiguration)',
      profile: 'Land och språk',
      runtime: 'Körmiljö',
      uptime: 'Igång',
      since: 'sedan {time}',
      uptimeDays: '{d} d {h} tim',
      uptimeHours: '{h} tim {m} min',
      uptimeMinutes: '{m} min',
      uptimeSeconds: '{s} s',
      log: 'Logg',
      logFilter: 'Visa bara rader som innehåller',
      logShow: 'Visa',
      logRefresh: 'Uppdatera loggen',
      logCount: '{n} rader',
      logCountFiltered: '{n} av {total} rader innehåller ”{filter}”',
      logTruncated: '(äldre rader har tagits bort)',
      logEmpty: 'Inga rader.',
      config: 'Enhetskonfiguration',
      configFile: 'Fil: {file}',
      configDemo: 'Demobutikens inbyggda enheter. Sparas i {file}.',
      configNone: 'Ingen enhetsfil ännu. Sparas i {file}.',
      configLabel: 'Konfiguration (JSON)',
      configHelp: 'Kontrollera först. Bara en konfiguration utan fel sparas; enheterna startas då om med den.',
      configTooLong: 'Texten är för lång (högst {max} tecken).',
      configCheck: 'Kontrollera',
      configSave: 'Spara och använd',
      configReload: 'Läs in från kassan igen',
      configValid: 'Inga fel hittades. Tryck på Spara och använd för att börja använda den.',
      configSaved: 'Sparad i {file} och i bruk: {n} enheter igång.',
      configNotSaved: 'Konfigurationen kunde inte sparas — inget ändrades. Kontrollera disken.',
      problemsOne: '1 fel — inget sparades:',
      problemsMany: '{n} fel — inget sparades:',
      wholeFile: 'Filen',
      whereFile: 'Fältet {field}',
      whereDevice: 'Enhet {device}',
      whereField: 'Enhet {device}, fält {field}',
      problems: {
        json: 'är inte giltig JSON ({detail}).',
        notList: 'måste innehålla en lista "devices": [ … ].',
        notObject: 'varje enhet måste vara ett objekt med "kind" och "id".',
        unknownKind: '”{value}” är ingen känd enhetstyp. Möjliga: {options}.',
        missing: 'saknas — lägg till "{field}".',
        wrongType: 'måste vara {expected}.',
        tooSmall: 'måste vara minst {min}.',
        tooBig: 'får vara högst {max}.',
        tooShort: 'måste ha minst {min} tecken.',
        tooLong: 'får ha högst {max} tecken.',
        oneOf: 'måste vara något av: {options}.',
        format: 'har fel format.',
        formatId: 'får bara innehålla små bokstäver, siffror och bindestreck och måste börja med en bokstav.',
        formatPath: 'måste vara en enhetssökväg som /dev/ttyUSB0.',
        formatPathOr: 'måste vara en enhetssökväg som /dev/ttyUSB0, eller {options}.',
        unknownField: 'okänt fält {keys} — kontrollera stavningen.',
        duplicateId: 'id ”{id}” används av två enheter.',
        invalid: 'är ogiltigt.',
      },
      types: { number: 'ett tal', integer: 'ett heltal', string: 'en text', boolean: 'true eller false', object: 'ett objekt { … }', list: 'en lista [ … ]' },
      diagnostics: 'Diagnostik till USB',
      diagnosticsWhat: 'Skriver loggar, konfiguration, versioner och status till en mapp på USB-minnet — inga lösenord, PIN-koder, nycklar eller kortuppgifter.',
      usbDrive: 'USB-minne',
      usbNone: 'Inget USB-minne hittades (letar under {roots}). Sätt i ett och tryck på Leta igen.',
      usbRefresh: 'Leta igen',
      exportButton: 'Skriv diagnostik till USB',
      exportDone: 'Klart: {n} filer ({kb} kB) i {folder}',
      usbRefused: 'Ingen diagnostik skrevs: {detail}.',
      usbWriteFailed: 'Diagnostiken kunde inte skrivas till USB-minnet ({detail}). Är det skrivskyddat eller fullt?',
      exit: 'Avsluta kioskläget …',
      exitQuestion: 'Avsluta kioskappen? Kassan säljer inte förrän den startas igen.',
      exitCancel: 'Avbryt',
      exitConfirm: 'Avsluta kioskläget',
      exitDone: 'Kioskappen avslutas.',
      noKiosk: 'Här finns ingen kioskapp att avsluta.',
    },
  },
  drawerOpen: 'Lådan är öppen',
  drawerLeftOpen: 'Lådan har stått öppen länge — stäng den',
  customerThanks: 'Tack för ditt köp!',
  errors: {
    INVALID_MESSAGE: 'Kassan förstod inte meddelandet — försök igen.',
    INVALID_COMMAND: 'Ogiltig inmatning — kontrollera och försök igen.',
    MESSAGE_TOO_LARGE: 'Inmatningen är för lång.',
    UNAUTHORIZED: 'Ingen behörighet.',
    INVALID_BARCODE: 'Streckkoden {code} kunde inte läsas (fel kontrollsiffra) — skanna igen eller skriv den.',
    ITEM_NOT_FOUND: 'Varan {code} finns inte — kontrollera koden eller ta varan på annat sätt.',
    ITEM_BLOCKED: '{name} får inte säljas.',
    WEIGHT_REQUIRED: '{name} säljs per kilo — lägg varan på vågen.',
    LINE_NOT_FOUND: 'Raden finns inte i köpet.',
    QUANTITY_NOT_ALLOWED: 'Antalet kan inte ändras på den raden.',
    NOT_ALLOWED_NOW: 'Det går inte just nu.',
    NOT_SIGNED_IN: 'Logga in först.',
    LANE_CLOSED: 'Kassan är stängd — öppna den först.',
    NO_OPEN_SALE: 'Inget pågående köp.',
    EMPTY_SALE: 'Skanna en vara först.',
    INSUFFICIENT_TENDER: 'Köpet är inte fullt betalt ännu.',
    STORAGE_FAILED: 'Ändringen kunde inte sparas — inget ändrades. Försök igen; kontakta IT om det upprepas.',
    DRAWER_UNAVAILABLE: 'Kassalådan öppnades inte. Öppna den med nyckeln och meddela IT.',
    BAD_CREDENTIALS: 'Fel nummer eller PIN-kod — försök igen.',
    OPERATOR_LOCKED_OUT: 'För många felaktiga försök — försök igen om {minutes} min eller be en arbetsledare.',
    LANE_LOCKED: 'Kassan är låst — lås upp med din PIN-kod.',
    APPROVAL_REQUIRED: 'En arbetsledare måste godkänna detta.',
    APPROVAL_DENIED: 'Det godkännandet gäller inte — en annan arbetsledare måste godkänna.',
    AGE_CHECK_REQUIRED: 'Kontrollera kundens ålder ({age} år) först.',
    TILL_NOT_OPEN: 'Kassalådan är inte öppnad — räkna växelkassan först.',
    TILL_ALREADY_OPEN: 'Kassalådan är redan öppen.',
    INVALID_COUNT: 'Räkningen stämmer inte — kontrollera sedlar och mynt.',
    VOUCHER_INVALID: 'Presentkortet gäller inte här.',
    VOUCHER_EMPTY: 'Presentkortet har inget saldo kvar.',
    PAYMENT_DECLINED: 'Kortbetalningen nekades — be om ett annat kort eller annan betalning.',
    PAYMENT_PENDING: 'En kortbetalning pågår — vänta på terminalen.',
    PAYMENT_UNAVAILABLE: 'Ingen kortterminal är ansluten — ta annan betalning.',
    RECEIPT_NOT_FOUND: 'Kvittot finns inte i den här kassan.',
    RETURN_TOO_MANY: 'Så många kan inte returneras från det kvittot.',
    SLIP_NOT_FOUND: 'Lappen känns inte igen här — skanna dess QR-kod.',
    SLIP_ALREADY_RESUMED: 'Den parkerade korgen är redan återupptagen.',
    INTERNAL: 'Något gick fel i kassan — inget ändrades. Försök igen.',
  },
};

const de: Messages = {
  laneClosed: 'Kasse geschlossen',
  openLane: 'Kasse öffnen (Enter)',
  signInTitle: 'Anmelden',
  operatorNumber: 'Bedienernummer',
  signIn: 'Anmelden (Enter)',
  operator: 'Bediener',
  lane: 'Kasse',
  scanPlaceholder: 'Scannen oder eintippen',
  scanLabel: 'Barcode, Menge oder Betrag',
  basket: 'Warenkorb',
  emptyBasket: 'Ersten Artikel scannen',
  total: 'SUMME',
  items: { one: '{n} Artikel', other: '{n} Artikel' },
  vat: 'MwSt',
  vatRate: 'Satz',
  net: 'Netto',
  gross: 'Brutto',
  showVat: 'MwSt zeigen',
  hideVat: 'MwSt ausblenden',
  rounding: 'Rundung',
  paid: 'Gegeben',
  remaining: 'Noch zu zahlen',
  voided: 'Storniert',
  deposit: 'Pfand',
  priceOnLabel: 'Preis vom Etikett',
  ageLimit: 'ab {n}',
  keys: { qty: 'Menge', void: 'Storno', vat: 'MwSt', cancel: 'Abbruch', subtotal: 'Zwischen\u00adsumme', cash: 'Bar', exact: 'Passend', back: 'Zurück', signOut: 'Abmelden', discount: 'Rabatt Position', saleDiscount: 'Rabatt Einkauf' },
  manualDiscount: 'Manueller Rabatt',
  msgDiscountType: '10% oder Betrag eingeben, dann F5 (Umschalt+F5 für den Einkauf)',
  member: 'Kundenkarte',
  msgMemberType: 'Kundenkarte scannen oder Nummer eingeben, dann Kundenkarte',
  confirmCancel: 'F11 noch einmal drücken, um den Einkauf abzubrechen',
  changeDue: 'Rückgeld',
  completeSale: 'Abschließen (Enter)',
  saleComplete: 'Einkauf abgeschlossen — Rückgeld {change}',
  receipt: 'Beleg',
  digitalReceipt: 'Beleg aufs Handy: Code scannen',
  reconcileTitle: 'Das Terminal kann die Zahlung nicht bestätigen — die Marktleitung vergleicht mit dem Terminalbeleg und entscheidet:',
  cardOffline: 'Kartenterminal offline · {n} Zahlungen offen (älteste {age})',
  cardOfflinePending: '{n} Offline-Zahlungen warten auf den Kassenschnitt (älteste {age})',
  cardOfflineHelp: 'Das Terminal genehmigt Karten ohne Bankverbindung bis zu den Grenzen des Markts. Kassenschnitt machen, sobald es online ist.',
  cardEndOfDay: 'Kassenschnitt Karte',
  abortPayment: 'Kunde bricht ab — am Terminal abbrechen',
  syncOffline: 'Zentrale nicht erreichbar · {n} Verkäufe warten (ältester {age}) — Verkauf geht weiter',
  syncBacklog: 'Zentrale: {n} Verkäufe werden gesendet',
  cardEodMatch: 'Terminal {terminal} = Kasse {lane}. Stimmt.',
  cardEodMismatch: 'Terminal {terminal} ≠ Kasse {lane}. Marktleitung rufen.',
  digitalReceiptWhy: 'Der Drucker kann gerade nicht drucken — der Beleg kommt, sobald er wieder geht. Der Kunde kann den Code scannen.',
  connecting: 'Verbinde mit dem Kassenkern…',
  notConnected: 'Nicht verbunden — gleich noch einmal versuchen',
  msgReady: 'Bereit. Artikel scannen.',
  msgAdded: '{name} hinzugefügt',
  msgSubtotal: 'Zwischensumme. Betrag + F10, oder F10 für passend.',
  msgVoided: 'Storniert: {name}',
  msgDiscounted: 'Rabatt {amount} abgezogen. Summe: {total}',
  msgResumed: 'Geparkter Einkauf fortgesetzt: {n} Positionen',
  msgTendered: '{amount} erhalten. {remaining}',
  inCash: 'bar {amount}',
  msgTypeQty: 'Menge eingeben und F1 drücken',
  msgScanInModal: 'Scan nicht übernommen – zuerst das Fenster abschließen, dann erneut scannen.',
  msgTypeCash: 'Betrag eingeben, z. B. 20 oder 12,50',
  language: 'Sprache',
  pin: 'PIN',
  locked: 'Gesperrt — {name}',
  unlock: 'Entsperren (Enter)',
  ageTitle: 'Alterskontrolle',
  ageBody: 'Der Kunde muss mindestens {age} Jahre alt sein. Ausweis prüfen.',
  ageConfirm: 'Alter geprüft (Enter)',
  ageVoid: 'Artikel entfernen',
  approvalTitle: 'Freigabe nötig',
  approvalBody: 'Ein Vorgesetzter muss mit Nummer und PIN freigeben.',
  supervisorNumber: 'Nummer des Vorgesetzten',
  approve: 'Freigeben (Enter)',
  back: 'Zurück (Esc)',
  training: 'TRAININGSMODUS',
  trainingOn: 'Training starten',
  trainingOff: 'Training beenden',
  priceCheck: 'Preis\u00adabfrage',
  lock: 'Sperren',
  menu: 'Menü',
  zvt: { 0: 'Bitte Betrag bestätigen', 1: 'Bitte auf das Kartenterminal achten', 2: 'Bitte auf das Kartenterminal achten', 3: 'Nicht akzeptiert', 4: 'Bitte warten auf den Kartenanbieter', 5: 'Sende an den Kartenanbieter', 6: 'Nicht akzeptiert', 7: 'Karte nicht zugelassen', 8: 'Karte unbekannt', 9: 'Karte abgelaufen', 10: 'Karte einstecken', 11: 'Bitte Karte entnehmen', 12: 'Karte nicht lesbar', 13: 'Vorgang abgebrochen', 14: 'Bitte warten', 15: 'Terminal startet automatischen Kassenschnitt', 16: 'Ungültige Karte', 17: 'Guthabenanzeige', 18: 'Systemfehler', 19: 'Zahlung nicht möglich', 20: 'Guthaben nicht ausreichend', 21: 'PIN falsch', 22: 'Limit nicht ausreichend', 23: 'Bitte warten', 24: 'PIN-Versuche überschritten', 25: 'Kartendaten fehlerhaft', 26: 'Servicemodus', 27: 'Autorisiert, bitte tanken', 28: 'Zahlung erfolgt, bitte Ware entnehmen', 29: 'Abgelehnt', 38: 'Bitte PIN eingeben', 42: 'Karte einstecken, auflegen oder durchziehen' },
  voidLast: 'Letzten stornieren',
  msgPriceCheckType: 'Code scannen oder eingeben, dann F3',
  openTillTitle: 'Kassenlade öffnen',
  openTillBody: 'Wechselgeld zählen: Anzahl je Schein und Münze.',
  openTillNoCash: 'Diese Selbstbedienungskasse nimmt nur Karten: kein Wechselgeld zu zählen.',
  openTill: 'Kasse öffnen (Enter)',
  countTotal: 'Summe',
  card: 'Karte',
  giftCard: 'Gutschein',
  tenderCash: 'Bar',
  voidTender: 'Entfernen',
  cardPendingTitle: 'Kartenzahlung läuft',
  cardPendingBody: 'Der Kunde folgt den Anweisungen am Kartenterminal ({amount}).',
  resolveCharged: 'Terminal meldet: belastet',
  resolveNotCharged: 'Terminal meldet: nicht belastet',
  returns: 'Rückgabe',
  receiptCode: 'Beleg-Barcode scannen',
  findSale: 'Beleg suchen (Enter)',
  refund: 'Erstatten',
  reasonLabel: 'Grund',
  defaultReturnReason: 'Kundenrückgabe',
  returnable: 'rückgebbar',
  done: 'Fertig',
  xReport: 'X-Bericht',
  closeTill: 'Kasse schließen (Z)',
  closeTillBody: 'Kassenlade zählen, ohne den Sollbetrag zu sehen. Ein Vorgesetzter gibt frei.',
  suspend: 'Parken',
  suspended: 'Einkauf geparkt — Zettel dem Kunden geben. Zettel scannen, um fortzusetzen.',
  copy: 'Belegkopie',
  badge: 'oder Ausweis des Vorgesetzten scannen',
  printer: 'Drucker',
  printerQueued: '{n} Beleg wartet',
  printerStates: { none: '', ok: 'bereit', paperLow: 'Papier bald leer', paperOut: 'Papier leer — nachlegen, der Beleg druckt von selbst', coverOpen: 'Deckel offen — schließen', offline: 'nicht verbunden — Kabel prüfen', error: 'Fehler — Drucker neu starten' },
  catalogStale: "Preise evtl. veraltet — der Katalog der Zentrale ist abgelaufen (Verkauf geht weiter)",
  catalogApplying: 'Neuer Katalog wird geladen: {done} von {total} Artikeln',
  report: { sales: 'Umsatz', rounding: 'Rundung', returns: 'Rückgaben', voids: 'Stornos', discounts: 'Rabatte', expectedCash: 'Soll-Bestand', counted: 'Gezählt', overShort: 'Differenz', grandTotal: 'Gesamtsumme (GT)', tender: { cash: 'Bar', card: 'Karte', voucher: 'Gutschein' } },
  refundTo: { title: 'Erstattung', original: 'Wie bezahlt ({how})', cash: 'Bar (die Kundin hat die Karte nicht dabei)' },
  kiosk: {
    welcome: 'Willkommen!',
    touchToStart: 'Scannen Sie Ihren ersten Artikel oder tippen Sie auf „Einkauf starten“.',
    start: 'Einkauf starten',
    scanPrompt: 'Nächsten Artikel scannen',
    scanPromptFirst: 'Ersten Artikel scannen',
    produce: 'Obst und Gemüse',
    produceTitle: 'Artikel wählen',
    produceSearch: 'Name oder PLU suchen',
    produceNone: 'Kein Artikel gefunden.',
    perKg: '{price}/kg',
    perPiece: '{price}/Stk.',
    placeOnScale: 'Legen Sie den Artikel auf die Waage und wählen Sie ihn erneut, falls nichts passiert.',
    callHelp: 'Hilfe',
    helpComing: 'Eine Mitarbeiterin oder ein Mitarbeiter kommt.',
    cardYou: 'Bitte folgen Sie den Anweisungen am Kartenterminal ({amount}).',
    cancelCardYou: 'Kartenzahlung abbrechen',
    notRecognised: 'Dieser Artikel wurde nicht erkannt. Bitte legen Sie ihn beiseite – jemand vom Personal kommt und hilft Ihnen.',
    pay: 'Bezahlen',
    payCard: 'Mit Karte bezahlen',
    payCash: 'Bar bezahlen',
    cardOnly: 'Hier zahlen Sie mit Karte.',
    followTerminal: 'Bitte folgen Sie den Anweisungen am Kartenterminal.',
    ageWait: 'Dieser Artikel ist ab {age} Jahren. Das Personal prüft gleich Ihren Ausweis.',
    ageRemove: 'Artikel entfernen',
    receiptChoice: 'Möchten Sie einen Beleg?',
    receiptPrint: 'Drucken',
    receiptDigital: 'Digital (QR-Code)',
    receiptNone: 'Kein Beleg',
    thanks: 'Vielen Dank für Ihren Einkauf!',
    scanQr: 'Scannen Sie den Code mit dem Handy, um den Beleg zu speichern.',
    stillThere: 'Sind Sie noch da?',
    stillThereBody: 'Ohne Eingabe werden die Artikel in {seconds} s entfernt.',
    imHere: 'Ich bin noch da',
    cancelBasket: 'Einkauf abbrechen',
    cancelConfirm: 'Alle Artikel entfernen und den Einkauf abbrechen?',
    yesCancel: 'Ja, abbrechen',
    keepShopping: 'Nein, weiter einkaufen',
    closedTitle: 'Diese Kasse ist geschlossen',
    closedBody: 'Bitte nutzen Sie eine andere Kasse.',
    staffSignIn: 'Personal: anmelden',
    staffRemoves: 'Artikel entfernt das Personal. Tippen Sie auf „Hilfe“.',
    staff: 'Personal',
    backToSelf: 'Zurück zur Selbstbedienung',
    suspendedTitle: 'Geparkte Einkäufe',
    suspendedNone: 'Keine geparkten Einkäufe an dieser Kasse.',
    suspendedBy: 'Kassierer/in {operator}',
    deviceHelp: {
      scanner: 'Barcode von Hand eingeben. Kabel des Scanners prüfen.',
      scale: 'Gewogene Ware mit Etikett oder an einer anderen Kasse verkaufen. Kabel und Strom der Waage prüfen.',
      display: 'Der Kunde sieht die Summe nicht – bitte ansagen. Kabel der Anzeige prüfen.',
      drawer: 'Die Lade mit dem Schlüssel öffnen. Bargeld wird wie gewohnt gezählt.',
      payment: 'Bar oder mit Gutschein kassieren. Kabel und Netzwerk des Kartenterminals prüfen.',
    },
    attTitle: 'Selbstbedienungskassen',
    attSignIn: 'Als Aufsicht anmelden',
    attKiosk: 'Kasse {lane}',
    attStates: { closed: 'Geschlossen', idle: 'Frei', scanning: 'Kauft ein', subtotal: 'Bezahlt gerade', cardPending: 'Kartenzahlung läuft', reversing: 'Kartenzahlung wird storniert', paid: 'Bezahlt' },
    attHelp: { customer: 'Kunde bittet um Hilfe', itemNotFound: 'Unbekannter Artikel: {detail}', idle: 'Teilweise bezahlter Einkauf unbeachtet', payment: 'Kartenzahlung braucht eine Entscheidung: {detail}' },
    attApproveAge: 'Alter bestätigen ({age}+)',
    attVoid: 'Entfernen',
    attClearHelp: 'Erledigt',
    attCancelSale: 'Einkauf abbrechen',
    attDisconnected: 'Keine Verbindung zur Kasse – neuer Versuch …',
    attNoKiosks: 'Keine Kassen anzuzeigen.',
    attSince: 'seit {time}',
    attSignedInAs: 'Angemeldet: {name}',
    infTitle: 'Artikel nicht gefunden',
    infBody: 'Der Barcode {code} ist nicht im Sortiment.',
    infDepartment: 'Warengruppe',
    infPrice: 'Preis',
    infSell: 'Zu diesem Preis verkaufen',
    infSupervisor: 'Zurücklegen – Aufsicht rufen',
    infChooseDepartment: 'Abteilung wählen',
    infSent: 'Die Aufsicht ist gerufen und der Barcode notiert.',
    infDeptSale: 'Warengruppenverkauf',
    helpCalled: 'Hilfe gerufen',
    helpClear: 'Erledigt',
    restartingTitle: 'Die Kasse startet neu',
    restartingBody: 'Der Einkauf ist gespeichert. Das dauert nur wenige Sekunden.',
    restartingAttempt: 'Versuch {n}',
  },
  hq: {
    title: 'Zentrale und Katalog',
    notEnrolled: 'Die Kasse ist nicht bei der Zentrale angemeldet.',
    sync: 'Verkäufe an die Zentrale',
    online: 'Zentrale erreichbar',
    offline: 'Zentrale nicht erreichbar',
    backlog: 'Wartende Verkäufe',
    oldest: 'Ältester',
    lastSync: 'Zuletzt gesendet',
    lastError: 'Letzter Fehler',
    quarantined: 'In Quarantäne',
    catalog: 'Katalog',
    version: 'Version',
    items: 'Artikel',
    published: 'Veröffentlicht',
    applied: 'Geladen',
    expires: 'Gültig bis',
    stale: 'abgelaufen — Preise evtl. veraltet',
    lastCheck: 'Letzte Prüfung',
    applying: 'Lade Version {version}: {done} von {total}',
    never: 'nie',
  },
  dev: {
    open: 'Service und Geräte',
    title: 'Service (IT)',
    close: 'Schließen',
    refresh: 'Aktualisieren',
    none: 'An dieser Kasse sind keine Geräte konfiguriert.',
    kinds: { printer: 'Bondrucker', scanner: 'Scanner', scale: 'Waage', display: 'Kundenanzeige', drawer: 'Kassenlade', payment: 'Kartenterminal' },
    states: { online: 'in Ordnung', warning: 'Warnung', offline: 'nicht verbunden' },
    actions: { testPrint: 'Testseite drucken', openDrawer: 'Lade öffnen', showText: 'Text anzeigen', readWeight: 'Gewicht lesen', simulateScan: 'Scan simulieren' },
    columns: { device: 'Gerät', connection: 'Anschluss', state: 'Zustand', since: 'Seit', test: 'Test' },
    textLabel: 'Text für die Anzeige',
    printout: 'Ausgabe des simulierten Geräts',
    found: 'An dieser Kasse gefunden',
    foundNone: 'Keine seriellen Schnittstellen oder HID-Geräte gefunden.',
    barcodeScanner: 'Barcodescanner (HID POS)',
    who: 'Für IT oder Marktleitung: Nummer und PIN eingeben.',
    operator: 'Nummer',
    pin: 'PIN',
    details: {
      starting: 'startet',
      ready: 'bereit',
      paperOut: 'Papier leer — die Belege warten in der Warteschlange',
      paperLow: 'Papier geht zur Neige — Rolle bald wechseln',
      coverOpen: 'Deckel offen',
      printerError: 'Druckerfehler',
      offline: 'offline',
      notConnected: 'nicht verbunden',
      connected: 'verbunden',
      answering: 'antwortet',
      readyToScan: 'scanbereit',
      registered: 'angemeldet',
      registrationRefused: 'Anmeldung abgelehnt',
    },
    it: {
      sections: 'Bereiche des Service-Bildschirms',
      tabDevices: 'Geräte',
      tabLog: 'Protokoll',
      tabConfig: 'Konfiguration',
      tabDiagnostics: 'Diagnose',
      itOnly: 'Dieser Bereich ist nur für die IT. Bitte IT-Nummer und PIN eingeben.',
      itOnlyShort: 'nur für die IT',
      notIt: 'Diese Nummer gehört nicht zur IT. Dieser Bereich braucht IT-Nummer und PIN.',
      signInIt: 'Als IT anmelden',
      loading: 'Wird geladen …',
      none: 'keine',
      identity: 'Diese Kasse',
      store: 'Filiale',
      lane: 'Kasse',
      terminalId: 'Terminal-ID in der Zentrale',
      notEnrolled: 'nicht mit der Zentrale verbunden',
      software: 'Softwareversion',
      catalog: 'Sortiment',
      catalogValue: 'Version {version} · {items} Artikel',
      database: 'Datenbank',
      devicesFile: 'Gerätedatei',
      noDevicesFile: 'keine (eingebaute Konfiguration)',
      profile: 'Land und Sprache',
      runtime: 'Laufzeitumgebung',
      uptime: 'Läuft seit',
      since: 'seit {time}',
      uptimeDays: '{d} Tg. {h} Std.',
      uptimeHours: '{h} Std. {m} Min.',
      uptimeMinutes: '{m} Min.',
      uptimeSeconds: '{s} Sek.',
      log: 'Protokoll',
      logFilter: 'Nur Zeilen zeigen, die Folgendes enthalten',
      logShow: 'Anzeigen',
      logRefresh: 'Protokoll aktualisieren',
      logCount: '{n} Zeilen',
      logCountFiltered: '{n} von {total} Zeilen enthalten „{filter}“',
      logTruncated: '(ältere Zeilen wurden verworfen)',
      logEmpty: 'Keine Zeilen.',
      config: 'Gerätekonfiguration',
      configFile: 'Datei: {file}',
      configDemo: 'Eingebaute Geräte der Demo-Filiale. Wird in {file} gespeichert.',
      configNone: 'Noch keine Gerätedatei. Wird in {file} gespeichert.',
      configLabel: 'Konfiguration (JSON)',
      configHelp: 'Zuerst prüfen. Nur eine fehlerfreie Konfiguration wird gespeichert; die Geräte starten dann damit neu.',
      configTooLong: 'Der Text ist zu lang (höchstens {max} Zeichen).',
      configCheck: 'Prüfen',
      configSave: 'Speichern und anwenden',
      configReload: 'Neu von der Kasse laden',
      configValid: 'Keine Fehler gefunden. Mit „Speichern und anwenden“ wird sie übernommen.',
      configSaved: 'In {file} gespeichert und aktiv: {n} Geräte laufen.',
      configNotSaved: 'Die Konfiguration konnte nicht gespeichert werden — nichts wurde geändert. Bitte den Datenträger prüfen.',
      problemsOne: '1 Fehler — nichts wurde gespeichert:',
      problemsMany: '{n} Fehler — nichts wurde gespeichert:',
      wholeFile: 'Die Datei',
      whereFile: 'Feld {field}',
      whereDevice: 'Gerät {device}',
      whereField: 'Gerät {device}, Feld {field}',
      problems: {
        json: 'ist kein gültiges JSON ({detail}).',
        notList: 'muss eine Liste "devices": [ … ] enthalten.',
        notObject: 'jedes Gerät muss ein Objekt mit "kind" und "id" sein.',
        unknownKind: '„{value}“ ist keine bekannte Geräteart. Möglich: {options}.',
        missing: 'fehlt — "{field}" ergänzen.',
        wrongType: 'muss {expected} sein.',
        tooSmall: 'muss mindestens {min} sein.',
        tooBig: 'darf höchstens {max} sein.',
        tooShort: 'muss mindestens {min} Zeichen haben.',
        tooLong: 'darf höchstens {max} Zeichen haben.',
        oneOf: 'muss einer dieser Werte sein: {options}.',
        format: 'hat das falsche Format.',
        formatId: 'darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten und muss mit einem Buchstaben beginnen.',
        formatPath: 'muss ein Gerätepfad wie /dev/ttyUSB0 sein.',
        formatPathOr: 'muss ein Gerätepfad wie /dev/ttyUSB0 oder {options} sein.',
        unknownField: 'unbekanntes Feld {keys} — bitte die Schreibweise prüfen.',
        duplicateId: 'die ID „{id}“ wird von zwei Geräten verwendet.',
        invalid: 'ist ungültig.',
      },
      types: { number: 'eine Zahl', integer: 'eine ganze Zahl', string: 'ein Text', boolean: 'true oder false', object: 'ein Objekt { … }', list: 'eine Liste [ … ]' },
      diagnostics: 'Diagnose auf USB',
      diagnosticsWhat: 'Schreibt Protokolle, Konfiguration, Versionen und Status in einen Ordner auf dem USB-Stick — keine Passwörter, PINs, Schlüssel oder Kartendaten.',
      usbDrive: 'USB-Stick',
      usbNone: 'Kein USB-Stick gefunden (gesucht unter {roots}). Stick einstecken und „Erneut suchen“ drücken.',
      usbRefresh: 'Erneut suchen',
      exportButton: 'Diagnose auf USB schreiben',
      exportDone: 'Fertig: {n} Dateien ({kb} kB) in {folder}',
      usbRefused: 'Keine Diagnose geschrieben: {detail}.',
      usbWriteFailed: 'Die Diagnose konnte nicht auf den USB-Stick geschrieben werden ({detail}). Ist er schreibgeschützt oder voll?',
      exit: 'Kioskmodus beenden …',
      exitQuestion: 'Die Kiosk-App beenden? Die Kasse verkauft erst wieder, wenn sie neu gestartet wird.',
      exitCancel: 'Abbrechen',
      exitConfirm: 'Kioskmodus beenden',
      exitDone: 'Die Kiosk-App wird beendet.',
      noKiosk: 'Hier gibt es keine Kiosk-App zum Beenden.',
    },
  },
  drawerOpen: 'Lade offen',
  drawerLeftOpen: 'Lade lange offen — bitte schließen',
  customerThanks: 'Vielen Dank für Ihren Einkauf!',
  errors: {
    INVALID_MESSAGE: 'Die Kasse hat die Nachricht nicht verstanden — bitte erneut versuchen.',
    INVALID_COMMAND: 'Ungültige Eingabe — bitte prüfen.',
    MESSAGE_TOO_LARGE: 'Die Eingabe ist zu lang.',
    UNAUTHORIZED: 'Keine Berechtigung.',
    INVALID_BARCODE: 'Der Barcode {code} ist ungültig (Prüfziffer falsch) — erneut scannen oder eintippen.',
    ITEM_NOT_FOUND: 'Artikel {code} nicht gefunden — Code prüfen oder Artikel anders erfassen.',
    ITEM_BLOCKED: '{name} darf nicht verkauft werden.',
    WEIGHT_REQUIRED: '{name} wird nach Gewicht verkauft — bitte auf die Waage legen.',
    LINE_NOT_FOUND: 'Diese Position gibt es nicht.',
    QUANTITY_NOT_ALLOWED: 'Die Menge dieser Position kann nicht geändert werden.',
    NOT_ALLOWED_NOW: 'Das geht gerade nicht.',
    NOT_SIGNED_IN: 'Bitte zuerst anmelden.',
    LANE_CLOSED: 'Die Kasse ist geschlossen — bitte zuerst öffnen.',
    NO_OPEN_SALE: 'Kein offener Einkauf.',
    EMPTY_SALE: 'Bitte zuerst einen Artikel scannen.',
    INSUFFICIENT_TENDER: 'Der Einkauf ist noch nicht vollständig bezahlt.',
    STORAGE_FAILED: 'Die Änderung konnte nicht gespeichert werden — nichts wurde geändert. Erneut versuchen; bei Wiederholung IT rufen.',
    DRAWER_UNAVAILABLE: 'Die Kassenlade ging nicht auf. Mit dem Schlüssel öffnen und die IT informieren.',
    BAD_CREDENTIALS: 'Nummer oder PIN falsch — bitte erneut versuchen.',
    OPERATOR_LOCKED_OUT: 'Zu viele Fehlversuche — in {minutes} Min. erneut versuchen oder Vorgesetzte rufen.',
    LANE_LOCKED: 'Die Kasse ist gesperrt — mit PIN entsperren.',
    APPROVAL_REQUIRED: 'Ein Vorgesetzter muss das freigeben.',
    APPROVAL_DENIED: 'Diese Freigabe gilt nicht — ein anderer Vorgesetzter muss freigeben.',
    AGE_CHECK_REQUIRED: 'Zuerst das Alter prüfen ({age} Jahre).',
    TILL_NOT_OPEN: 'Die Kasse ist nicht geöffnet — zuerst das Wechselgeld zählen.',
    TILL_ALREADY_OPEN: 'Die Kasse ist bereits geöffnet.',
    INVALID_COUNT: 'Die Zählung stimmt nicht — Scheine und Münzen prüfen.',
    VOUCHER_INVALID: 'Dieser Gutschein gilt hier nicht.',
    VOUCHER_EMPTY: 'Der Gutschein hat kein Guthaben mehr.',
    PAYMENT_DECLINED: 'Kartenzahlung abgelehnt — andere Karte oder andere Zahlart.',
    PAYMENT_PENDING: 'Eine Kartenzahlung läuft — bitte auf das Terminal warten.',
    PAYMENT_UNAVAILABLE: 'Kein Kartenterminal verbunden — andere Zahlart nehmen.',
    RECEIPT_NOT_FOUND: 'Dieser Beleg ist an dieser Kasse nicht bekannt.',
    RETURN_TOO_MANY: 'So viele können von diesem Beleg nicht zurückgegeben werden.',
    SLIP_NOT_FOUND: 'Dieser Parkzettel ist hier unbekannt — bitte den QR-Code scannen.',
    SLIP_ALREADY_RESUMED: 'Dieser geparkte Einkauf wurde schon fortgesetzt.',
    INTERNAL: 'In der Kasse ist etwas schiefgegangen — nichts wurde geändert.',
  },
};

const en: Messages = {
  laneClosed: 'Lane closed',
  openLane: 'Open lane (Enter)',
  signInTitle: 'Sign in',
  operatorNumber: 'Operator number',
  signIn: 'Sign in (Enter)',
  operator: 'Operator',
  lane: 'Lane',
  scanPlaceholder: 'Scan or type barcode',
  scanLabel: 'Barcode, quantity or amount',
  basket: 'Basket',
  emptyBasket: 'Scan the first item',
  total: 'TOTAL',
  items: { one: '{n} item', other: '{n} items' },
  vat: 'VAT',
  vatRate: 'Rate',
  net: 'Net',
  gross: 'Gross',
  showVat: 'Show VAT',
  hideVat: 'Hide VAT',
  rounding: 'Cash rounding',
  paid: 'Paid',
  remaining: 'Left to pay',
  voided: 'Voided',
  deposit: 'Deposit',
  priceOnLabel: 'price from label',
  ageLimit: '{n}+',
  keys: { qty: 'Qty', void: 'Void', vat: 'VAT', cancel: 'Cancel sale', subtotal: 'Subtotal', cash: 'Cash', exact: 'Exact', back: 'Back', signOut: 'Sign out', discount: 'Line discount', saleDiscount: 'Sale discount' },
  manualDiscount: 'Manual discount',
  msgDiscountType: 'Type 10% or an amount, then F5 (Shift+F5 for the whole sale)',
  member: 'Member',
  msgMemberType: 'Scan or type the loyalty card number, then Member',
  confirmCancel: 'Press F11 again to cancel the sale',
  changeDue: 'Change due',
  completeSale: 'Complete sale (Enter)',
  saleComplete: 'Sale complete — change {change}',
  receipt: 'Receipt',
  digitalReceipt: 'Receipt on your phone: scan the code',
  reconcileTitle: 'The terminal cannot confirm this payment — a supervisor compares with the terminal’s receipt and decides:',
  cardOffline: 'Card terminal offline · {n} payments waiting (oldest {age})',
  cardOfflinePending: '{n} offline card payments await the end of day (oldest {age})',
  cardOfflineHelp: 'The terminal approves cards without the bank up to the store’s limits. Run the end of day on the terminal once it is online.',
  cardEndOfDay: 'Card end of day',
  abortPayment: 'Customer gives up — abort at the terminal',
  syncOffline: 'HQ unreachable · {n} sales waiting (oldest {age}) — selling goes on',
  syncBacklog: 'HQ: sending {n} sales',
  cardEodMatch: 'Terminal {terminal} = lane {lane}. Matches.',
  cardEodMismatch: 'Terminal {terminal} ≠ lane {lane}. Call a supervisor.',
  digitalReceiptWhy: 'The printer cannot print right now — the receipt prints when it works again. The customer can scan the code.',
  connecting: 'Reconnecting to the till core…',
  notConnected: 'Not connected — try again in a moment',
  msgReady: 'Ready. Scan an item.',
  msgAdded: '{name} added',
  msgSubtotal: 'Subtotal. Take payment: amount + F10, or F10 for exact cash.',
  msgVoided: 'Voided: {name}',
  msgDiscounted: 'Discount of {amount} taken off. To pay: {total}',
  msgResumed: 'Parked sale resumed: {n} lines',
  msgTendered: '{amount} received. {remaining}',
  inCash: 'in cash {amount}',
  msgTypeQty: 'Type the quantity, then press F1',
  msgScanInModal: 'Scan not taken – finish this window first, then scan again.',
  msgTypeCash: 'Type an amount, e.g. 200 or 12.50',
  language: 'Language',
  pin: 'PIN',
  locked: 'Locked — {name}',
  unlock: 'Unlock (Enter)',
  ageTitle: 'Age check',
  ageBody: 'The customer must be at least {age}. Check their ID.',
  ageConfirm: 'Age checked (Enter)',
  ageVoid: 'Remove the item',
  approvalTitle: 'Approval needed',
  approvalBody: 'A supervisor must approve this with their number and PIN.',
  supervisorNumber: 'Supervisor number',
  approve: 'Approve (Enter)',
  back: 'Back (Esc)',
  training: 'TRAINING MODE',
  trainingOn: 'Start training',
  trainingOff: 'End training',
  priceCheck: 'Price check',
  lock: 'Lock',
  menu: 'Menu',
  zvt: { 0: 'Please confirm the amount', 1: 'Please watch the PIN pad', 2: 'Please watch the PIN pad', 3: 'Not accepted', 4: 'Please wait for the card provider', 5: 'Sending to the card provider', 6: 'Not accepted', 7: 'Card not permitted', 8: 'Card unknown', 9: 'Card expired', 10: 'Insert card', 11: 'Please remove card', 12: 'Card not readable', 13: 'Processing error', 14: 'Please wait', 15: 'Terminal is starting an automatic end of day', 16: 'Invalid card', 17: 'Balance display', 18: 'System malfunction', 19: 'Payment not possible', 20: 'Credit not sufficient', 21: 'Incorrect PIN', 22: 'Limit not sufficient', 23: 'Please wait', 24: 'PIN try limit exceeded', 25: 'Card data incorrect', 26: 'Service mode', 27: 'Approved, please fill up', 28: 'Approved, please take the goods', 29: 'Declined', 38: 'Please enter your PIN', 42: 'Insert, tap or swipe your card' },
  voidLast: 'Void last',
  msgPriceCheckType: 'Scan or type the code, then press F3',
  openTillTitle: 'Open the till',
  openTillBody: 'Count the float: how many of each note and coin.',
  openTillNoCash: 'This self-checkout takes cards only: there is no float to count.',
  openTill: 'Open till (Enter)',
  countTotal: 'Total',
  card: 'Card',
  giftCard: 'Gift card',
  tenderCash: 'Cash',
  voidTender: 'Remove',
  cardPendingTitle: 'Card payment in progress',
  cardPendingBody: 'The customer follows the instructions on the card terminal ({amount}).',
  resolveCharged: 'Terminal says: charged',
  resolveNotCharged: 'Terminal says: not charged',
  returns: 'Return',
  receiptCode: 'Scan the receipt barcode',
  findSale: 'Find receipt (Enter)',
  refund: 'Refund',
  reasonLabel: 'Reason',
  defaultReturnReason: 'Customer return',
  returnable: 'can be returned',
  done: 'Done',
  xReport: 'X report',
  closeTill: 'Close till (Z)',
  closeTillBody: 'Count the drawer without seeing what is expected. A supervisor approves.',
  suspend: 'Suspend',
  suspended: 'Basket parked — give the customer the slip. Scan the slip to carry on.',
  copy: 'Receipt copy',
  badge: 'or scan the supervisor badge',
  printer: 'Printer',
  printerQueued: '{n} receipt waiting',
  printerStates: { none: '', ok: 'ready', paperLow: 'paper low', paperOut: 'out of paper — load paper; the receipt prints by itself', coverOpen: 'cover open — close it', offline: 'not connected — check the cable', error: 'error — restart the printer' },
  catalogStale: "Prices may be stale — HQ's catalog has expired (selling goes on)",
  catalogApplying: 'Loading a new catalog: {done} of {total} items',
  report: { sales: 'Sales', rounding: 'Rounding', returns: 'Returns', voids: 'Voids', discounts: 'Discounts', expectedCash: 'Expected in drawer', counted: 'Counted', overShort: 'Over/short', grandTotal: 'Grand total', tender: { cash: 'Cash', card: 'Card', voucher: 'Gift card' } },
  refundTo: { title: 'Refund', original: 'As paid ({how})', cash: 'Cash (the customer does not have the card)' },
  kiosk: {
    welcome: 'Welcome!',
    touchToStart: 'Scan your first item or tap Start shopping.',
    start: 'Start shopping',
    scanPrompt: 'Scan your next item',
    scanPromptFirst: 'Scan your first item',
    produce: 'Fruit and vegetables',
    produceTitle: 'Choose an item',
    produceSearch: 'Search by name or PLU',
    produceNone: 'No item found.',
    perKg: '{price}/kg',
    perPiece: '{price} each',
    placeOnScale: 'Put the item on the scale, and choose it again if nothing happens.',
    callHelp: 'Help',
    helpComing: 'A member of staff is on the way.',
    cardYou: 'Follow the instructions on the card terminal ({amount}).',
    cancelCardYou: 'Cancel the card payment',
    notRecognised: 'This item was not recognised. Please put it aside – a member of staff is on the way to help you.',
    pay: 'Pay',
    payCard: 'Pay by card',
    payCash: 'Pay with cash',
    cardOnly: 'This checkout takes cards.',
    followTerminal: 'Follow the instructions on the card terminal.',
    ageWait: 'This item is for {age}+ only. A member of staff will check your ID.',
    ageRemove: 'Remove the item',
    receiptChoice: 'Would you like a receipt?',
    receiptPrint: 'Print',
    receiptDigital: 'Digital (QR code)',
    receiptNone: 'No receipt',
    thanks: 'Thank you for shopping with us!',
    scanQr: 'Scan the code with your phone to keep the receipt.',
    stillThere: 'Are you still there?',
    stillThereBody: 'The items are removed in {seconds} s unless you tap.',
    imHere: "I'm still here",
    cancelBasket: 'Cancel shopping',
    cancelConfirm: 'Remove all items and cancel?',
    yesCancel: 'Yes, cancel',
    keepShopping: 'No, keep shopping',
    closedTitle: 'This checkout is closed',
    closedBody: 'Please use another checkout.',
    staffSignIn: 'Staff: sign in',
    staffRemoves: 'Staff remove items. Tap Help.',
    staff: 'Staff',
    backToSelf: 'Back to self-checkout',
    suspendedTitle: 'Parked sales',
    suspendedNone: 'No parked sales on this lane.',
    suspendedBy: 'cashier {operator}',
    deviceHelp: {
      scanner: 'Type the barcode. Check the scanner cable.',
      scale: 'Sell weighed items with a weight label, or at another lane. Check the scale cable and power.',
      display: 'The customer cannot see the total – read it out. Check the display cable.',
      drawer: 'Open the drawer with its key. Cash is counted as usual.',
      payment: 'Take cash or a gift card. Check the card terminal cable and network.',
    },
    attTitle: 'Self-checkouts',
    attSignIn: 'Sign in as attendant',
    attKiosk: 'Checkout {lane}',
    attStates: { closed: 'Closed', idle: 'Free', scanning: 'Shopping', subtotal: 'Paying', cardPending: 'Card payment in progress', reversing: 'Card payment being reversed', paid: 'Paid' },
    attHelp: { customer: 'Customer asks for help', itemNotFound: 'Unknown item: {detail}', idle: 'Partly paid basket left alone', payment: 'The card payment needs a decision: {detail}' },
    attApproveAge: 'Approve age ({age}+)',
    attVoid: 'Remove',
    attClearHelp: 'Helped',
    attCancelSale: 'Cancel the sale',
    attDisconnected: 'No connection to the checkout – retrying …',
    attNoKiosks: 'No checkouts to show.',
    attSince: 'since {time}',
    attSignedInAs: 'Signed in: {name}',
    infTitle: 'Item not found',
    infBody: 'The barcode {code} is not in the catalog.',
    infDepartment: 'Department',
    infPrice: 'Price',
    infSell: 'Sell at this price',
    infSupervisor: 'Set aside – call a supervisor',
    infChooseDepartment: 'Choose a department',
    infSent: 'A supervisor is called and the barcode noted.',
    infDeptSale: 'Department sale',
    helpCalled: 'Help called',
    helpClear: 'Done',
    restartingTitle: 'The till is restarting',
    restartingBody: 'The basket is saved. This takes a few seconds.',
    restartingAttempt: 'Attempt {n}',
  },
  hq: {
    title: 'HQ and catalog',
    notEnrolled: 'This terminal is not enrolled with HQ.',
    sync: 'Sales to HQ',
    online: 'HQ reachable',
    offline: 'HQ unreachable',
    backlog: 'Sales waiting',
    oldest: 'Oldest',
    lastSync: 'Last sent',
    lastError: 'Last error',
    quarantined: 'Quarantined',
    catalog: 'Catalog',
    version: 'Version',
    items: 'Items',
    published: 'Published',
    applied: 'Loaded',
    expires: 'Valid until',
    stale: 'expired — prices may be stale',
    lastCheck: 'Last check',
    applying: 'Loading version {version}: {done} of {total}',
    never: 'never',
  },
  dev: {
    open: 'Service and devices',
    title: 'Service (IT)',
    close: 'Close',
    refresh: 'Refresh',
    none: 'No devices are configured on this lane.',
    kinds: { printer: 'Receipt printer', scanner: 'Scanner', scale: 'Scale', display: 'Customer display', drawer: 'Cash drawer', payment: 'Card terminal' },
    states: { online: 'working', warning: 'warning', offline: 'not connected' },
    actions: { testPrint: 'Print test page', openDrawer: 'Open drawer', showText: 'Show text', readWeight: 'Read weight', simulateScan: 'Simulate scan' },
    columns: { device: 'Device', connection: 'Connection', state: 'State', since: 'Since', test: 'Test' },
    textLabel: 'Text for the display',
    printout: 'Output of the simulated device',
    found: 'Found on this terminal',
    foundNone: 'No serial ports or HID devices found.',
    barcodeScanner: 'barcode scanner (HID POS)',
    who: 'For IT or a supervisor: enter your number and PIN.',
    operator: 'Number',
    pin: 'PIN',
    details: {
      starting: 'starting',
      ready: 'ready',
      paperOut: 'paper out — receipts wait in the queue',
      paperLow: 'paper low — change the roll soon',
      coverOpen: 'cover open',
      printerError: 'printer error',
      offline: 'offline',
      notConnected: 'not connected',
      connected: 'connected',
      answering: 'answering',
      readyToScan: 'ready to scan',
      registered: 'registered',
      registrationRefused: 'registration refused',
    },
    it: {
      sections: 'Parts of the service screen',
      tabDevices: 'Devices',
      tabLog: 'Log',
      tabConfig: 'Configuration',
      tabDiagnostics: 'Diagnostics',
      itOnly: 'This part is for store IT only. Enter the IT number and PIN.',
      itOnlyShort: 'store IT only',
      notIt: 'That number is not store IT. This part needs the IT number and PIN.',
      signInIt: 'Sign in as IT',
      loading: 'Loading …',
      none: 'none',
      identity: 'This terminal',
      store: 'Store',
      lane: 'Lane',
      terminalId: 'Terminal id at HQ',
      notEnrolled: 'not connected to HQ',
      software: 'Software version',
      catalog: 'Catalogue',
      catalogValue: 'version {version} · {items} items',
      database: 'Database',
      devicesFile: 'Device file',
      noDevicesFile: 'none (built-in configuration)',
      profile: 'Country and language',
      runtime: 'Runtime',
      uptime: 'Up for',
      since: 'since {time}',
      uptimeDays: '{d} d {h} h',
      uptimeHours: '{h} h {m} min',
      uptimeMinutes: '{m} min',
      uptimeSeconds: '{s} s',
      log: 'Log',
      logFilter: 'Show only lines containing',
      logShow: 'Show',
      logRefresh: 'Refresh the log',
      logCount: '{n} lines',
      logCountFiltered: '{n} of {total} lines contain “{filter}”',
      logTruncated: '(older lines were dropped)',
      logEmpty: 'No lines.',
      config: 'Device configuration',
      configFile: 'File: {file}',
      configDemo: 'The demo store’s built-in devices. Saving writes {file}.',
      configNone: 'No device file yet. Saving writes {file}.',
      configLabel: 'Configuration (JSON)',
      configHelp: 'Check first. Only a configuration without problems is saved; the devices then restart with it.',
      configTooLong: 'The text is too long (at most {max} characters).',
      configCheck: 'Check',
      configSave: 'Save and apply',
      configReload: 'Load again from the till',
      configValid: 'No problems found. Press Save and apply to use it.',
      configSaved: 'Saved to {file} and in use: {n} devices running.',
      configNotSaved: 'The configuration could not be saved — nothing changed. Check the disk.',
      problemsOne: '1 problem — nothing was saved:',
      problemsMany: '{n} problems — nothing was saved:',
      wholeFile: 'The file',
      whereFile: 'Field {field}',
      whereDevice: 'Device {device}',
      whereField: 'Device {device}, field {field}',
      problems: {
        json: 'is not valid JSON ({detail}).',
        notList: 'must have a list "devices": [ … ].',
        notObject: 'each device must be an object with "kind" and "id".',
        unknownKind: '“{value}” is not a known kind of device. Possible: {options}.',
        missing: 'is missing — add "{field}".',
        wrongType: 'must be {expected}.',
        tooSmall: 'must be at least {min}.',
        tooBig: 'must be at most {max}.',
        tooShort: 'must have at least {min} characters.',
        tooLong: 'must have at most {max} characters.',
        oneOf: 'must be one of: {options}.',
        format: 'has the wrong format.',
        formatId: 'may only have lower-case letters, digits and dashes, and must start with a letter.',
        formatPath: 'must be a device path such as /dev/ttyUSB0.',
        formatPathOr: 'must be a device path such as /dev/ttyUSB0, or {options}.',
        unknownField: 'unknown field {keys} — check the spelling.',
        duplicateId: 'the id “{id}” is used by two devices.',
        invalid: 'is not valid.',
      },
      types: { number: 'a number', integer: 'a whole number', string: 'text', boolean: 'true or false', object: 'an object { … }', list: 'a list [ … ]' },
      diagnostics: 'Diagnostics to USB',
      diagnosticsWhat: 'Writes logs, configuration, versions and status to a folder on the USB drive — no passwords, PINs, keys or card data.',
      usbDrive: 'USB drive',
      usbNone: 'No USB drive found (looking below {roots}). Plug one in and press Look again.',
      usbRefresh: 'Look again',
      exportButton: 'Write diagnostics to USB',
      exportDone: 'Done: {n} files ({kb} kB) in {folder}',
      usbRefused: 'No diagnostics written: {detail}.',
      usbWriteFailed: 'The diagnostics could not be written to the USB drive ({detail}). Is it write-protected or full?',
      exit: 'Exit kiosk …',
      exitQuestion: 'Exit the kiosk app? The till does not sell until it is started again.',
      exitCancel: 'Cancel',
      exitConfirm: 'Exit kiosk',
      exitDone: 'The kiosk app is closing.',
      noKiosk: 'There is no kiosk app to exit here.',
    },
  },
  drawerOpen: 'Drawer open',
  drawerLeftOpen: 'Drawer left open — close it',
  customerThanks: 'Thank you for shopping!',
  errors: {
    INVALID_MESSAGE: 'The till did not understand that — try again.',
    INVALID_COMMAND: 'That input is not valid — check it and try again.',
    MESSAGE_TOO_LARGE: 'That input is too long.',
    UNAUTHORIZED: 'Not allowed.',
    INVALID_BARCODE: 'The barcode {code} could not be read (check digit wrong) — scan again or type it.',
    ITEM_NOT_FOUND: 'Item {code} not found — check the code or key the item another way.',
    ITEM_BLOCKED: '{name} may not be sold.',
    WEIGHT_REQUIRED: '{name} is sold by weight — put it on the scale.',
    LINE_NOT_FOUND: 'That line is not in this sale.',
    QUANTITY_NOT_ALLOWED: 'The quantity of that line cannot be changed.',
    NOT_ALLOWED_NOW: 'That is not possible right now.',
    NOT_SIGNED_IN: 'Sign in first.',
    LANE_CLOSED: 'The lane is closed — open it first.',
    NO_OPEN_SALE: 'There is no open sale.',
    EMPTY_SALE: 'Scan an item first.',
    INSUFFICIENT_TENDER: 'The sale is not fully paid yet.',
    STORAGE_FAILED: 'The change could not be saved — nothing was changed. Try again; call IT if it keeps happening.',
    DRAWER_UNAVAILABLE: 'The cash drawer did not open. Open it with the key and tell IT.',
    BAD_CREDENTIALS: 'Wrong number or PIN — try again.',
    OPERATOR_LOCKED_OUT: 'Too many wrong tries — try again in {minutes} min or ask a supervisor.',
    LANE_LOCKED: 'The lane is locked — unlock it with your PIN.',
    APPROVAL_REQUIRED: 'A supervisor must approve this.',
    APPROVAL_DENIED: 'That approval does not count — another supervisor must approve.',
    AGE_CHECK_REQUIRED: "Check the customer's age ({age}+) first.",
    TILL_NOT_OPEN: 'The till is not open — count the float first.',
    TILL_ALREADY_OPEN: 'The till is already open.',
    INVALID_COUNT: 'That count does not add up — check the notes and coins.',
    VOUCHER_INVALID: 'That gift card is not valid here.',
    VOUCHER_EMPTY: 'That gift card has no balance left.',
    PAYMENT_DECLINED: 'The card was declined — ask for another card or another way to pay.',
    PAYMENT_PENDING: 'A card payment is in progress — wait for the terminal.',
    PAYMENT_UNAVAILABLE: 'No card terminal is connected — take another payment.',
    RECEIPT_NOT_FOUND: 'That receipt is not known on this lane.',
    RETURN_TOO_MANY: 'That many cannot be returned from this receipt.',
    SLIP_NOT_FOUND: 'That slip is not known here — scan its QR code.',
    SLIP_ALREADY_RESUMED: 'That parked basket was already resumed.',
    INTERNAL: 'Something went wrong in the till — nothing was changed. Try again.',
  },
};

export const CATALOGUE: Record<Lang, Messages> = { sv, de, en };

export function langForLocale(locale: string): Lang {
  const l = locale.slice(0, 2).toLowerCase();
  return l === 'sv' || l === 'de' ? l : 'en';
}

/** Replaces {name} placeholders; unknown placeholders are left out rather than shown raw. */
export function fill(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] !== undefined ? String(params[k]) : '')).replace(/\s{2,}/g, ' ');
}

export function plural(forms: Plural, n: number, lang: Lang): string {
  const rule = new Intl.PluralRules(LOCALE_OF[lang]).select(n);
  return fill(forms[rule] ?? forms.other, { n });
}

export type { Messages };

/** What the payment terminal shows, in the lane's language when it is one of the standard statuses. */
export function paymentText(p: { text: string | null; textCode: number | null }, t: Messages): string | null {
  if (p.text === null) return null;
  return p.textCode !== null ? (t.zvt[p.textCode] ?? p.text) : p.text;
}
