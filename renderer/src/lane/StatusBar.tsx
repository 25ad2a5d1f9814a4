/** The lane's status bar: store, lane and cashier, the printer and whatever else needs attention, the clock, language, lock and menu. */
import { useEffect, useState } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import { coreNow } from '../core-time';
import { ageText } from '../format';
import { fill, plural, type Lang } from '../i18n';
import { DeviceState } from '../service/DevicesTab';
import { LanguageSwitch } from '../shared/common';
import { useMessages } from '../shared/messages';
import { LaneMenu, type MenuWindow } from './LaneMenu';
import type { LaneActions } from './use-lane-actions';

/** The status bar's clock: the core's time in the store's time zone. */
function useClock(locale: string, timeZone: string): string {
  const [now, setNow] = useState(() => coreNow());
  useEffect(() => {
    const id = setInterval(() => setNow(coreNow()), 10_000);
    return () => clearInterval(id);
  }, []);
  return new Date(now).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone });
}

export function StatusBar(props: {
  snap: Snapshot;
  send: (c: CommandBody) => boolean;
  actions: LaneActions;
  setLang: (l: Lang) => void;
  openWindow: (w: MenuWindow) => void;
  onBackToSelf: (() => void) | undefined;
}) {
  const { snap, send, actions } = props;
  const { t, locale } = useMessages();
  const clock = useClock(locale, snap.profile.timeZone);
  // Here, not in the menu: a sale hides the menu, and after it the menu is back as it was left.
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <header className="statusbar">
      {/* Staff at a kiosk: always one tap from handing it back, basket or not (the menu hides during a sale). */}
      {props.onBackToSelf ? (
        <button type="button" className="primary small hand-back" data-testid="back-to-self" onClick={props.onBackToSelf}>
          {t.kiosk.backToSelf}
        </button>
      ) : null}
      <span className="store">{snap.terminal.storeName}</span>
      <span>
        {t.lane} {snap.terminal.laneId}
      </span>
      <span>
        {t.operator} {snap.lane.operatorName ?? snap.lane.operator}
      </span>
      <PrinterDot snap={snap} />
      <StatusBadges snap={snap} send={send} />
      <span className="clock">{clock}</span>
      <LanguageSwitch setLang={props.setLang} />
      <button type="button" className="small" onClick={actions.lock}>
        <kbd>F7</kbd> {t.lock}
      </button>
      {!snap.checkout ? <LaneMenu snap={snap} send={send} actions={actions} open={menuOpen} setOpen={setMenuOpen} openWindow={props.openWindow} /> : null}
    </header>
  );
}

