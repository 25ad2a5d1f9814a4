/**
 * Terminal API: the only contract between the core process and any UI (Electron window,
 * browser, customer display, attendant view). Every inbound message is validated with these
 * schemas; anything that does not parse is answered with a typed error and changes nothing.
 */
import { z } from 'zod';
import { CashViewSchema } from './cash';
import { GiftCardResultSchema, RefundToSchema, SaleGiftCardSchema } from './gift-card';

export const PROTOCOL_VERSION = 1;

/** Limits on inbound values; bigger inputs are rejected before they reach the core. */
export const LIMITS = {
  commandId: 64,
  barcode: 128,
  operator: 32,
  maxQuantity: 999,
  maxWeightGrams: 100_000,
  maxCashTender: 10_000_000, // minor units (100 000 kr)
  /** Characters of a device configuration sent from the service screen (JSON-quoted, it stays under the API's 16 KiB per command). */
  deviceConfig: 10_000,
} as const;

const commandId = z.string().min(1).max(LIMITS.commandId);
const lineId = z.string().min(1).max(64);
const operatorId = z.string().regex(/^[0-9]{1,8}$/);
const pin = z.string().regex(/^[0-9]{4,8}$/);

/** A second operator's credentials, given on the same lane for a supervisor-gated action: number + PIN, or a badge scan. */
export const ApprovalSchema = z.union([
  z.object({ operator: operatorId, pin }).strict(),
  z.object({ badge: z.string().regex(/^B[A-Za-z0-9_-]{20,64}$/) }).strict(),
]);
export type Approval = z.infer<typeof ApprovalSchema>;

/** A drawer count: how many of each note/coin (minor units). */
export const DenominationCountSchema = z
  .array(z.object({ denomination: z.number().int().min(1).max(10_000_000), count: z.number().int().min(0).max(100_000) }).strict())
  .max(30);
export type DenominationCount = z.infer<typeof DenominationCountSchema>;

