/**
 * From a scanned code to basket lines: the barcode resolved against the catalog (variable-measure
 * and GS1 codes carry price or weight), the weight from the scale for items sold by weight (a
 * price-computing scale weighs first and the line follows when it answers), and the deposit line
 * that goes with an item.
 */
import type { Command, Line } from '../../protocol/terminal';
import { resolveBarcode } from '../catalog/barcode';
import type { CatalogItem } from '../catalog/repo';
import type { WeightSource } from '../devices/scale';
import { CoreError } from '../errors';
import { uuidv7 } from '../ids';
import { printable, type Lane } from '../lane/context';
import { lineTotal } from '../pricing';

export interface Resolved {
  item: CatalogItem;
  code: string;
  priceMinor: number | null;
  weightGrams: number | null;
  count: number | null;
}

type ScanCommand = Extract<Command, { cmd: 'scan' }>;

export class LineBuilder {
  /** A price-computing scale is weighing; its weight for this code, once it answered. */
  private weighing = false;
  private weighed: { code: string; grams: number } | null = null;

  constructor(
    private readonly lane: Lane,
    readonly scale: WeightSource | null,
  ) {}

  resolve(code: string): Resolved {
    const { lane } = this;
    const r = resolveBarcode(code, lane.profile);
    if (!r.ok) throw new CoreError('INVALID_BARCODE', `Invalid barcode: ${r.reason}.`, { code: printable(code), reason: r.reason });
    const item = r.kind === 'plu' ? lane.catalog.findByPlu(r.plu) : lane.catalog.findByCode(r.lookupCode);
    if (!item) throw new CoreError('ITEM_NOT_FOUND', `No item with the code ${printable(code)}.`, { code: printable(code) });
    if (item.blocked) throw new CoreError('ITEM_BLOCKED', `${item.name} may not be sold.`, { code: printable(code), name: item.name });
    const displayCode = r.kind === 'plu' ? r.plu : r.lookupCode.replace(/^0+(?=\d{8})/, '');
    if (r.kind === 'variable') return { item, code: displayCode, priceMinor: r.priceMinor, weightGrams: r.weightGrams, count: r.count };
    if (r.kind === 'gs1') return { item, code: displayCode, priceMinor: r.priceMinor, weightGrams: r.weightGrams, count: null };
    return { item, code: displayCode, priceMinor: null, weightGrams: null, count: null };
  }

  build(res: Resolved, cmd: ScanCommand, index: number): Line[] {
    const { item } = res;
    const lineId = `L${index}`;
    const base = {
      lineId,
      itemId: item.id,
      name: item.name,
      code: cmd.code,
      departmentId: item.departmentId,
      vatRate: item.vatRate,
      ageLimit: item.ageLimit,
      depositFor: null,
      voided: false,
      discounts: [],
      manualDiscount: null,
      priceOverride: null,
    };
    let line: Line;
    if (res.priceMinor !== null) {
      // Price embedded in the barcode: the label is the price of this one package.
      line = { ...base, unit: item.unit, quantity: 1, weightGrams: res.weightGrams, unitPrice: res.priceMinor, grossTotal: res.priceMinor, total: res.priceMinor, priceFromCode: true };
    } else if (item.unit === 'weight') {
      const grams = this.gramsFor(res, cmd, item);
      const gross = lineTotal('weight', item.price, 1, grams);
      line = { ...base, unit: 'weight', quantity: 1, weightGrams: grams, unitPrice: item.price, grossTotal: gross, total: gross, priceFromCode: false };
    } else {
      const quantity = res.count ?? cmd.quantity ?? 1;
      const gross = lineTotal('piece', item.price, quantity, null);
      line = { ...base, unit: 'piece', quantity, weightGrams: null, unitPrice: item.price, grossTotal: gross, total: gross, priceFromCode: res.count !== null };
    }
    const dep = item.depositItemId ? this.lane.catalog.getItem(item.depositItemId) : null;
    // The deposit's VAT: the drink's (DE Pfand, SE pant) or the deposit item's own, as the market says.
    const depositVat = this.lane.profile.depositVat === 'item' ? line.vatRate : (dep?.vatRate ?? 0);
    return dep ? [line, depositLine(dep, line, `L${index + 1}`, depositVat)] : [line];
  }

