/** The checkout's view of a scale: the current stable weight, or why there is none. */
import { weightForLine } from '../../drivers/scale/toledo8217/protocol';
import type { ToledoScale } from '../../drivers/scale/toledo8217/device';
import type { Dialog06Scale } from '../../drivers/scale/dialog06/device';

export type WeightRefusal = 'inMotion' | 'overCapacity' | 'underZero' | 'zero' | 'invalid' | 'noScale' | 'stale' | 'notMoved' | 'checksumsRequired' | 'timeout';
export type WeightResult = { grams: number } | { refused: WeightRefusal };

/**
 * A checkout scale as the lane sees it. A polled scale (Toledo 8217) has the current weight at any
 * moment; a price-computing scale (Dialog 06) weighs one item at its unit price on request and
 * computes the price itself.
 */
export interface WeightSource {
  weight(): WeightResult;
  weigh?(item: { unitPricePerKg: number; tareGrams?: number; name: string }): Promise<({ grams: number; priceToPay: number } | { refused: WeightRefusal }) & { detail?: string }>;
}

/** Adapts a polled Toledo scale: only a fresh, stable, positive weight counts. */
export function scaleWeightSource(scale: ToledoScale, maxAgeMs = 1_000, now: () => number = () => performance.now()): WeightSource {
  return {
    weight() {
      const r = scale.latest;
      if (!r || !scale.isOnline()) return { refused: 'noScale' };
      if (now() - r.at > maxAgeMs) return { refused: 'stale' };
      return weightForLine(r.reply);
    },
  };
}

/** Adapts a Dialog 06 scale: each weighed item is weighed on request at its unit price. */
export function dialog06WeightSource(scale: Dialog06Scale): WeightSource {
  return {
    weight: () => ({ refused: scale.state === 'online' ? 'invalid' : 'noScale' }),
    async weigh(item) {
      const r = await scale.weigh(item.unitPricePerKg, { ...(item.tareGrams ? { tareGrams: item.tareGrams } : {}), text: item.name });
      return r.ok ? { grams: r.result.grams, priceToPay: r.result.priceToPay } : { refused: r.reason, detail: r.detail };
    },
  };
}
