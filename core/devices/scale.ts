/** The checkout's view of a scale: the current stable weight, or why there is none. */
import { weightForLine } from '../../drivers/scale/toledo8217';
import type { ToledoScale } from '../../drivers/scale/device';

export type WeightResult = { grams: number } | { refused: 'inMotion' | 'overCapacity' | 'underZero' | 'zero' | 'invalid' | 'noScale' | 'stale' };

export interface WeightSource {
  weight(): WeightResult;
}

/** Adapts a polled Toledo scale: only a fresh, stable, positive weight counts. */
export function scaleWeightSource(scale: ToledoScale, maxAgeMs = 1_000, now: () => number = Date.now): WeightSource {
  return {
    weight() {
      const r = scale.latest;
      if (!r || !scale.isOnline()) return { refused: 'noScale' };
      if (now() - r.at > maxAgeMs) return { refused: 'stale' };
      return weightForLine(r.reply);
    },
  };
}
