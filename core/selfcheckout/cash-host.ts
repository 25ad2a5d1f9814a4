/** What a kiosk's cash flow (checkout/kiosk-cash.ts) is given of its lane: commits, help calls for cash, the customer's activity. */
import type { CashHost } from './kiosk-cash';
import type { Lane } from '../lane/context';
import type { Help } from './help';

export function kioskCashHost(lane: Lane, help: Help, activity: () => void): CashHost {
  return {
    now: lane.now,
    db: lane.db,
    journal: lane.journal,
    laneId: lane.identity.laneId,
    log: (l) => lane.log(l),
    checkout: () => lane.checkoutSnap(),
    commit: (plan, logged) => {
      lane.commit(plan, logged);
      activity();
    },
    callStaff: (detail) => help.current === null && help.call('cash', detail),
    endCashCall: (by) => help.current?.reason === 'cash' && help.end(by, 'answered'),
    changed: () => lane.broadcast(),
    disposed: () => lane.disposed,
  };
}
