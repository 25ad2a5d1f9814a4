/**
 * A self-checkout's cash payment as the screens see it: through the kiosk's cash device (coins
 * and notes counted in, change paid out) or, without one, an attendant who takes the cash and
 * confirms the amount. Nothing is paid until the device counted it or the attendant confirmed it.
 */
import { z } from 'zod';

export const CashViewSchema = z.object({
  sessionId: z.string(),
  saleId: z.string(),
  /** Through the cash device, or an attendant takes the cash. */
  via: z.enum(['device', 'attendant']),
  /** What is due in cash (rounded), when the payment started. */
  due: z.number().int(),
  /** Counted in by the device (or confirmed by the attendant) so far. */
  inserted: z.number().int(),
  /** Still to put in: due − inserted (0 when enough). */
  stillToPay: z.number().int(),
  /**
   * accepting: put coins and notes in · waitingAttendant: an attendant is coming · paying: change
   * being paid out · returning: the money put in is being handed back · done · stopped: the device
   * stopped (a fault); what it counted was booked.
   */
  phase: z.enum(['accepting', 'waitingAttendant', 'paying', 'returning', 'done', 'stopped']),
  /** Change due, and what the device paid out of it (null while it pays). */
  change: z.number().int(),
  changePaid: z.number().int().nullable(),
  /** Money the customer is still owed (change or a refund the device could not pay): staff hand it over. */
  owed: z.number().int(),
  /** Booked as the cash tender (null until the session ended). */
  booked: z.number().int().nullable(),
  /** What went wrong, for the customer and staff. */
  problem: z.enum(['jam', 'full', 'offline', 'shortChange', 'returnFailed', 'lost', 'unknownPayout']).nullable(),
});
export type CashView = z.infer<typeof CashViewSchema>;
