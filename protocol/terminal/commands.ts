/**
 * Terminal API commands: what a UI may ask the core, each validated with CommandSchema before it
 * reaches the core; anything that does not parse is answered with a typed error and changes nothing.
 */
import { z } from 'zod';
import { RefundToSchema } from '../gift-card';
import { PROVISION_TEXT_MAX } from '../provisioning';

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
  /**
   * After a crash mid-payment: a supervisor records what the payment terminal says happened.
   * `confirmation`: a second, different supervisor's, needed for "not charged" while the terminal has not answered.
   */
  z
    .object({ id: commandId, cmd: z.literal('resolvePayment'), outcome: z.enum(['approved', 'notCharged']), approval: ApprovalSchema.optional(), confirmation: ApprovalSchema.optional() })
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
  /** The deposit items empties can be taken back as (returnDeposit). */
  z.object({ id: commandId, cmd: z.literal('depositItems') }).strict(),
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
  /** Empties brought back: a line of the deposit item at minus its amount per piece (staff only at a kiosk). */
  z.object({ id: commandId, cmd: z.literal('returnDeposit'), itemId: z.string().min(1).max(64), quantity: z.number().int().min(1).max(LIMITS.maxQuantity).optional() }).strict(),
  /** An unknown item is set aside for a supervisor: recorded for the back office, help called. */
  z.object({ id: commandId, cmd: z.literal('reportMissingItem'), code: z.string().min(1).max(LIMITS.barcode) }).strict(),
  z.object({ id: commandId, cmd: z.literal('openTill'), float: DenominationCountSchema }).strict(),
  z
    .object({
      id: commandId,
      cmd: z.literal('cashMovement'),
      /** pickup: to the safe or the bank; private…: the owner's own money (Germany's Privatentnahme / Privateinlage). */
      kind: z.enum(['pickup', 'paidIn', 'paidOut', 'privateWithdrawal', 'privateDeposit']),
      amount: z.number().int().min(1).max(LIMITS.maxCashTender),
      reason: z.string().trim().min(1).max(80),
      approval: ApprovalSchema.optional(),
    })
    .strict(),
  /** The X report (no reset): on screen, and on the receipt printer with `print`. */
  z.object({ id: commandId, cmd: z.literal('xReport'), print: z.boolean().optional() }).strict(),
  /** The store's day (X for the whole store): this till's and its peers' held sales for a business date (YYYY-MM-DD; default today's). */
  z.object({ id: commandId, cmd: z.literal('storeReport'), businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), print: z.boolean().optional() }).strict(),
  /** Blind close: the count is given without seeing what the till expects. */
  z.object({ id: commandId, cmd: z.literal('closeTill'), counted: DenominationCountSchema, approval: ApprovalSchema.optional() }).strict(),
  z.object({ id: commandId, cmd: z.literal('ping') }).strict(),
  /** First-boot provisioning: the payload typed or scanned (protocol/provisioning.ts: KASSA-PROVISION:… or the JSON). */
  z.object({ id: commandId, cmd: z.literal('provisionSubmit'), text: z.string().min(1).max(PROVISION_TEXT_MAX) }).strict(),
  /** First-boot provisioning: try again after a failure (the stick is read again, or the steps left are run again). */
  z.object({ id: commandId, cmd: z.literal('provisionRetry') }).strict(),
]);
export type Command = z.infer<typeof CommandSchema>;
export type CommandInput = z.input<typeof CommandSchema>;
export type CommandName = Command['cmd'];

/** Store IT's service commands: their `approval` is the IT number and PIN (a supervisor's is refused), not a supervisor approval. */
export const STORE_IT_COMMANDS = ['serviceInfo', 'serviceLog', 'deviceConfig', 'saveDeviceConfig', 'exportDiagnostics', 'exitKiosk'] as const satisfies readonly CommandName[];
export type StoreItCommandName = (typeof STORE_IT_COMMANDS)[number];

/** A command without its id (the client adds one): `Omit` distributed over the union. */
export type CommandBody = CommandInput extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;