export const CommandSchema = z.discriminatedUnion('cmd', [
  z.object({ id: commandId, cmd: z.literal('signIn'), operator: operatorId, pin }).strict(),
  z.object({ id: commandId, cmd: z.literal('signOut') }).strict(),
  z.object({ id: commandId, cmd: z.literal('lock') }).strict(),
  z.object({ id: commandId, cmd: z.literal('unlock'), pin, operator: operatorId.optional() }).strict(),
  z.object({ id: commandId, cmd: z.literal('setTraining'), on: z.boolean(), approval: ApprovalSchema.optional() }).strict(),
  z.object({ id: commandId, cmd: z.literal('priceCheck'), code: z.string().min(1).max(LIMITS.barcode) }).strict(),
  z.object({ id: commandId, cmd: z.literal('voidLast'), approval: ApprovalSchema.optional() }).strict(),
  z.object({ id: commandId, cmd: z.literal('confirmAge'), approval: ApprovalSchema.optional() }).strict(),
  z.object({ id: commandId, cmd: z.literal('closeLane') }).strict(),
  z.object({ id: commandId, cmd: z.literal('openLane') }).strict(),
  z
    .object({
      id: commandId,
      cmd: z.literal('scan'),
      code: z.string().min(1).max(LIMITS.barcode),
      source: z.enum(['keyboard', 'wedge', 'scanner']).default('keyboard'),
      quantity: z.number().int().min(1).max(LIMITS.maxQuantity).optional(),
      /** Net weight from a scale or keyed by the cashier, for items sold by weight. */
      weightGrams: z.number().int().min(1).max(LIMITS.maxWeightGrams).optional(),
    })
    .strict(),
  z
    .object({
      id: commandId,
      cmd: z.literal('setQuantity'),
      lineId,
      quantity: z.number().int().min(1).max(LIMITS.maxQuantity),
    })
    .strict(),
  z.object({ id: commandId, cmd: z.literal('voidLine'), lineId, approval: ApprovalSchema.optional() }).strict(),
  z.object({ id: commandId, cmd: z.literal('cancelSale'), approval: ApprovalSchema.optional() }).strict(),
  z.object({ id: commandId, cmd: z.literal('subtotal') }).strict(),
  z.object({ id: commandId, cmd: z.literal('backToSale') }).strict(),
  z
    .object({
      id: commandId,
      cmd: z.literal('tenderCash'),
      /** Cash handed over in minor units; omitted means "exact amount". */
      amount: z.number().int().min(1).max(LIMITS.maxCashTender).optional(),
    })
    .strict(),
  z
    .object({ id: commandId, cmd: z.literal('tenderCard'), amount: z.number().int().min(1).max(LIMITS.maxCashTender).optional() })
    .strict(),
  z
    .object({
      id: commandId,
      cmd: z.literal('tenderVoucher'),
      code: z.string().regex(/^[0-9]{8,20}$/),
      amount: z.number().int().min(1).max(LIMITS.maxCashTender).optional(),
    })
    .strict(),
  z.object({ id: commandId, cmd: z.literal('voidTender'), tenderId: z.string().min(1).max(64), approval: ApprovalSchema.optional() }).strict(),
  /** After a crash mid-payment: a supervisor records what the payment terminal says happened. */
  z
    .object({ id: commandId, cmd: z.literal('resolvePayment'), outcome: z.enum(['approved', 'notCharged']), approval: ApprovalSchema.optional() })
    .strict(),
  z
    .object({
      id: commandId,
      cmd: z.literal('overridePrice'),
      lineId,
      unitPrice: z.number().int().min(0).max(LIMITS.maxCashTender),
      reason: z.string().trim().min(1).max(80),
      approval: ApprovalSchema.optional(),
    })
    .strict(),
  z
    .object({
      id: commandId,
      cmd: z.literal('discount'),
      /** A line, or the whole sale when omitted. */
      lineId: lineId.optional(),
      kind: z.enum(['percent', 'amount']),
      /** Basis points for percent (1000 = 10 %), minor units for amount; 0 removes the discount. */
      value: z.number().int().min(0).max(LIMITS.maxCashTender),
      reason: z.string().trim().min(1).max(80),
      approval: ApprovalSchema.optional(),
    })
    .strict(),
  /** Looks a sale up by its receipt barcode (read-only): lines, and what was already returned. */
  z.object({ id: commandId, cmd: z.literal('findSale'), receiptCode: z.string().regex(/^R[0-9a-f]{32}$/) }).strict(),
  /** Returns lines of a sale found by its receipt; the refund goes to the original tenders where possible. */
  z
    .object({
      id: commandId,
      cmd: z.literal('returnLines'),
      receiptCode: z.string().regex(/^R[0-9a-f]{32}$/),
      lines: z.array(z.object({ lineId, quantity: z.number().int().min(1).max(LIMITS.maxQuantity) }).strict()).min(1).max(200),
      reason: z.string().trim().min(1).max(80),
      /** Where the money goes: back as paid (default), all in cash, or the gift-card part onto a chosen or a new gift card (protocol/gift-card.ts). */
      refundTo: RefundToSchema.optional(),
    })
    .strict(),
  /** A return without a receipt: items by barcode at today's price, refunded in cash; supervisor only. */
  z
    .object({
      id: commandId,
      cmd: z.literal('returnWithoutReceipt'),
      items: z.array(z.object({ code: z.string().min(1).max(LIMITS.barcode), quantity: z.number().int().min(1).max(LIMITS.maxQuantity) }).strict()).min(1).max(50),
      reason: z.string().trim().min(1).max(80),
      approval: ApprovalSchema.optional(),
    })
    .strict(),
  /** Prints a copy of a receipt (the last sale's when no sale id), marked COPY. */
  z.object({ id: commandId, cmd: z.literal('reprintReceipt'), saleId: z.string().uuid().optional() }).strict(),
  /** Opens the drawer without a sale; a supervisor approves; journalled. */
  /** Store IT: a device's test action (print a test page, open the drawer, show text, read the scale). */
  z
    .object({
      id: commandId,
      cmd: z.literal('deviceTest'),
      device: z.string().min(1).max(32),
      action: z.enum(['testPrint', 'openDrawer', 'showText', 'readWeight', 'simulateScan', 'simulateOffline', 'insertCash', 'cashJam', 'cashFull', 'cashShort', 'cashClear']),
      text: z.string().max(40).optional(),
      approval: ApprovalSchema.optional(),
    })
    .strict(),
  /** The customer at a kiosk stops paying cash: what the cash device counted is handed back. */
  z.object({ id: commandId, cmd: z.literal('cancelCash') }).strict(),
  /** Staff (the attendant) took the customer's cash at a kiosk without a cash device: the amount received. */
  z.object({ id: commandId, cmd: z.literal('confirmCash'), sessionId: z.string().min(1).max(64), amount: z.number().int().min(1).max(LIMITS.maxCashTender), approval: ApprovalSchema.optional() }).strict(),
  /** The customer gave up at the card terminal: ask it to abort the payment under way. */
  z.object({ id: commandId, cmd: z.literal('abortPayment') }).strict(),
  /** Supervisor: end of day at the card terminal, its total compared with the lane's card tenders. */
  z.object({ id: commandId, cmd: z.literal('cardEndOfDay'), approval: ApprovalSchema.optional() }).strict(),
  /** Store IT: the devices with their test actions, and what simulated devices show. */
  z.object({ id: commandId, cmd: z.literal('deviceInfo'), approval: ApprovalSchema.optional() }).strict(),
  /** Store IT only (IT PIN): the terminal's identity, versions, uptime and the USB drives found. */
  z.object({ id: commandId, cmd: z.literal('serviceInfo'), approval: ApprovalSchema.optional() }).strict(),
  /** Store IT only: the core's recent log lines (redacted), optionally only those containing `filter`. */
  z.object({ id: commandId, cmd: z.literal('serviceLog'), filter: z.string().max(100).optional(), approval: ApprovalSchema.optional() }).strict(),
  /** Store IT only: the device configuration as text. */
  z.object({ id: commandId, cmd: z.literal('deviceConfig'), approval: ApprovalSchema.optional() }).strict(),
  /** Store IT only: checks a device configuration; with `save`, writes it (only when valid) and restarts the devices with it. */
  z.object({ id: commandId, cmd: z.literal('saveDeviceConfig'), text: z.string().max(LIMITS.deviceConfig), save: z.boolean(), approval: ApprovalSchema.optional() }).strict(),
  /** Store IT only: writes a diagnostics bundle (no secrets, no card data) to a folder on a removable drive. */
  z.object({ id: commandId, cmd: z.literal('exportDiagnostics'), target: z.string().min(1).max(1024), approval: ApprovalSchema.optional() }).strict(),
  /** Store IT only: asks the kiosk app to quit (the core prints CoreExitRequestSchema's line). */
  z.object({ id: commandId, cmd: z.literal('exitKiosk'), approval: ApprovalSchema.optional() }).strict(),
  z.object({ id: commandId, cmd: z.literal('noSale'), reason: z.string().trim().min(1).max(80), approval: ApprovalSchema.optional() }).strict(),
  /** Parks the open basket on a slip. */
  z.object({ id: commandId, cmd: z.literal('suspendSale') }).strict(),
  /** Resumes a parked basket from its slip: the slip barcode (this lane) or the slip's QR text (any lane). */
  z.object({ id: commandId, cmd: z.literal('resumeSale'), slip: z.string().min(2).max(4000) }).strict(),
  /** The baskets parked on this lane and not resumed yet, newest first (read-only). */
  z.object({ id: commandId, cmd: z.literal('suspendedList') }).strict(),
  /** A loyalty card for this sale: member prices apply. */
  z.object({ id: commandId, cmd: z.literal('memberCard'), card: z.string().regex(/^[0-9]{8,20}$/) }).strict(),
  /** Ends a paid sale; the customer's receipt choice: printed (default), digital (QR on screen) or none. */
  z.object({ id: commandId, cmd: z.literal('complete'), receipt: z.enum(['print', 'digital', 'none']).optional() }).strict(),
  /** Staff prove who they are at a self-checkout kiosk (supervisor or store IT) to reach its staff screens; journalled. */
  z.object({ id: commandId, cmd: z.literal('staffCheck'), approval: ApprovalSchema.optional() }).strict(),
  /** Staff leave a self-checkout kiosk's staff screens (the session also lapses after 2 minutes without a command). */
  z.object({ id: commandId, cmd: z.literal('staffDone') }).strict(),
  /** The language the customer chose (null: the store's): the customer display speaks it too. Changes no sale. */
  z.object({ id: commandId, cmd: z.literal('customerLanguage'), lang: z.enum(['sv', 'de', 'en']).nullable() }).strict(),
  /** The customer (self-checkout) or the cashier asks for staff: lights up the attendant view. */
  z.object({ id: commandId, cmd: z.literal('callHelp') }).strict(),
  /** Staff answered the help call. */
  z.object({ id: commandId, cmd: z.literal('clearHelp'), approval: ApprovalSchema.optional() }).strict(),
  /** Produce without a barcode (by PLU): the picture grid, or a search by name or PLU. */
  z.object({ id: commandId, cmd: z.literal('produceList'), query: z.string().trim().max(40).optional() }).strict(),
  /** The kiosk's weighing step: what the scale reads now for an item sold by weight, and its price (changes nothing). */
  z.object({ id: commandId, cmd: z.literal('weighPreview'), code: z.string().trim().min(1).max(40) }).strict(),
  /** The departments an item that is not in the catalog can be sold under. */
  z.object({ id: commandId, cmd: z.literal('departments') }).strict(),
  /**
   * An item the catalog does not know: sold at a keyed price under a department (with its barcode
   * when it had one, so HQ can add it). Above the open-price limit a supervisor approves.
   */
  z
    .object({
      id: commandId,
      cmd: z.literal('openItem'),
      departmentId: z.string().min(1).max(64),
      unitPrice: z.number().int().min(1).max(LIMITS.maxCashTender),
      quantity: z.number().int().min(1).max(LIMITS.maxQuantity).optional(),
      code: z.string().min(1).max(LIMITS.barcode).optional(),
      approval: ApprovalSchema.optional(),
    })
    .strict(),
  /** An unknown item is set aside for a supervisor: recorded for the back office, help called. */
  z.object({ id: commandId, cmd: z.literal('reportMissingItem'), code: z.string().min(1).max(LIMITS.barcode) }).strict(),
  z.object({ id: commandId, cmd: z.literal('openTill'), float: DenominationCountSchema }).strict(),
  z
    .object({
      id: commandId,
      cmd: z.literal('cashMovement'),
      kind: z.enum(['pickup', 'paidIn', 'paidOut']),
      amount: z.number().int().min(1).max(LIMITS.maxCashTender),
      reason: z.string().trim().min(1).max(80),
      approval: ApprovalSchema.optional(),
    })
    .strict(),
  /** The X report (no reset): on screen, and on the receipt printer with `print`. */
  z.object({ id: commandId, cmd: z.literal('xReport'), print: z.boolean().optional() }).strict(),
  /** Blind close: the count is given without seeing what the till expects. */
  z.object({ id: commandId, cmd: z.literal('closeTill'), counted: DenominationCountSchema, approval: ApprovalSchema.optional() }).strict(),
  z.object({ id: commandId, cmd: z.literal('ping') }).strict(),
]);
export type Command = z.infer<typeof CommandSchema>;
export type CommandInput = z.input<typeof CommandSchema>;
export type CommandName = Command['cmd'];

