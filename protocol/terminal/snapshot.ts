/** The snapshot: everything a UI shows, sent whole after every committed change. */
import { z } from 'zod';
import { CashViewSchema } from '../cash';
import { PaymentPromptSchema } from './payment-prompt';
import { ProfileSchema } from './profile';


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
  /** A line of its own kind: empties brought back (pantretur, Leergut), a negative amount (issue 21). */
  kind: z.literal('depositReturn').optional(),
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
  /** Empties worth more than the purchase: what the lane pays out in cash (rounded to the smallest coin; absent otherwise). */
  payout: z.number().int().nonnegative().optional(),
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
  detailCode: z.enum(['starting', 'ready', 'paperOut', 'paperLow', 'coverOpen', 'printerError', 'offline', 'notConnected', 'connected', 'answering', 'readyToScan', 'registering', 'registered', 'registrationRefused', 'cashJam', 'cashFull', 'unreadable']).nullable().optional(),
  since: z.string(),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
export type DeviceDetailCode = NonNullable<DeviceStatus['detailCode']>;

/** Why provisioning stopped, as a code the provisioning screen words (with what to do) in its own language. */
export const PROVISIONING_FAILURES = ['unreadable', 'tokenUsed', 'tokenExpired', 'tokenUnknown', 'hqUnreachable', 'hqRefused', 'catalogKey', 'wrongLane', 'wrongStore', 'noCatalog', 'catalogFailed', 'recoveryFailed'] as const;

/**
 * A terminal without identity started for first-boot provisioning (core --provisioning,
 * core/provisioning/): where it looks for provisioning.json, how far it got, and why it stopped.
 * The lane does not sell while this is set; it is null once the terminal is provisioned.
 */
export const ProvisioningViewSchema = z.object({
  /** waiting: for a stick or a typed/scanned code; working; failed (try again); ready: provisioned, the lane opens. */
  phase: z.enum(['waiting', 'working', 'failed', 'ready']),
  /** The folders searched for provisioning.json (the USB stick's mount point). */
  dirs: z.array(z.string().max(300)).max(8),
  /** Where the payload came from. */
  source: z.enum(['usb', 'typed']).nullable(),
  /** The step under way (working) or reached (failed, ready). */
  step: z.enum(['reading', 'enrolling', 'recovering', 'catalog', 'devices', 'ready']).nullable(),
  enrolled: z.object({ terminalId: z.string().max(80), storeId: z.string().max(64), laneId: z.string().max(64), reflash: z.boolean() }).nullable(),
  /** A reflashed lane's sales back from the store's other tills (the lane whose copy was taken) or from HQ; sales null while it works. */
  recovery: z.object({ source: z.enum(['peers', 'hq']), sales: z.number().int().min(0).nullable(), fromLane: z.string().max(64).nullable() }).nullable(),
  /** The catalog pull: items applied of the catalog's items (done = total when it is in use). */
  catalog: z.object({ version: z.number().int().min(0), done: z.number().int().min(0), total: z.number().int().min(0) }).nullable(),
  /** Devices found on this terminal's USB and serial ports (device discovery). */
  devices: z.object({ found: z.number().int().min(0), names: z.array(z.string().max(120)).max(16) }).nullable(),
  /** The staff HQ sent with the catalog's check-in (protocol/staff.ts): how many operators can sign in here (0: nobody yet). Null: not known yet. */
  staff: z.object({ count: z.number().int().min(0) }).nullable().optional(),
  /** Why it stopped (failed), and the technical detail for store IT (HQ's or the file's own words). */
  failure: z.object({ code: z.enum(PROVISIONING_FAILURES), detail: z.string().max(600) }).nullable(),
});
export type ProvisioningView = z.infer<typeof ProvisioningViewSchema>;
export type ProvisioningFailure = (typeof PROVISIONING_FAILURES)[number];