  /** The weight of an item sold by weight: from its barcode, a weighing that just answered, the command, or the scale. */
  private gramsFor(res: Resolved, cmd: ScanCommand, item: CatalogItem): number {
    const weighed = this.weighed?.code === cmd.code ? this.weighed.grams : null;
    const grams = res.weightGrams ?? weighed ?? cmd.weightGrams ?? null;
    if (grams !== null) return grams;
    if (this.scale?.weigh) {
      // A price-computing scale weighs this item at its price; the line follows when it answers.
      this.startWeighing(cmd, item);
      throw new CoreError('WEIGHT_REQUIRED', `${item.name}: weighing on the scale…`, { name: item.name, reason: 'weighing' });
    }
    if (this.scale) {
      // Only a stable, positive weight from the scale makes a line; anything else says why not.
      const w = this.scale.weight();
      if ('refused' in w) throw new CoreError('WEIGHT_REQUIRED', `${item.name}: no stable weight on the scale (${w.refused}).`, { name: item.name, reason: w.refused });
      return w.grams;
    }
    throw new CoreError('WEIGHT_REQUIRED', `${item.name} is sold by weight: put it on the scale.`, { name: item.name });
  }

  /**
   * Weighs an item on a price-computing scale, then sells it with the weight the scale reported, if
   * the scale's own price for it is the line's price. One weighing at a time; refusals are told to
   * the lane with the scale's reason.
   */
  private startWeighing(cmd: ScanCommand, item: CatalogItem): void {
    if (this.weighing) return;
    this.weighing = true;
    const { lane } = this;
    void this.scale!
      .weigh!({ unitPricePerKg: item.price, name: item.name })
      .then((r) => {
        if ('refused' in r) {
          lane.notifyError('WEIGHT_REQUIRED', `${item.name}: no weight from the scale (${r.detail ?? r.refused}).`, { name: item.name, reason: r.refused });
          return;
        }
        if (r.priceToPay !== lineTotal('weight', item.price, 1, r.grams)) {
          lane.log(`scale: price to pay ${r.priceToPay} for ${r.grams} g of ${item.id} differs from the till's ${lineTotal('weight', item.price, 1, r.grams)}; line refused`);
          lane.notifyError('WEIGHT_REQUIRED', `${item.name}: the scale's price does not match the till's; weigh again or call IT.`, { name: item.name, reason: 'invalid' });
          return;
        }
        this.weighed = { code: cmd.code, grams: r.grams };
        try {
          const { id: _id, ...rest } = cmd;
          lane.handle({ ...rest, id: `scale-${uuidv7(lane.now().getTime())}` } as Command);
        } catch (err) {
          if (err instanceof CoreError) lane.notifyError(err.code, err.message, err.params);
          else lane.log(`scale: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          this.weighed = null;
        }
      })
      .catch((err: unknown) => lane.log(`scale: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.weighing = false;
      });
  }
}

/** A line sold by the piece at a given unit price, nothing taken off it yet (a deposit, an item at a keyed price). */
export function pieceLine(p: { lineId: string; itemId: string; name: string; code: string; quantity: number; unitPrice: number; departmentId: string; vatRate: number; depositFor: string | null }): Line {
  const gross = lineTotal('piece', p.unitPrice, p.quantity, null);
  return {
    ...p,
    unit: 'piece',
    weightGrams: null,
    grossTotal: gross,
    discounts: [],
    total: gross,
    manualDiscount: null,
    priceOverride: null,
    ageLimit: null,
    priceFromCode: false,
    voided: false,
  };
}

/** The deposit line that goes with an item (one per piece, one for a weighed or price-coded package). */
function depositLine(dep: CatalogItem, line: Line, lineId: string, vatRate: number): Line {
  const quantity = line.unit === 'piece' ? line.quantity : 1;
  return pieceLine({ lineId, itemId: dep.id, name: dep.name, code: '', quantity, unitPrice: dep.price, departmentId: dep.departmentId, vatRate, depositFor: line.lineId });
}
