/** The snapshot every screen renders: the lane, its open sale, and the status of everything around it. */
import type { CashView } from '../../protocol/cash';
import type { Snapshot } from '../../protocol/terminal';
import { pendingAgeCheck, totalsOf } from '../checkout/machines';
import type { Lane } from './context';

/** What the features contribute (each owns its part). */
export interface SnapshotParts {
  till: Snapshot['lane']['till'];
  help: Snapshot['lane']['help'];
  attendance: Pick<Snapshot['lane'], 'customerLang' | 'selfCheckout'>;
  cash: (saleId: string) => CashView | null;
  sync: Snapshot['sync'];
  catalog: Snapshot['catalog'];
  peers: NonNullable<Snapshot['peers']> | null;
  payment: Snapshot['payment'];
  devices: Snapshot['devices'];
  /** First-boot provisioning's view; undefined (left out) when none runs. */
  provisioning?: Snapshot['provisioning'];
}

export function buildSnapshot(lane: Lane, parts: SnapshotParts): Snapshot {
  const ls = lane.laneSnap();
  const co = lane.checkoutSnap();
  return {
    version: lane.version,
    terminal: { storeId: lane.identity.storeId, laneId: lane.identity.laneId, storeName: lane.identity.storeName },
    profile: lane.profile,
    lane: {
      state: ls.value as Snapshot['lane']['state'],
      operator: ls.context.operator,
      operatorName: ls.context.operatorName,
      role: ls.context.role,
      locked: ls.context.locked,
      training: ls.context.training,
      mode: lane.config.mode,
      till: parts.till,
      help: parts.help,
      ...parts.attendance,
    },
    checkout:
      co?.hasTag('open')
        ? {
            saleId: co.context.saleId,
            state: co.value as NonNullable<Snapshot['checkout']>['state'],
            cardAttempt: co.context.cardAttempt,
            saleDiscount: co.context.saleDiscount,
            member: co.context.member ? `…${co.context.member.slice(-4)}` : null,
            lines: co.context.lines,
            totals: totalsOf(co.context),
            tenders: co.context.tenders,
            startedAt: co.context.startedAt,
            ageCheckPending: pendingAgeCheck(co.context),
            training: co.context.training,
            cash: parts.cash(co.context.saleId),
          }
        : null,
    lastSale: lane.lastSale,
    sync: parts.sync,
    catalog: parts.catalog,
    peers: parts.peers,
    payment: parts.payment,
    devices: parts.devices,
    ...(parts.provisioning !== undefined ? { provisioning: parts.provisioning } : {}),
    // Germany: the till's TSE (core/fiscal/tse/till.ts); Sweden: its control unit (core/fiscal/control-unit/till.ts).
    ...(lane.tse ? { tse: lane.tse.view() } : {}),
    ...(lane.controlUnit ? { controlUnit: lane.controlUnit.view() } : {}),
  };
}
