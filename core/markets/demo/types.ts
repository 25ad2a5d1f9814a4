/** The shape of a market's demo catalog (core/catalog/demo.ts writes it): data only. */
import type { Profile, StoreLegal } from '../../../protocol/terminal';
import { gtinCheckDigit } from '../../../protocol/gtin';
import { variableMeasureCode } from '../../catalog/variable-measure';

export interface DemoItem {
  id: string;
  name: string;
  department: string;
  /** A VAT class id of the market's demo catalog. */
  vat: string;
  unit: 'piece' | 'weight';
  price: number;
  ageLimit?: number;
  /** The deposit item this product carries (per product, never per category). */
  deposit?: string;
  isDeposit?: boolean;
  plu?: string;
  /** Codes as a cashier scans them (13 digits); variable-measure items list their zeroed code. */
  codes: string[];
}

/** A family of filler products: the generator picks brand, product and size at random. */
export interface DemoFamily {
  department: string;
  vat: string;
  /** Share of the assortment. */
  weight: number;
  brands: string[];
  products: string[];
  sizes: string[];
  /** Price range, minor units. */
  price: [number, number];
  unit?: 'piece' | 'weight';
  deposit?: string;
  ageLimit?: number;
}

export interface DemoMarket {
  /** The demo store's legal particulars for the receipt's legal lines (made-up numbers). */
  store: StoreLegal;
  vatClasses: ReadonlyArray<{ id: string; name: string; rate: number }>;
  departments: ReadonlyArray<{ id: string; name: string }>;
  items: Readonly<Record<string, DemoItem>>;
  families: readonly DemoFamily[];
  /** Two digits the filler items' codes start with. */
  fillerPrefix: string;
  /** Demo promotions (JSON specs as HQ sends them) on the fixed items. */
  promotions: ReadonlyArray<{ id: string }>;
}

/** EAN-13 from 12 digits. */
export function ean13(payload12: string): string {
  return payload12 + gtinCheckDigit(payload12);
}

/** A variable-measure code of the market's rule for `prefix` (verifier and check digit added). */
export function marketVariableCode(profile: Profile, prefix: string, itemRef: string, measure: string): string {
  const rule = profile.variableMeasure.find((r) => r.prefix === prefix);
  if (!rule) throw new RangeError(`${profile.country} has no variable-measure prefix ${prefix}`);
  return variableMeasureCode(rule, itemRef, measure);
}
