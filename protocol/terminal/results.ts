/**
 * What an acknowledgement carries back: one schema per kind of answer, and RESULT_OF, the map from a
 * command to its answer, so a caller that knows the command it sent knows the result's type.
 */
import { z } from 'zod';
import { GiftCardResultSchema, SaleGiftCardSchema, type GiftCardResult } from '../gift-card';
import type { CommandName } from './commands';
import { VatRowSchema } from './snapshot';

/** The card terminal's end of day against the lane's own card tenders since the last one. */
export const CardEndOfDaySchema = z.object({
  cardEndOfDay: z.object({ terminalTotal: z.number().int().nullable(), laneTotal: z.number().int(), match: z.boolean(), text: z.string(), receiptLines: z.array(z.string()) }),
});
export type CardEndOfDay = z.infer<typeof CardEndOfDaySchema>['cardEndOfDay'];

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
  /** Sweden (SKVFS 2014:9): what the X- and Z-dagrapport add — the registration, receipts, copies, unfinished sales, grand totals. */
  se: z
    .object({
      orgNumber: z.string(),
      companyName: z.string(),
      address: z.string(),
      tillId: z.string(),
      /** Receipts made: sale receipts and return receipts (copies and training receipts not counted). */
      receipts: z.number().int(),
      copies: z.object({ count: z.number().int(), amount: z.number().int() }),
      /** Sales begun and not completed: cancelled, or abandoned idle. */
      unfinished: z.object({ count: z.number().int(), amount: z.number().int() }),
      /** Drawer openings without a sale or refund registered. */
      drawerOpenings: z.number().int(),
      /** Since the till's first receipt, never reset: sales, returns (positive), and their difference. */
      grandTotal: z.object({ sales: z.number().int(), returns: z.number().int(), net: z.number().int() }),
    })
    .optional(),
});
export type TillReport = z.infer<typeof TillReportSchema>;

/** One lane's figures for a business day in the store report: sales and returns, their net, the tenders they came to. */
export const StoreFiguresSchema = z.object({
  sales: z.object({ count: z.number().int(), total: z.number().int() }),
  /** Returns: how many, and what they paid back (a positive amount). */
  returns: z.object({ count: z.number().int(), amount: z.number().int() }),
  /** Sales less returns. */
  net: z.number().int(),
  /** By tender kind, net of change given and of what returns paid back in that tender; they add up to `net`. */
  tenders: z.array(z.object({ kind: z.string(), amount: z.number().int() })),
});
export type StoreFigures = z.infer<typeof StoreFiguresSchema>;

/**
 * "X for the whole store" (issue 19): a business day's figures for every lane, from this till's own
 * sales and the verified copies it holds of the store's other tills (core/peers/store-day.ts), HQ or not.
 */
export const StoreReportSchema = z.object({
  storeReport: z.object({
    businessDate: z.string(),
    at: z.string(),
    currency: z.string(),
    lanes: z.array(
      z.object({
        laneId: z.string(),
        terminalId: z.string().nullable(),
        /** This till (its own sales: current by definition). */
        self: z.boolean(),
        /** When this till last heard from the lane (null: never; this till itself: null). */
        lastContact: z.string().nullable(),
        /** The latest sale or return of the day held for the lane (null: none). */
        lastSaleAt: z.string().nullable(),
        /** Null: nothing of the lane's day is held here ("no sales held"). */
        figures: StoreFiguresSchema.nullable(),
      }),
    ),
    /** The lanes' figures added up. */
    total: StoreFiguresSchema,
    /**
     * What two lanes did to the same thing while they could not see each other (core/peers/conflicts.ts):
     * a receipt line returned more times than it was sold (`ref` the receipt, `item`, `sold`, `returned`),
     * or a parked basket taken up on more than one lane (`ref` its slip).
     */
    conflicts: z.array(
      z.object({ kind: z.enum(['return', 'resume']), ref: z.string(), lanes: z.array(z.string()), item: z.string().nullable(), sold: z.number().nullable(), returned: z.number().nullable() }),
    ),
  }),
});
export type StoreReportResult = z.infer<typeof StoreReportSchema>;
export type StoreReport = StoreReportResult['storeReport'];

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

