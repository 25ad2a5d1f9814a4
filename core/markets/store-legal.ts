/** The store's legal particulars for the receipt's legal lines, from the terminal's environment (validated). */
import { StoreLegalSchema, type StoreLegal } from '../../protocol/terminal';

/** KASSA_STORE_ADDRESS, KASSA_ORG_NUMBER, KASSA_VAT_ID; null when none is set. A value that does not fit is refused by name. */
export function storeLegalFrom(env: NodeJS.ProcessEnv): StoreLegal | null {
  const address = env.KASSA_STORE_ADDRESS ?? '';
  const orgNumber = env.KASSA_ORG_NUMBER ?? '';
  const vatId = env.KASSA_VAT_ID ?? '';
  if (!address && !orgNumber && !vatId) return null;
  const r = StoreLegalSchema.safeParse({ address, orgNumber, vatId });
  if (!r.success) throw new Error(`store particulars refused: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return r.data;
}
