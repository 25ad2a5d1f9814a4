/** Reads at the lane that sell nothing: price check, the scale's preview, produce and department lists, a gift card's balance. */
import type { GiftCardResult } from '../../protocol/gift-card';
import type { PriceCheckResult, WeighPreview } from '../../protocol/terminal';
import { pendingAgeCheck, totalsOf } from '../checkout/machines';
import { CoreError } from '../errors';
import type { Lane, LaneHandlers } from '../lane/context';
import { needSignedInUnlocked } from '../lane/guards';
import { lineTotal } from '../pricing';
import type { LineBuilder } from './lines';

export class Lookups {
  constructor(
    private readonly lane: Lane,
    private readonly lines: LineBuilder,
  ) {}

  handlers(): LaneHandlers {
    const { lane } = this;
    return {
      ping: { ungated: true, run: () => ({ answer: null }) },
      produceList: { ungated: true, run: (cmd) => ({ answer: { produce: lane.catalog.produce(cmd.query ?? '') } }) },
      weighPreview: { ungated: true, run: (cmd) => ({ answer: { weighPreview: this.weighPreview(cmd.code) } }) },
      departments: { ungated: true, run: () => ({ answer: { departments: lane.catalog.departments() } }) },
      depositItems: { ungated: true, run: () => ({ answer: { depositItems: lane.catalog.depositItems() } }) },
      // A gift card typed with F3 answers with its balance (issue 16).
      priceCheck: { run: (cmd) => ({ answer: this.giftCard(cmd.code) ?? this.priceCheck(cmd.code) }) },
    };
  }

  /** A gift card's balance (scanned, F3, or just paid with: `anyCode`); null for a code in no gift card range (issue 16). */
  giftCard(code: string, anyCode = false): GiftCardResult | null {
    const { lane } = this;
    if (!anyCode && !lane.giftCards.range(code)) return null;
    needSignedInUnlocked(lane, 'Sign in first.');
    const co = lane.checkoutSnap();
    const payable = co?.hasTag('basket') && pendingAgeCheck(co.context) === null ? totalsOf(co.context).remaining : 0;
    return { giftCard: lane.giftCards.lookup(code, co ? { tenders: co.context.tenders, payable } : null) };
  }

  /** What the scale reads now for an item sold by weight (the kiosk shows it before the customer adds it). */
  private weighPreview(code: string): WeighPreview['weighPreview'] {
    const { item } = this.lines.resolve(code);
    if (item.unit !== 'weight') throw new CoreError('NOT_ALLOWED_NOW', `${item.name} is not sold by weight.`, { reason: 'notByWeight' });
    const scale = this.lines.scale;
    const w = scale ? scale.weight() : { refused: 'noScale' as const };
    const grams = 'grams' in w ? w.grams : null;
    return { itemId: item.id, name: item.name, pricePerKg: item.price, grams, total: grams === null ? null : lineTotal('weight', item.price, 1, grams), refused: 'refused' in w ? w.refused : null };
  }

  private priceCheck(code: string): PriceCheckResult {
    needSignedInUnlocked(this.lane);
    const { item, code: shown } = this.lines.resolve(code);
    const dep = item.depositItemId ? this.lane.catalog.getItem(item.depositItemId) : null;
    return {
      code: shown,
      itemId: item.id,
      name: item.name,
      unit: item.unit,
      price: item.price,
      vatRate: item.vatRate,
      ageLimit: item.ageLimit,
      deposit: dep ? { name: dep.name, price: dep.price } : null,
    };
  }
}