/** Store IT's service commands: their `approval` is the IT number and PIN (a supervisor's is refused), not a supervisor approval. */
export const STORE_IT_COMMANDS = ['serviceInfo', 'serviceLog', 'deviceConfig', 'saveDeviceConfig', 'exportDiagnostics', 'exitKiosk'] as const satisfies readonly CommandName[];
export type StoreItCommandName = (typeof STORE_IT_COMMANDS)[number];

/** Typed error codes; the UI maps each to a sentence in its own language. */
export const ERROR_CODES = [
  'INVALID_MESSAGE',
  'INVALID_COMMAND',
  'MESSAGE_TOO_LARGE',
  'UNAUTHORIZED',
  'INVALID_BARCODE',
  'ITEM_NOT_FOUND',
  'ITEM_BLOCKED',
  'WEIGHT_REQUIRED',
  'LINE_NOT_FOUND',
  'QUANTITY_NOT_ALLOWED',
  'NOT_ALLOWED_NOW',
  'NOT_SIGNED_IN',
  'BAD_CREDENTIALS',
  'OPERATOR_LOCKED_OUT',
  'LANE_LOCKED',
  'APPROVAL_REQUIRED',
  'APPROVAL_DENIED',
  'AGE_CHECK_REQUIRED',
  'TILL_NOT_OPEN',
  'VOUCHER_INVALID',
  'VOUCHER_EMPTY',
  'PAYMENT_DECLINED',
  'PAYMENT_PENDING',
  'PAYMENT_UNAVAILABLE',
  'TILL_ALREADY_OPEN',
  'INVALID_COUNT',
  'RECEIPT_NOT_FOUND',
  'SLIP_NOT_FOUND',
  'SLIP_ALREADY_RESUMED',
  'RETURN_TOO_MANY',
  'LANE_CLOSED',
  'NO_OPEN_SALE',
  'EMPTY_SALE',
  'INSUFFICIENT_TENDER',
  'STORAGE_FAILED',
  'DRAWER_UNAVAILABLE',
  /** A return of a sale paid with several gift cards: say which card (or a new one) gets the money. */
  'CHOOSE_GIFT_CARD',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ProfileSchema = z.object({
  country: z.enum(['SE', 'DE']),
  currency: z.enum(['SEK', 'EUR']),
  locale: z.string(),
  /** The store's IANA time zone: business dates, promotion hours, receipt and screen times. */
  timeZone: z.string(),
  /** Smallest cash unit in minor units (SE: 100 = whole kronor, DE: 1). */
  cashRoundingUnit: z.number().int().positive(),
  /** Notes and coins in the drawer, minor units, largest first. */
  denominations: z.array(z.number().int().positive()),
  /**
   * Days the journal stays whole in the terminal's database; older entries HQ holds are archived to
   * signed export files beside it (docs/retention.md), which keep them for the law's years.
   */
  journalKeepDays: z.number().int().positive(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const LineDiscountSchema = z.object({
  source: z.enum(['promotion', 'manual', 'sale']),
  id: z.string(),
  text: z.string(),
  amount: z.number().int(),
});
export type LineDiscount = z.infer<typeof LineDiscountSchema>;

/** A manual discount: percent in basis points (1000 = 10 %) or an amount in minor units. */
export const ManualDiscountSchema = z.object({
  kind: z.enum(['percent', 'amount']),
  value: z.number().int().min(1),
  reason: z.string(),
  approvedBy: z.string().nullable(),
});
export type ManualDiscount = z.infer<typeof ManualDiscountSchema>;

export const LineSchema = z.object({
  lineId: z.string(),
  itemId: z.string(),
  name: z.string(),
  code: z.string(),
  unit: z.enum(['piece', 'weight']),
  /** Pieces for count items; 1 for weighed items. */
  quantity: z.number().int(),
  /** Net weight in grams for weighed items. */
  weightGrams: z.number().int().nullable(),
  /** Price per piece, or per kilogram for weighed items, VAT included, minor units. */
  unitPrice: z.number().int(),
  /** Before discounts: unit price × quantity (or × weight), or the label price. */
  grossTotal: z.number().int(),
  /** Promotions, manual and sale discounts on this line (positive amounts taken off). */
  discounts: z.array(z.lazy(() => LineDiscountSchema)),
  /** Line total after discounts, VAT included, minor units. */
  total: z.number().int(),
  departmentId: z.string(),
  vatRate: z.number().int(), // basis points: 2500 = 25 %
  /** A manual discount given on this line (kept so repricing can re-apply it). */
  manualDiscount: z.lazy(() => ManualDiscountSchema).nullable(),
  /** Set when the cashier overrode the catalog price. */
  priceOverride: z.object({ listUnitPrice: z.number().int(), reason: z.string(), approvedBy: z.string().nullable() }).nullable(),
  ageLimit: z.number().int().nullable(),
  /** For a deposit line: the line it belongs to. */
  depositFor: z.string().nullable(),
  /** True when the price came from the barcode (variable measure / GS1 AI 392n). */
  priceFromCode: z.boolean(),
  voided: z.boolean(),
});
export type Line = z.infer<typeof LineSchema>;

export const VatRowSchema = z.object({
  rate: z.number().int(),
  gross: z.number().int(),
  net: z.number().int(),
  vat: z.number().int(),
});
export type VatRow = z.infer<typeof VatRowSchema>;

export const TotalsSchema = z.object({
  /** Sum of active lines after discounts, VAT included. */
  total: z.number().int(),
  /** Sum of all discounts on active lines. */
  discounts: z.number().int(),
  itemCount: z.number().int(),
  vat: z.array(VatRowSchema),
  /** Cash rounding applied to what is due (negative = rounded down). */
  rounding: z.number().int(),
  /** Amount the customer owes: total + rounding. */
  due: z.number().int(),
  tendered: z.number().int(),
  /** What is still owed, exact (what a card or gift card pays). */
  remaining: z.number().int(),
  /** What is still owed if it is paid in cash (rounded to the smallest cash unit). */
  remainingCash: z.number().int(),
  change: z.number().int(),
});
export type Totals = z.infer<typeof TotalsSchema>;

export const TenderSchema = z.object({
  tenderId: z.string(),
  kind: z.enum(['cash', 'card', 'voucher']),
  amount: z.number().int(),
  /** Card: what the payment terminal reported (never the full card number). */
  card: z
    .object({
      brand: z.string(),
      maskedPan: z.string(),
      authCode: z.string(),
      terminalRef: z.string(),
      attemptId: z.string(),
      /** The payment terminal's own receipt lines, printed on the till's receipt. */
      receiptLines: z.array(z.string().max(80)).max(60).optional(),
      /** Approved by the terminal while it was offline (store and forward). */
      offline: z.boolean().optional(),
    })
    .nullable()
    .default(null),
  /** Voucher / gift card code. */
  voucherCode: z.string().nullable().default(null),
  /** Gift card: the balance left on it after this sale (as taken; set again when the sale completes). */
  voucherLeft: z.number().int().optional(),
});
export type Tender = z.infer<typeof TenderSchema>;

export const CheckoutViewSchema = z.object({
  saleId: z.string(),
  state: z.enum(['scanning', 'subtotal', 'cardPending', 'cashPending', 'reversing', 'paid']),
  /** The card payment in progress (state cardPending). */
  cardAttempt: z.object({ attemptId: z.string(), amount: z.number().int(), startedAt: z.string() }).nullable(),
  lines: z.array(LineSchema),
  totals: TotalsSchema,
  tenders: z.array(TenderSchema),
  startedAt: z.string(),
  saleDiscount: z.lazy(() => ManualDiscountSchema).nullable(),
  /** Loyalty card of this sale, masked to its last four digits. */
  member: z.string().nullable(),
  /** Highest age limit in the basket not yet confirmed; the sale is blocked while set. */
  ageCheckPending: z.number().int().nullable(),
  training: z.boolean(),
  /** A kiosk's cash payment (protocol/cash.ts): while it runs, and after it until the sale ends. */
  cash: CashViewSchema.nullable().default(null),
});
export type CheckoutView = z.infer<typeof CheckoutViewSchema>;

export const CompletedSaleSchema = z.object({
  saleId: z.string(),
  /** Gap-free per-terminal sale number; null for a training sale (it does not count). */
  sequence: z.number().int().nullable(),
  training: z.boolean(),
  total: z.number().int(),
  change: z.number().int(),
  receiptText: z.string(),
  completedAt: z.string(),
  /** The receipt the customer chose: printed, digital (QR on screen), or none. */
  receipt: z.enum(['print', 'digital', 'none']).default('print'),
  /** The digital receipt's link (protocol/digital-receipt.ts), shown as a QR code; only when the customer chose digital. */
  receiptLink: z.string().max(5_000).nullable().default(null),
});
export type CompletedSale = z.infer<typeof CompletedSaleSchema>;

/** One configured device as store IT sees it: what it is, whether it works, and why not. */
export const DeviceStatusSchema = z.object({
  id: z.string(),
  kind: z.enum(['printer', 'scanner', 'scale', 'display', 'drawer', 'payment', 'cash']),
  /** Transport and model in words, e.g. "serial /dev/ttyUSB0", "HID 0c2e:0b61", "TCP 10.0.0.5:9100". */
  connection: z.string(),
  state: z.enum(['online', 'warning', 'offline']),
  detail: z.string(),
  /** What `detail` says, as a code the UI words in its own language (absent: only the core's words). */
  detailCode: z.enum(['starting', 'ready', 'paperOut', 'paperLow', 'coverOpen', 'printerError', 'offline', 'notConnected', 'connected', 'answering', 'readyToScan', 'registered', 'registrationRefused', 'cashJam', 'cashFull']).nullable().optional(),
  since: z.string(),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
export type DeviceDetailCode = NonNullable<DeviceStatus['detailCode']>;

export const SnapshotSchema = z.object({
  /** Increases by one with every committed change. */
  version: z.number().int(),
  terminal: z.object({ storeId: z.string(), laneId: z.string(), storeName: z.string() }),
  profile: ProfileSchema,
  lane: z.object({
    state: z.enum(['closed', 'signedOut', 'signedIn', 'selling']),
    operator: z.string().nullable(),
    operatorName: z.string().nullable(),
    role: z.enum(['cashier', 'supervisor', 'it']).nullable(),
    /** Locked screen: the operator stays signed in, the basket stays; only unlock works. */
    locked: z.boolean(),
    /** Training mode: nothing counts toward totals, every receipt is marked TRAINING. */
    training: z.boolean(),
    /** Staffed lane (cashier confirms age) or self-checkout (a supervisor approves). */
    mode: z.enum(['staffed', 'self']),
    /** The open till session, if any: selling needs one. */
    till: z.object({ sessionId: z.string(), openedAt: z.string(), openedBy: z.string() }).nullable(),
    /** A call for staff (customer, unknown item, idle partly-paid basket): lit up in the attendant view. */
    help: z
      .object({ since: z.string(), reason: z.enum(['customer', 'itemNotFound', 'idle', 'payment', 'cash']), detail: z.string().nullable() })
      .nullable(),
    /** The language the customer chose on the lane or kiosk screen (null: the store's); the customer display follows it. */
    customerLang: z.enum(['sv', 'de', 'en']).nullable(),
    /** Self-checkout only: whether cash is taken, and until when the "are you still there?" prompt runs before an unpaid basket is abandoned. */
    selfCheckout: z
      .object({
        cashAllowed: z.boolean(),
        idleUntil: z.string().nullable(),
        /** Staff who proved who they are here (staffCheck) use the staff screens until this session ends or lapses. */
        staff: z.string().nullable(),
      })
      .nullable(),
  }),
  checkout: CheckoutViewSchema.nullable(),
  lastSale: CompletedSaleSchema.nullable(),
  /** Replication to HQ: null when the terminal is not enrolled. Selling never waits for it. */
  sync: z
    .object({
      online: z.boolean(),
      backlog: z.number().int(),
      oldestUnsentAt: z.string().nullable(),
      lastSuccess: z.string().nullable(),
      lastError: z.string().nullable(),
      quarantined: z.number().int(),
      /** HQ's acknowledgement the backlog was counted against. */
      ackedThrough: z.number().int().min(0),
    })
    .nullable(),
  /** The catalog from HQ: null when the terminal is not enrolled. Expired metadata only warns. */
  catalog: z
    .object({
      version: z.number().int(),
      items: z.number().int(),
      publishedAt: z.string().nullable(),
      appliedAt: z.string().nullable(),
      expiresAt: z.string().nullable(),
      stale: z.boolean(),
      lastCheck: z.string().nullable(),
      lastError: z.string().nullable(),
      applying: z.object({ version: z.number().int(), kind: z.enum(['full', 'delta']), done: z.number().int(), total: z.number().int() }).nullable(),
    })
    .nullable(),
  /** The card payment at the terminal: its current text, and a decision a supervisor must make. */
  payment: z.object({
    /** Offline (store-and-forward) card payments: whether the terminal is offline, and what awaits settlement. */
    offline: z.object({ terminalOffline: z.boolean(), pendingCount: z.number().int(), pendingAmount: z.number().int(), oldestAt: z.string().nullable() }),
    text: z.string().nullable(),
    /** The payment terminal's status code behind `text` when it sent no text of its own: the UI words it in the lane's language. */
    textCode: z.number().int().nullable(),
    /** The last card payment of this sale was declined (cleared when the next one starts). */
    declined: z.object({ saleId: z.string(), at: z.string() }).nullable(),
    decision: z.object({ reason: z.string(), terminalReceipt: z.array(z.string()) }).nullable(),
  }),
  /** Live device status; faults are shown, never block a sale. */
  devices: z.object({
    printer: z.object({
      state: z.enum(['none', 'ok', 'paperLow', 'paperOut', 'coverOpen', 'offline', 'error']),
      queued: z.number().int(),
      uncertain: z.number().int(),
    }),
    /** Cash drawer (sensed through the printer): open since when, and whether it was left open too long. */
    drawer: z.object({ state: z.enum(['none', 'closed', 'open']), openSince: z.string().nullable(), leftOpen: z.boolean() }),
    /** Every configured device with its live state, for the status bar and store IT. */
    list: z.array(DeviceStatusSchema),
    /** How the UI tells a keyboard-wedge scanner from typing. */
    wedge: z.object({ maxKeyGapMs: z.number().int(), minLength: z.number().int() }),
  }),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** The card terminal's end of day against the lane's own card tenders since the last one. */
export const CardEndOfDaySchema = z.object({
  cardEndOfDay: z.object({ terminalTotal: z.number().int().nullable(), laneTotal: z.number().int(), match: z.boolean(), text: z.string(), receiptLines: z.array(z.string()) }),
});

/** The outcome of a device test action, in words for store IT. */
/** What a device test came to, as a code the UI words in its language (`message` is the English for logs and the API). */
export const DEVICE_TEST_CODES = ['testPageSent', 'testPageQueued', 'drawerPulseSent', 'drawerOpened', 'notReachable', 'weight', 'noWeight', 'scaleStatus', 'noAnswer', 'textShown', 'scanned', 'terminalDown', 'terminalUp', 'cashInserted', 'cashFaultSet', 'cashCleared', 'noDevice', 'noAction', 'failed'] as const;
export type DeviceTestCode = (typeof DEVICE_TEST_CODES)[number];
export const DeviceTestResultSchema = z.object({
  deviceTest: z.object({ device: z.string(), action: z.string(), ok: z.boolean(), code: z.enum(DEVICE_TEST_CODES), params: z.record(z.string(), z.union([z.string(), z.number()])), message: z.string() }),
});
export type DeviceTestResult = z.infer<typeof DeviceTestResultSchema>;

/** The lane's devices with their test actions; `printout` is what a simulated printer or display shows. */
export const DeviceInfoSchema = z.object({
  deviceInfo: z.array(z.object({ id: z.string(), kind: z.string(), actions: z.array(z.string()), printout: z.string().nullable() })),
  /** Serial ports and HID devices found on the terminal, for configuring new devices. */
  discovered: z.object({
    serial: z.array(z.object({ path: z.string(), vendorId: z.string().nullable(), productId: z.string().nullable(), manufacturer: z.string().nullable(), product: z.string().nullable(), serialNumber: z.string().nullable() })),
    hid: z.array(
      z.object({
        path: z.string().nullable(),
        vendorId: z.string(),
        productId: z.string(),
        manufacturer: z.string().nullable(),
        product: z.string().nullable(),
        serialNumber: z.string().nullable(),
        usagePage: z.number().nullable(),
        barcodeScanner: z.boolean(),
      }),
    ),
    notes: z.array(z.string()),
  }),
});
export type DeviceInfo = z.infer<typeof DeviceInfoSchema>;

/** Store IT: who this terminal is, what it runs, and where a diagnostics bundle can go. */
export const ServiceInfoSchema = z.object({
  serviceInfo: z.object({
    storeId: z.string(),
    storeName: z.string(),
    laneId: z.string(),
    /** The terminal's id at HQ, when enrolled. */
    terminalId: z.string().nullable(),
    hqUrl: z.string().nullable(),
    softwareVersion: z.string(),
    catalog: z.object({ version: z.string().nullable(), items: z.number().int() }),
    database: z.string(),
    devicesFile: z.string().nullable(),
    country: z.string(),
    locale: z.string(),
    node: z.string(),
    platform: z.string(),
    startedAt: z.string(),
    uptimeSeconds: z.number().int(),
    /** Folders on removable drives (under the configured roots) a diagnostics bundle can be written to. */
    usbTargets: z.array(z.object({ path: z.string(), label: z.string() })),
    usbRoots: z.array(z.string()),
  }),
});
export type ServiceInfo = z.infer<typeof ServiceInfoSchema>['serviceInfo'];

export const ServiceLogSchema = z.object({
  serviceLog: z.object({ lines: z.array(z.object({ at: z.string(), text: z.string() })), total: z.number().int(), truncated: z.boolean(), filter: z.string().nullable() }),
});
export type ServiceLog = z.infer<typeof ServiceLogSchema>['serviceLog'];

/** One problem in a device configuration: which device and field, a code the UI words (with its values), and the core's English text. */
export const DeviceConfigProblemSchema = z.object({
  /** The device's id, or "#n" (its place in the list) when it has none; null for the whole file. */
  device: z.string().nullable(),
  index: z.number().int().nullable(),
  /** The field inside the device, e.g. "transport.port". */
  field: z.string().nullable(),
  code: z.enum(['json', 'notList', 'notObject', 'unknownKind', 'missing', 'wrongType', 'tooSmall', 'tooBig', 'oneOf', 'format', 'unknownField', 'duplicateId', 'invalid']),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  message: z.string(),
});
export type DeviceConfigProblem = z.infer<typeof DeviceConfigProblemSchema>;

/** The device configuration and, after a check or save, its problems and what was done. */
export const DeviceConfigResultSchema = z.object({
  deviceConfig: z.object({
    text: z.string(),
    /** The file it lives in (null: the built-in demo or empty configuration, saved to `file` on the first save). */
    file: z.string().nullable(),
    source: z.enum(['file', 'demo', 'none']),
    problems: z.array(DeviceConfigProblemSchema),
    /** Written to the file and the devices restarted with it. */
    saved: z.boolean(),
    /** How many devices started from it (after a save). */
    started: z.number().int().nullable(),
    notes: z.array(z.string()),
  }),
});
export type DeviceConfigResult = z.infer<typeof DeviceConfigResultSchema>['deviceConfig'];

export const DiagnosticsResultSchema = z.object({ diagnostics: z.object({ folder: z.string(), files: z.array(z.string()), bytes: z.number().int() }) });
export type DiagnosticsResult = z.infer<typeof DiagnosticsResultSchema>['diagnostics'];

/** What a price check (lookup without selling) answers. */
export const PriceCheckResultSchema = z.object({
  code: z.string(),
  itemId: z.string(),
  name: z.string(),
  unit: z.enum(['piece', 'weight']),
  price: z.number().int(),
  vatRate: z.number().int(),
  ageLimit: z.number().int().nullable(),
  deposit: z.object({ name: z.string(), price: z.number().int() }).nullable(),
});
export type PriceCheckResult = z.infer<typeof PriceCheckResultSchema>;

/** X (mid-day, no reset) and Z (end of day, closes the till) reports, built from the journal. */
export const TillReportSchema = z.object({
  kind: z.enum(['X', 'Z']),
  zNumber: z.number().int().nullable(),
  sessionId: z.string(),
  openedAt: z.string(),
  at: z.string(),
  operator: z.string().nullable(),
  currency: z.string(),
  sales: z.object({ count: z.number().int(), total: z.number().int() }),
  tenders: z.array(z.object({ kind: z.string(), amount: z.number().int() })),
  vat: z.array(VatRowSchema),
  rounding: z.number().int(),
  voids: z.object({ count: z.number().int(), amount: z.number().int() }),
  cancels: z.object({ count: z.number().int(), amount: z.number().int() }),
  returns: z.object({ count: z.number().int(), amount: z.number().int() }),
  discounts: z.number().int(),
  noSales: z.number().int(),
  training: z.object({ count: z.number().int(), total: z.number().int() }),
  cash: z.object({
    float: z.number().int(),
    sales: z.number().int(),
    paidIn: z.number().int(),
    paidOut: z.number().int(),
    pickups: z.number().int(),
    expected: z.number().int(),
    counted: z.number().int().nullable(),
    overShort: z.number().int().nullable(),
  }),
  /** Running total of all sales since the terminal started; never reset. */
  grandTotal: z.number().int(),
});
export type TillReport = z.infer<typeof TillReportSchema>;

/** A sale found by its receipt barcode, with what can still be returned of each line. */
export const SaleLookupSchema = z.object({
  saleId: z.string(),
  sequence: z.number().int(),
  completedAt: z.string(),
  total: z.number().int(),
  lines: z.array(
    z.object({ lineId: z.string(), name: z.string(), quantity: z.number().int(), total: z.number().int(), returned: z.number().int(), returnable: z.number().int(), isDeposit: z.boolean() }),
  ),
  tenders: z.array(z.object({ kind: z.string(), amount: z.number().int() })),
  /** The gift cards that paid it, with their balance now (a refund asks which one gets the money). */
  giftCards: z.array(SaleGiftCardSchema).default([]),
});
export type SaleLookup = z.infer<typeof SaleLookupSchema>;

export const ReturnResultSchema = z.object({
  returnId: z.string(),
  sequence: z.number().int(),
  refund: z.number().int(),
  refunds: z.array(z.object({ kind: z.enum(['cash', 'card', 'voucher']), amount: z.number().int() })),
  receiptText: z.string(),
});
export type ReturnResult = z.infer<typeof ReturnResultSchema>;

/** A suspend slip: its barcode (this lane) and the QR text that resumes it on any lane. */
export const SlipSchema = z.object({ suspendId: z.string(), barcode: z.string(), qr: z.string(), slipText: z.string() });
export type Slip = z.infer<typeof SlipSchema>;

/** Produce to pick by picture or search; price per kg (weighed) or per piece. */
export const WeighPreviewSchema = z.object({
  weighPreview: z.object({
    itemId: z.string(),
    name: z.string(),
    pricePerKg: z.number().int(),
    /** A stable weight on the scale now, and its price; null with the reason while there is none. */
    grams: z.number().int().nullable(),
    total: z.number().int().nullable(),
    refused: z.string().nullable(),
  }),
});
export type WeighPreview = z.infer<typeof WeighPreviewSchema>;

export const ProduceListSchema = z.object({
  produce: z.array(z.object({ itemId: z.string(), name: z.string(), plu: z.string(), unit: z.enum(['piece', 'weight']), price: z.number().int(), ageLimit: z.number().int().nullable() })),
});
export type ProduceList = z.infer<typeof ProduceListSchema>;

/** Departments with the VAT rate an unknown item sold under them carries. */
export const DepartmentListSchema = z.object({ departments: z.array(z.object({ id: z.string(), name: z.string(), vatRate: z.number().int() })) });
export type DepartmentList = z.infer<typeof DepartmentListSchema>;

/** Parked baskets of this lane: resume one by its slip barcode. */
export const SuspendedListSchema = z.object({
  suspended: z.array(z.object({ suspendId: z.string(), barcode: z.string(), createdAt: z.string(), operator: z.string().nullable(), items: z.number().int(), names: z.array(z.string()) })),
});
export type SuspendedList = z.infer<typeof SuspendedListSchema>;

export const ReceiptCopySchema = z.object({ saleId: z.string(), copyText: z.string() });
export type ReceiptCopy = z.infer<typeof ReceiptCopySchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  /** `now`: the core's clock when the message was sent (screens show the core's time, not the browser's). */
  z.object({ type: z.literal('welcome'), protocol: z.number().int(), now: z.string(), snapshot: SnapshotSchema }),
  z.object({ type: z.literal('snapshot'), now: z.string(), snapshot: SnapshotSchema }),
  z.object({
    type: z.literal('ack'),
    id: z.string(),
    version: z.number().int(),
    result: z.lazy(() => z.union([PriceCheckResultSchema, GiftCardResultSchema, WeighPreviewSchema, TillReportSchema, SaleLookupSchema, ReturnResultSchema, SlipSchema, ReceiptCopySchema, DeviceTestResultSchema, DeviceInfoSchema, CardEndOfDaySchema, ProduceListSchema, DepartmentListSchema, SuspendedListSchema, ServiceInfoSchema, ServiceLogSchema, DeviceConfigResultSchema, DiagnosticsResultSchema])).optional(),
  }),
  z.object({
    type: z.literal('error'),
    id: z.string().nullable(),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ErrorMessage = Extract<ServerMessage, { type: 'error' }>;

/** What the Electron preload hands to the renderer, and what browser mode puts in the URL hash. */
export const ConnectionInfoSchema = z.object({
  url: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d{1,5}\/api$/),
  token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>;

/** The line the core prints on stdout when it is ready to sell; supervisors parse it. */
export const CoreReadySchema = z.object({
  kassa: z.literal('ready'),
  port: z.number().int(),
  token: z.string(),
  pid: z.number().int(),
  /** The attendant listener's port (self-checkout), when it runs. */
  attendantPort: z.number().int().optional(),
});
export type CoreReady = z.infer<typeof CoreReadySchema>;

/** The line the core prints on stdout when store IT (IT PIN verified by the core) asks the kiosk app to exit. */
export const CoreExitRequestSchema = z.object({ kassa: z.literal('exit'), operator: z.string() });
export type CoreExitRequest = z.infer<typeof CoreExitRequestSchema>;

/** What the Electron main process tells the window about the core it supervises (restart with backoff). */
export const CoreStateSchema = z.object({
  state: z.enum(['starting', 'ready', 'restarting', 'failed']),
  /** Restarts since the last time the core stayed up. */
  attempt: z.number().int().min(0),
  /** When restarting: milliseconds until the next start. */
  retryInMs: z.number().int().min(0).nullable(),
});
export type CoreState = z.infer<typeof CoreStateSchema>;

/** A command without its id (the client adds one): `Omit` distributed over the union. */
export type CommandBody = CommandInput extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

/** What an acknowledgement can carry back (price check, report, sale lookup, return). */
export type AckResult = NonNullable<Extract<ServerMessage, { type: 'ack' }>['result']>;
