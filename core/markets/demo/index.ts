/** Each market's demo catalog, by country (core/catalog/demo.ts writes the one of the store's profile). */
import type { Profile } from '../../../protocol/terminal';
import { DE_DEMO } from './de';
import { DK_DEMO } from './dk';
import { FI_DEMO } from './fi';
import { GB_DEMO } from './gb';
import { NO_DEMO } from './no';
import { SE_DEMO } from './se';
import type { DemoMarket } from './types';

export const DEMO_MARKETS: Readonly<Record<Profile['country'], DemoMarket>> = { SE: SE_DEMO, DE: DE_DEMO, DK: DK_DEMO, NO: NO_DEMO, FI: FI_DEMO, GB: GB_DEMO };
export { DE_DEMO, DK_DEMO, FI_DEMO, GB_DEMO, NO_DEMO, SE_DEMO };
