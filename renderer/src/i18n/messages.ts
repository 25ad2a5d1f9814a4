/** The shape of a message catalogue: every visible string, one field each. `sv.ts`, `de.ts` and `en.ts` each fill it in. */
import type { ErrorCode } from '../../../protocol/terminal';
import type { PaymentPrompt } from '../../../protocol/terminal/payment-prompt';
import type { CashMessages } from './cash';
import type { CardDecisionMessages } from './card-decision';
import type { GiftMessages } from './gift';
import type { MovementMessages } from './cash-movement';
import type { PeerMessages } from './peers';
import type { MarketMessages } from './market';
import type { ProvisioningMessages } from './provisioning';
import type { StoreReportMessages } from './store-report';

export type Lang = 'sv' | 'de' | 'en';

export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface Messages {
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
  /** The QR code and the barcode in a receipt shown on screen. */
  receiptQrLabel: string;
  receiptBarcodeLabel: string;
  cardOffline: string;
  cardOfflinePending: string;
  cardOfflineHelp: string;
  cardEndOfDay: string;
  abortPayment: string;
  syncOffline: string;
  syncBacklog: string;
  catalogStale: string;
  /** Germany: the TSE is not signing (sales go on, receipts say so): for how long ({age}) and how many sales went unsigned ({n}); the reason is its tooltip. */
  tseOutage: string;
  catalogApplying: string;
  cardEodMatch: string;
  cardEodMismatch: string;
  connecting: string;
  notConnected: string;
  /** Said only to screen readers while the lane has its core. */
  connected: string;
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
  /** On the customer display while the lane is in training. */
  trainingNoPurchase: string;
  trainingOn: string;
  trainingOff: string;
  priceCheck: string;
  lock: string;
  menu: string;
  /** What the payment terminal asks or says, by Kassa's prompt code (protocol/terminal/payment-prompt.ts). */
  paymentPrompt: Record<PaymentPrompt, string>;
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
  confirm: string;
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
  /** The whole sale's amount, beside what is still to pay. */
  saleTotal: string;
  /** The customer display's own words. */
  customer: { youSave: string; declined: string; paidThanks: string; welcome: string };
  drawerLeftOpen: string;
  printerQueued: string;
  /** Receipts the printer did not confirm (the link dropped or the core stopped first): they may not have printed. */
  printerUncertain: Plural;
  /** Prints the receipt again, marked COPY (reprintReceipt). */
  printerReprintCopy: string;
  printerStates: Record<'none' | 'ok' | 'paperLow' | 'paperOut' | 'coverOpen' | 'offline' | 'error' | 'unreadable', string>;
  dev: DeviceMessages;
  hq: HqMessages;
  peers: PeerMessages;
  /** The service screen's market profile panel (i18n/market.ts). */
  market: MarketMessages;
  provisioning: ProvisioningMessages;
  /** The store report, X for the whole store (i18n/store-report.ts). */
  storeReport: StoreReportMessages;
  kiosk: KioskMessages;
  /** The kiosk's cash step and the attendant's cash confirmation (i18n/cash.ts). */
  cash: CashMessages;
  /** A card payment the terminal could not confirm, before a supervisor: on the lane and in the attendant view (i18n/card-decision.ts). */
  decision: CardDecisionMessages;
  /** Where a refund goes. */
  refundTo: { title: string; original: string; cash: string };
  /** Gift cards: the balance window, paying with one, where a refund goes (i18n/gift.ts). */
  gift: GiftMessages;
  /** Cash in or out of the drawer without a sale (i18n/cash-movement.ts). */
  movement: MovementMessages;
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
  /** OS updates (kiosk image), one line: `{running}` the OS running, `{version}` the update, `{reason}` why it was refused. */ os: string;
  osState: { idle: string; downloading: string; handedOver: string; installing: string; installed: string; refused: string; rolledBack: string; notRunning: string };
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
  problems: Record<import('../../../protocol/terminal').DeviceConfigProblem['code'] | 'tooShort' | 'tooLong' | 'formatId' | 'formatPath' | 'formatPathOr', string>;
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
  kinds: Record<'printer' | 'scanner' | 'scale' | 'display' | 'drawer' | 'payment' | 'cash', string>;
  states: Record<'online' | 'warning' | 'offline', string>;
  actions: Record<'testPrint' | 'openDrawer' | 'showText' | 'readWeight' | 'simulateScan' | 'simulateOffline' | 'insertCash' | 'cashJam' | 'cashFull' | 'cashShort' | 'cashClear', string>;
  columns: { device: string; connection: string; state: string; since: string; test: string };
  textLabel: string;
  printout: string;
  found: string;
  foundNone: string;
  barcodeScanner: string;
  who: string;
  operator: string;
  pin: string;
  /** What a device test came to (the core's result codes). */
  tests: Record<import('../../../protocol/terminal').DeviceTestCode, string>;
  /** Why the scale gave no weight. */
  weightRefusals: Record<'inMotion' | 'overCapacity' | 'underZero' | 'zero' | 'invalid' | 'noScale' | 'stale' | 'notMoved' | 'checksumsRequired' | 'timeout', string>;
  /** Why a device is in its state (the core's detail codes). */
  details: Record<import('../../../protocol/terminal').DeviceDetailCode, string>;
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
  /** The kiosk's on-screen keyboard. */
  keyErase: string;
  keySpace: string;
  keyboard: string;
  perKg: string;
  perPiece: string;
  placeOnScale: string;
  /** The weighing step for produce picked by picture. */
  weighTitle: string;
  weighWaiting: string;
  weighConfirm: string;
  weighAdd: string;
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
  attStates: Record<'closed' | 'idle' | 'scanning' | 'subtotal' | 'cardPending' | 'cashPending' | 'reversing' | 'paid', string>;
  attHelp: Record<'customer' | 'itemNotFound' | 'idle' | 'payment' | 'cash', string>;
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
