/**
 * Sweden (SFL 39 kap., SKVFS 2014:9): a till is connected to a certified control unit
 * (kontrollenhet). For every receipt — sale, copy, training, return — the till sends the receipt's
 * data (kvittodata) and gets back a control code (kontrollkod) and the unit's manufacturing number
 * (tillverkningsnummer), which the receipt prints. The protocols are the vendors' own (CleanCash,
 * Retail Innovation, …); this port is their common shape. Requests are checked with zod at the
 * boundary; faults are typed.
 */
import { z } from 'zod';
import { validSeOrgNumber } from '../../../protocol/store-ids';

export const SE_RECEIPT_TYPES = ['normal', 'kopia', 'ovning', 'retur'] as const;
export type SeReceiptType = (typeof SE_RECEIPT_TYPES)[number];

/** A Swedish organisation (or personal identity) number, NNNNNN-NNNN, with its Luhn check digit (the one check HQ runs too: protocol/store-ids.ts). */
export const validOrgNumber = validSeOrgNumber;

export const ControlUnitRequestSchema = z
  .object({
    orgNumber: z.string().refine(validOrgNumber, 'an organisation number is NNNNNN-NNNN with a valid check digit'),
    /** Kassabeteckning: the till's id as registered with Skatteverket. */
    tillId: z.string().regex(/^[A-Za-z0-9-]{1,16}$/),
    /** When the receipt was made (ISO 8601, the till's clock). */
    at: z.string().datetime(),
    /** The receipt's number in its gap-free series (a copy carries the original's). */
    receiptNumber: z.number().int().nonnegative(),
    type: z.enum(SE_RECEIPT_TYPES),
    /** Total in öre (negative for a return). */
    total: z.number().int(),
    /** VAT per rate: rate in hundredths of a percent, VAT in öre. */
    vat: z.array(z.object({ rate: z.number().int().nonnegative(), vat: z.number().int() }).strict()).max(4),
  })
  .strict();
export type ControlUnitRequest = z.infer<typeof ControlUnitRequestSchema>;

export interface ControlUnitAnswer {
  controlCode: string;
  manufacturingNumber: string;
}

export type ControlUnitErrorCode = 'CU_UNAVAILABLE' | 'CU_BAD_INPUT';

export class ControlUnitError extends Error {
  constructor(
    readonly code: ControlUnitErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ControlUnitError';
  }
}

export interface ControlUnitPort {
  /** The unit's manufacturing number (throws CU_UNAVAILABLE when it does not answer). */
  manufacturingNumber(): string;
  /** Registers one receipt's data; the control code for it. */
  register(req: ControlUnitRequest): ControlUnitAnswer;
}

/** A request checked at the boundary: a typed CU_BAD_INPUT error names what is wrong. */
export function checkedRequest(req: unknown): ControlUnitRequest {
  const parsed = ControlUnitRequestSchema.safeParse(req);
  if (!parsed.success) throw new ControlUnitError('CU_BAD_INPUT', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}
