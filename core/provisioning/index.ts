/**
 * First-boot provisioning as the core's composition root uses it (core/main.ts): its command-line
 * options (`--provisioning`, `--provision-dir DIR` repeatable), the lane's identity (HQ's store and
 * lane once enrolled), and the flow started on the lane (flow.ts).
 */
import type { Clock } from '../clock';
import type { ControlUnitConfig, ProvisioningView } from '../../protocol/terminal';
import type { Db } from '../db';
import type { LaneService, TerminalIdentity } from '../lane/host';
import { loadHqLink } from '../sync/link';
import { ProvisioningFlow } from './flow';

export { ProvisioningFlow, isProvisioned } from './flow';

/** The core's provisioning options, for its parseArgs. */
export const PROVISIONING_ARGS = {
  provisioning: { type: 'boolean', default: false },
  'provision-dir': { type: 'string', multiple: true },
} as const;

/** `--provisioning [--provision-dir DIR]…`: where provisioning.json is looked for; null without --provisioning. */
export function provisioningOption(values: { provisioning?: boolean; 'provision-dir'?: string[] }): { dirs: string[] } | null {
  const dirs = values['provision-dir'] ?? [];
  if (!values.provisioning) {
    if (dirs.length) throw new Error('--provision-dir goes with --provisioning');
    return null;
  }
  if (dirs.length > 8) throw new Error('--provision-dir: at most 8 folders');
  return { dirs };
}

/**
 * The lane's identity. A provisioning terminal is the store and lane HQ enrolled it as (its
 * command-line store and lane only until then); any other core keeps what it was told.
 */
export function laneIdentity(db: Db, o: { storeId: string; storeName: string; laneId: string; provisioning?: { dirs: string[] } | null }): TerminalIdentity {
  const link = o.provisioning ? loadHqLink(db) : null;
  return { storeId: link?.storeId ?? o.storeId, storeName: o.storeName, laneId: link?.laneId ?? o.laneId };
}

/** Starts the flow on the lane (null without --provisioning); `flow.holding` tells HQ sync to wait. */
export function startProvisioning(service: LaneService, o: { db: Db; dbPath: string; identity: TerminalIdentity; provisioning?: { dirs: string[] } | null; now: Clock; log: (line: string) => void; timeoutMs?: number; controlUnit?: (config: ControlUnitConfig) => void }): ProvisioningFlow | null {
  if (!o.provisioning) return null;
  const flow = new ProvisioningFlow(
    {
      registry: service.registry,
      refresh: () => service.refresh(),
      catalogChanged: () => service.catalogChanged(),
      setProvisioning: (p) => {
        service.provisioning.set(p);
        service.refresh();
      },
    },
    { db: o.db, dbPath: o.dbPath, dirs: o.provisioning.dirs, identity: o.identity, now: o.now, log: o.log, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}), ...(o.controlUnit ? { controlUnit: o.controlUnit } : {}), ...envTimes() },
  );
  flow.start();
  return flow;
}

/**
 * KASSA_RECOVERY_WAIT_MS: how long a reflashed lane asks its peers before it says none answered
 * (default 2 minutes); KASSA_PROVISION_READY_MS: how long "ready to sell" stays before the sign-in
 * (default 4 s). Tests set them.
 */
function envTimes(): { recoveryWaitMs?: number; readyMs?: number } {
  const ms = (name: string) => {
    const v = Number(process.env[name]);
    return process.env[name] && Number.isFinite(v) && v >= 0 ? v : undefined;
  };
  const recoveryWaitMs = ms('KASSA_RECOVERY_WAIT_MS');
  const readyMs = ms('KASSA_PROVISION_READY_MS');
  return { ...(recoveryWaitMs !== undefined ? { recoveryWaitMs } : {}), ...(readyMs !== undefined ? { readyMs } : {}) };
}

/** The core's one-line status for systemd (core/sd-notify.ts STATUS=): what the lane is doing, provisioning's step and catalog count. */
export function provisioningStatus(view: ProvisioningView | null | undefined): string {
  if (!view) return 'selling';
  if (view.phase === 'waiting') return 'waiting for provisioning';
  if (view.phase === 'ready') return 'provisioned: ready to sell';
  if (view.phase === 'failed') return `provisioning failed: ${view.failure?.code ?? 'unknown'} (waiting for store IT)`;
  if (view.step === 'catalog' && view.catalog) return `provisioning: catalog ${view.catalog.done}/${view.catalog.total}`;
  const steps: Record<NonNullable<ProvisioningView['step']>, string> = { reading: 'reading the payload', enrolling: 'enrolling with HQ', recovering: "getting the lane's sales back", catalog: 'downloading the catalog', devices: 'looking for devices', ready: 'ready to sell' };
  return `provisioning: ${view.step ? steps[view.step] : 'starting'}`;
}
