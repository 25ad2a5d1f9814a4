/**
 * What the terminal tells HQ at check-in: software, backlog, devices and the open alerts store IT
 * should know about — all derived from the lane's snapshot. No card data, no sale contents.
 */
import type { Checkin, TerminalAlert } from '../../protocol/catalog';
import type { Snapshot } from '../../protocol/terminal';

export const SOFTWARE_VERSION = '0.1.0';

export function openAlerts(snap: Snapshot): TerminalAlert[] {
  const alerts: TerminalAlert[] = [];
  for (const d of snap.devices.list) if (d.state !== 'online') alerts.push({ code: `DEVICE_${d.state.toUpperCase()}`, message: `${d.id} (${d.kind}): ${d.detail}`.slice(0, 300), since: d.since });
  if (snap.devices.printer.uncertain > 0) alerts.push({ code: 'PRINT_UNCERTAIN', message: `${snap.devices.printer.uncertain} receipt(s) may not have printed`, since: null });
  if (snap.devices.drawer.leftOpen) alerts.push({ code: 'DRAWER_LEFT_OPEN', message: 'the cash drawer was left open', since: snap.devices.drawer.openSince });
  const off = snap.payment.offline;
  if (off.pendingCount > 0) alerts.push({ code: 'OFFLINE_CARD_PENDING', message: `${off.pendingCount} offline card payment(s) await settlement`, since: off.oldestAt });
  if (snap.payment.decision) alerts.push({ code: 'PAYMENT_DECISION', message: `a card payment needs a supervisor's decision: ${snap.payment.decision.reason}`.slice(0, 300), since: null });
  if (snap.catalog?.stale) alerts.push({ code: 'CATALOG_STALE', message: 'the catalog has expired: prices may be stale', since: snap.catalog.expiresAt });
  if (snap.catalog?.lastError?.startsWith('refused')) alerts.push({ code: 'CATALOG_REFUSED', message: snap.catalog.lastError.slice(0, 300), since: snap.catalog.lastCheck });
  if (snap.sync && snap.sync.quarantined > 0) alerts.push({ code: 'SALES_QUARANTINED', message: `${snap.sync.quarantined} sale(s) refused by HQ are held in quarantine`, since: null });
  return alerts.slice(0, 64);
}

export function checkinReport(snap: Snapshot, softwareVersion = SOFTWARE_VERSION): Omit<Checkin, 'catalog' | 'clock'> {
  return {
    softwareVersion,
    backlog: { count: snap.sync?.backlog ?? 0, oldestAt: snap.sync?.oldestUnsentAt ?? null, ...(snap.sync ? { ackedThrough: snap.sync.ackedThrough } : {}) },
    devices: snap.devices.list.slice(0, 64).map((d) => ({ id: d.id.slice(0, 64), kind: d.kind, state: d.state, detail: d.detail.slice(0, 200) })),
    alerts: openAlerts(snap),
  };
}
