/**
 * What the terminal tells HQ at check-in: software, backlog, devices and the open alerts store IT
 * should know about — all derived from the lane's snapshot. No card data, no sale contents.
 *
 * A device that has not worked yet since it started (the lane's start, or the device's first
 * appearance after a configuration change) is "starting" for a grace period, not offline: a
 * printer takes a few seconds to answer, and the lane checks in at once when it starts.
 */
import type { Checkin, TerminalAlert } from '../../protocol/catalog';
import type { DeviceStatus, Snapshot } from '../../protocol/terminal';
import type { Clock } from '../clock';

export const SOFTWARE_VERSION = '0.1.0';

/** How long a device that has not worked yet may take to start before it is reported offline (ms). */
export const DEVICE_START_GRACE_MS = 60_000;

/** Which devices are still in their start-up grace, measured with the core's clock. */
export class DeviceStartGrace {
  /** When each device's grace began (ms since the epoch, core clock). */
  private readonly began = new Map<string, number>();
  /** Devices seen working (online, or answering with a warning) since they started. */
  private readonly worked = new Set<string>();
  private primed = false;

  constructor(
    private readonly now: Clock,
    /** The lane's start: devices present at the first look began then. */
    private readonly startedAt: Date,
    private readonly graceMs = DEVICE_START_GRACE_MS,
  ) {}

  /** Notes the devices' states (call with every snapshot, and before each report). */
  observe(devices: ReadonlyArray<Pick<DeviceStatus, 'id' | 'state'>>): void {
    const at = this.primed ? this.now().getTime() : this.startedAt.getTime();
    this.primed = true;
    for (const d of devices) {
      if (!this.began.has(d.id)) this.began.set(d.id, at);
      if (d.state !== 'offline') this.worked.add(d.id);
    }
  }

  /** When this device's grace ends, while it has not worked yet and the grace runs; else null. */
  graceUntil(d: Pick<DeviceStatus, 'id' | 'state'>): Date | null {
    if (d.state !== 'offline' || this.worked.has(d.id)) return null;
    const end = (this.began.get(d.id) ?? this.startedAt.getTime()) + this.graceMs;
    return end > this.now().getTime() ? new Date(end) : null;
  }

  /** The latest grace end among these devices' held-back offline states (null: none held back). */
  heldUntil(devices: ReadonlyArray<Pick<DeviceStatus, 'id' | 'state'>>): Date | null {
    let latest: Date | null = null;
    for (const d of devices) {
      const end = this.graceUntil(d);
      if (end && (!latest || end > latest)) latest = end;
    }
    return latest;
  }
}

export function openAlerts(snap: Snapshot, grace?: DeviceStartGrace): TerminalAlert[] {
  grace?.observe(snap.devices.list);
  const alerts: TerminalAlert[] = [];
  for (const d of snap.devices.list) if (d.state !== 'online' && !grace?.graceUntil(d)) alerts.push({ code: `DEVICE_${d.state.toUpperCase()}`, message: `${d.id} (${d.kind}): ${d.detail}`.slice(0, 300), since: d.since });
  if (snap.devices.printer.uncertain > 0) alerts.push({ code: 'PRINT_UNCERTAIN', message: `${snap.devices.printer.uncertain} receipt(s) may not have printed`, since: null });
  if (snap.devices.drawer.leftOpen) alerts.push({ code: 'DRAWER_LEFT_OPEN', message: 'the cash drawer was left open', since: snap.devices.drawer.openSince });
  const off = snap.payment.offline;
  if (off.pendingCount > 0) alerts.push({ code: 'OFFLINE_CARD_PENDING', message: `${off.pendingCount} offline card payment(s) await settlement`, since: off.oldestAt });
  if (snap.payment.decision) alerts.push({ code: 'PAYMENT_DECISION', message: `a card payment needs a supervisor's decision: ${snap.payment.decision.reason}`.slice(0, 300), since: null });
  if (snap.catalog?.stale) alerts.push({ code: 'CATALOG_STALE', message: 'the catalog has expired: prices may be stale', since: snap.catalog.expiresAt });
  if (snap.catalog?.lastError?.startsWith('refused')) alerts.push({ code: 'CATALOG_REFUSED', message: snap.catalog.lastError.slice(0, 300), since: snap.catalog.lastCheck });
  if (snap.tse?.state === 'outage') alerts.push({ code: 'TSE_OUTAGE', message: `the TSE is not signing: ${snap.tse.unsignedSales} sale(s) sold unsigned (${snap.tse.reason ?? 'no answer'})`.slice(0, 300), since: snap.tse.outageSince });
  if (snap.controlUnit?.state === 'outage') alerts.push({ code: 'CONTROL_UNIT_OUTAGE', message: `the control unit does not answer: the till may not sell; ${snap.controlUnit.refused} attempt(s) refused (${snap.controlUnit.reason ?? 'no answer'})`.slice(0, 300), since: snap.controlUnit.outageSince });
  if (snap.controlUnit?.state === 'unconfigured') alerts.push({ code: 'CONTROL_UNIT_NOT_CONFIGURED', message: (snap.controlUnit.reason ?? 'no control unit is provisioned: the till may not sell').slice(0, 300), since: null });
  if (snap.sync && snap.sync.quarantined > 0) alerts.push({ code: 'SALES_QUARANTINED', message: `${snap.sync.quarantined} sale(s) refused by HQ are held in quarantine`, since: null });
  return alerts.slice(0, 64);
}

/** The check-in report; with `grace`, devices still starting are reported as "starting" and raise no alert. */
export function checkinReport(snap: Snapshot, softwareVersion = SOFTWARE_VERSION, grace?: DeviceStartGrace): Omit<Checkin, 'catalog' | 'clock'> {
  grace?.observe(snap.devices.list);
  return {
    softwareVersion,
    backlog: { count: snap.sync?.backlog ?? 0, oldestAt: snap.sync?.oldestUnsentAt ?? null, ...(snap.sync ? { ackedThrough: snap.sync.ackedThrough } : {}) },
    devices: snap.devices.list.slice(0, 64).map((d) => {
      const starting = grace?.graceUntil(d);
      return { id: d.id.slice(0, 64), kind: d.kind, state: starting ? 'starting' : d.state, detail: (starting ? `starting (not answering yet: ${d.detail})` : d.detail).slice(0, 200) };
    }),
    alerts: openAlerts(snap, grace),
  };
}