/** Germany: what the store reports to its tax office of a till and its TSE (core/fiscal/tse/kassenmeldung.ts). */
export const KassenmeldungSchema = z.object({
  tseSerialNumber: z.string(),
  tsePublicKey: z.string(),
  tseSignatureAlgorithm: z.string(),
  tseCertificate: z.string().nullable(),
  tseCommissionedAt: z.string(),
  tillSerialNumber: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  softwareVersion: z.string(),
  tillCommissionedAt: z.string(),
  storeName: z.string(),
  location: z.string(),
});
export type Kassenmeldung = z.infer<typeof KassenmeldungSchema>;

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
      /** OS updates (kiosk image only): the OS running and where an update stands (core/sync/os-update.ts). */
      os: z
        .object({
          running: z.string(),
          state: z.enum(['idle', 'downloading', 'handedOver', 'installing', 'installed', 'refused']),
          version: z.string().nullable(),
          detail: z.string().nullable(),
        })
        .nullable()
        .optional(),
    })
    .nullable(),
  /**
   * The store's other tills this one replicates with (core/peers): null when it has no roster yet.
   * Per peer: where it is reached, when it was last heard from or answered, how many of this till's
   * sales it does not hold yet, how many of its sales this till holds, and what is wrong.
   */
  peers: z
    .array(
      z.object({
        terminalId: z.string(),
        laneId: z.string(),
        address: z.string().nullable(),
        lastContact: z.string().nullable(),
        behind: z.number().int().min(0),
        held: z.number().int().min(0),
        problem: z.string().nullable(),
      }),
    )
    .nullable()
    .optional(),
  /** The card payment at the terminal: its current text, and a decision a supervisor must make. */
  payment: z.object({
    /** Offline (store-and-forward) card payments: whether the terminal is offline, and what awaits settlement. */
    offline: z.object({ terminalOffline: z.boolean(), pendingCount: z.number().int(), pendingAmount: z.number().int(), oldestAt: z.string().nullable() }),
    text: z.string().nullable(),
    /** What `text` says as Kassa's prompt code (payment-prompt.ts), when the terminal sent no text of its own: the UI words it in the lane's language. */
    prompt: PaymentPromptSchema.nullable(),
    /** The last card payment of this sale was declined (cleared when the next one starts). */
    declined: z.object({ saleId: z.string(), at: z.string() }).nullable(),
    /**
     * A payment the terminal could not confirm, for a supervisor: why, the terminal's last receipt,
     * whether the terminal has answered about it (until it has, "not charged" needs a second
     * supervisor), and since when it has not been reachable (null: it was reached).
     */
    decision: z.object({ reason: z.string(), terminalReceipt: z.array(z.string()), terminalAnswered: z.boolean(), unreachableSince: z.string().nullable() }).nullable(),
  }),
  /** Live device status; faults are shown, never block a sale. */
  devices: z.object({
    printer: z.object({
      state: z.enum(['none', 'ok', 'paperLow', 'paperOut', 'coverOpen', 'offline', 'error', 'unreadable']),
      queued: z.number().int(),
      /** Jobs the printer may or may not have printed (the link dropped or the core died before it confirmed). */
      uncertain: z.number().int(),
      /** The sale (or return) of the oldest uncertain receipt: the lane offers "print again (marked COPY)" for it (reprintReceipt). */
      uncertainSale: z.string().nullable(),
    }),
    /** Cash drawer (sensed through the printer): open since when, and whether it was left open too long. */
    drawer: z.object({ state: z.enum(['none', 'closed', 'open']), openSince: z.string().nullable(), leftOpen: z.boolean() }),
    /** Every configured device with its live state, for the status bar and store IT. */
    list: z.array(DeviceStatusSchema),
    /** How the UI tells a keyboard-wedge scanner from typing. */
    wedge: z.object({ maxKeyGapMs: z.number().int(), minLength: z.number().int() }),
  }),
  /** First-boot provisioning (ProvisioningViewSchema): null or absent when the terminal is provisioned. */
  provisioning: ProvisioningViewSchema.nullable().optional(),
  /** Germany (KassenSichV): the till's TSE — its client id (the till's serial), serial number, and an outage under way (sales go on unsigned). Absent where there is no TSE. */
  tse: z
    .object({
      clientId: z.string(),
      serialNumber: z.string().nullable(),
      state: z.enum(['ok', 'outage']),
      outageSince: z.string().nullable(),
      reason: z.string().nullable(),
      unsignedSales: z.number().int(),
      /** The Kassenmeldung (§146a Abs. 4 AO) of this till and TSE, for the service screen; null until the TSE has answered once. */
      meldung: KassenmeldungSchema.nullable().optional(),
    })
    .nullable()
    .optional(),
  /** Sweden (SKVFS 2014:9): the till's control unit as store IT provisioned it (`device`) — an outage under way, or none usable ('unconfigured'), blocks every sale, return and copy. Absent outside Sweden. */
  controlUnit: z
    .object({ tillId: z.string(), device: z.string(), state: z.enum(['ok', 'outage', 'unconfigured']), outageSince: z.string().nullable(), reason: z.string().nullable(), refused: z.number().int() })
    .nullable()
    .optional(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** Sweden: how often a till whose control unit is out asks it whether it answers again (core/fiscal/control-unit/till.ts; the lane's window says so). */
export const CONTROL_UNIT_PROBE_MS = 3_000;