/** Card payments offline, HQ sync, the catalog, devices, the drawer, training and a help call: each only when there is something to say. */
function StatusBadges({ snap, send }: { snap: Snapshot; send: (c: CommandBody) => boolean }) {
  const { t, lang } = useMessages();
  return (
    <span className="status-badges">
      {snap.payment.offline.terminalOffline || snap.payment.offline.pendingCount > 0 ? (
        <span className="device warn" data-testid="card-offline" title={t.cardOfflineHelp}>
          <span aria-hidden="true">▲ </span>
          {fill(snap.payment.offline.terminalOffline ? t.cardOffline : t.cardOfflinePending, {
            n: snap.payment.offline.pendingCount,
            age: snap.payment.offline.oldestAt ? ageText(snap.payment.offline.oldestAt, lang) : '–',
          })}
        </span>
      ) : null}
      {snap.sync && (!snap.sync.online || snap.sync.backlog > 20) ? (
        <span className={`device ${snap.sync.online ? 'ok' : 'warn'}`} data-testid="sync-status" title={snap.sync.lastError ?? ''}>
          <span aria-hidden="true">{snap.sync.online ? '● ' : '▲ '}</span>
          {fill(snap.sync.online ? t.syncBacklog : t.syncOffline, { n: snap.sync.backlog, age: snap.sync.oldestUnsentAt ? ageText(snap.sync.oldestUnsentAt, lang) : '–' })}
        </span>
      ) : null}
      {snap.catalog?.stale ? (
        <span className="device warn" data-testid="catalog-stale">
          <span aria-hidden="true">▲ </span>
          {t.catalogStale}
        </span>
      ) : null}
      {snap.tse?.state === 'outage' ? <TseOutage tse={snap.tse} /> : null}
      {snap.catalog?.applying ? (
        <span className="device ok" data-testid="catalog-applying">
          {fill(t.catalogApplying, { done: snap.catalog.applying.done, total: snap.catalog.applying.total })}
        </span>
      ) : null}
      {/* Receipts the printer never confirmed: never silence, never a silent double — a COPY on request. */}
      {snap.devices.printer.uncertain > 0 ? (
        <span className="device warn badge-action" data-testid="printer-uncertain" title={plural(t.printerUncertain, snap.devices.printer.uncertain, lang)}>
          <span className="badge-text">
            <span aria-hidden="true">▲ </span>
            {plural(t.printerUncertain, snap.devices.printer.uncertain, lang)}
          </span>
          {snap.devices.printer.uncertainSale ? (
            <button type="button" className="small" data-testid="printer-reprint-copy" onClick={() => send({ cmd: 'reprintReceipt', saleId: snap.devices.printer.uncertainSale! })}>
              {t.printerReprintCopy}
            </button>
          ) : null}
        </span>
      ) : null}
      {/* Other devices appear here only when something is wrong with them. */}
      {snap.devices.list
        .filter((d) => d.kind !== 'printer' && d.state !== 'online')
        .map((d) => (
          <span key={d.id} className="device-dot" data-testid={`status-${d.id}`} title={`${t.dev.kinds[d.kind]}: ${(d.detailCode ? t.dev.details[d.detailCode] : null) ?? d.detail}`}>
            {t.dev.kinds[d.kind]}: <DeviceState dev={d} />
          </span>
        ))}
      {snap.devices.drawer.state === 'open' ? (
        <span className={`device ${snap.devices.drawer.leftOpen ? 'bad' : 'warn'}`} data-testid="drawer-status" title={snap.devices.drawer.leftOpen ? t.drawerLeftOpen : t.drawerOpen}>
          <span aria-hidden="true">{snap.devices.drawer.leftOpen ? '■ ' : '▲ '}</span>
          {snap.devices.drawer.leftOpen ? t.drawerLeftOpen : t.drawerOpen}
        </span>
      ) : null}
      {snap.lane.training ? (
        <span className="training" data-testid="training-badge">
          {t.training}
        </span>
      ) : null}
      {snap.lane.help ? (
        <span className="device warn help-called" data-testid="help-status">
          <span aria-hidden="true">🔔 </span>
          {snap.lane.help.reason === 'itemNotFound' ? fill(t.kiosk.attHelp.itemNotFound, { detail: snap.lane.help.detail ?? '' }) : t.kiosk.helpCalled}
          <button type="button" className="small" data-testid="help-clear" onClick={() => send({ cmd: 'clearHelp' })}>
            {t.kiosk.helpClear}
          </button>
        </span>
      ) : null}
    </span>
  );
}

/** The printer's state as a dot with words (colour never alone); faults say what to do. */
function PrinterDot({ snap }: { snap: Snapshot }) {
  const { t } = useMessages();
  const p = snap.devices.printer;
  if (p.state === 'none') return null;
  const level = p.state === 'ok' ? 'ok' : p.state === 'paperLow' ? 'warn' : 'bad';
  const words = t.printerStates[p.state];
  const queued = p.queued > 0 ? ` · ${fill(t.printerQueued, { n: p.queued })}` : '';
  return (
    <span className={`device ${level}`} data-testid="printer-status" title={words + queued}>
      <span aria-hidden="true">{level === 'ok' ? '●' : level === 'warn' ? '▲' : '■'} </span>
      {t.printer}: {words}
      {queued}
    </span>
  );
}

/** Germany: the TSE is not signing; sales go on. The whole text and the TSE's reason are its tooltip where the bar cuts it short. */
function TseOutage({ tse }: { tse: NonNullable<Snapshot['tse']> }) {
  const { t, lang } = useMessages();
  const text = fill(t.tseOutage, { n: tse.unsignedSales, age: tse.outageSince ? ageText(tse.outageSince, lang) : '–' });
  return (
    <span className="device warn" data-testid="tse-outage" title={tse.reason ? `${text} — ${tse.reason}` : text}>
      <span aria-hidden="true">▲ </span>
      {text}
    </span>
  );
}