/** The deposit items of the catalog (the empties window lists them). */
export const DepositItemListSchema = z.object({ depositItems: z.array(z.object({ id: z.string(), name: z.string(), price: z.number().int(), vatRate: z.number().int() })) });
export type DepositItemList = z.infer<typeof DepositItemListSchema>;

/** Parked baskets of this lane: resume one by its slip barcode. */
export const SuspendedListSchema = z.object({
  suspended: z.array(z.object({ suspendId: z.string(), barcode: z.string(), createdAt: z.string(), operator: z.string().nullable(), items: z.number().int(), names: z.array(z.string()) })),
});
export type SuspendedList = z.infer<typeof SuspendedListSchema>;

/** A cash movement recorded: its id, and the slip printed for it (a German till's, with its TSE fields; null where none is printed). */
export const CashMovementResultSchema = z.object({ movementId: z.string(), slipText: z.string().nullable() });
export type CashMovementResult = z.infer<typeof CashMovementResultSchema>;

export const ReceiptCopySchema = z.object({ saleId: z.string(), copyText: z.string() });
export type ReceiptCopy = z.infer<typeof ReceiptCopySchema>;

/** Every answer an acknowledgement can carry (what the wire is validated against before the command is known). */
export const AckResultSchema = z.union([PriceCheckResultSchema, GiftCardResultSchema, WeighPreviewSchema, TillReportSchema, StoreReportSchema, SaleLookupSchema, ReturnResultSchema, SlipSchema, ReceiptCopySchema, CashMovementResultSchema, DeviceTestResultSchema, DeviceInfoSchema, CardEndOfDaySchema, ProduceListSchema, DepartmentListSchema, DepositItemListSchema, SuspendedListSchema, ServiceInfoSchema, ServiceLogSchema, DeviceConfigResultSchema, DiagnosticsResultSchema]);
/** What an acknowledgement can carry back (price check, report, sale lookup, return, …). */
export type AckResult = z.infer<typeof AckResultSchema>;

/**
 * The command → result map: what the acknowledgement of each command carries (when it carries
 * anything). A command not named here is acknowledged without a result. A scan or price check of a
 * gift card answers with the card instead of selling or pricing an item.
 */
export const RESULT_OF = {
  scan: GiftCardResultSchema,
  priceCheck: z.union([PriceCheckResultSchema, GiftCardResultSchema]),
  tenderVoucher: GiftCardResultSchema,
  findSale: SaleLookupSchema,
  returnLines: ReturnResultSchema,
  returnWithoutReceipt: ReturnResultSchema,
  xReport: TillReportSchema,
  storeReport: StoreReportSchema,
  closeTill: TillReportSchema,
  suspendSale: SlipSchema,
  reprintReceipt: ReceiptCopySchema,
  cashMovement: CashMovementResultSchema,
  produceList: ProduceListSchema,
  weighPreview: WeighPreviewSchema,
  departments: DepartmentListSchema,
  depositItems: DepositItemListSchema,
  suspendedList: SuspendedListSchema,
  deviceTest: DeviceTestResultSchema,
  deviceInfo: DeviceInfoSchema,
  cardEndOfDay: CardEndOfDaySchema,
  serviceInfo: ServiceInfoSchema,
  serviceLog: ServiceLogSchema,
  deviceConfig: DeviceConfigResultSchema,
  saveDeviceConfig: DeviceConfigResultSchema,
  exportDiagnostics: DiagnosticsResultSchema,
} as const satisfies Partial<Record<CommandName, z.ZodType>>;

/** The result type of command C's acknowledgement (`never` for a command acknowledged without one). */
export type CommandResult<C extends CommandName> = C extends keyof typeof RESULT_OF ? z.infer<(typeof RESULT_OF)[C]> : never;

/** A price check's answer when the code was a gift card's (the one command with two kinds of answer). */
export const isGiftCardAnswer = (r: CommandResult<'priceCheck'>): r is GiftCardResult => 'giftCard' in r;

/** An answer received without knowing which command it belongs to, taken as command C's (undefined when it is not C's kind of answer). */
export function resultOf<C extends CommandName>(cmd: C, result: unknown): CommandResult<C> | undefined {
  const schema = (RESULT_OF as Partial<Record<CommandName, z.ZodType>>)[cmd];
  const parsed = schema?.safeParse(result);
  return parsed?.success ? (parsed.data as CommandResult<C>) : undefined;
}
