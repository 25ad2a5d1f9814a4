/**
 * The service screen. Devices (IT or a supervisor): every configured device with its live state and
 * why, test buttons (test page, drawer, display text, scale reading), what the simulated printer and
 * display show, and the serial ports and HID devices found on the terminal. Store IT only (the IT
 * number and PIN): the terminal's identity at the top, the log, the device configuration editor,
 * the diagnostics export to a USB drive and the kiosk exit. Signed in as one, or giving the
 * credentials here (held in memory until the screen closes).
 */
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill, type Messages } from '../i18n';
import { ErrorBox } from '../shared/common';
import { useMessages } from '../shared/messages';
import { DevicesTab, type Action } from './DevicesTab';
import { ConfigPanel, DiagnosticsPanel, ExitKiosk, IdentityPanel, LogPanel } from './ServiceIt';
import { MarketPanel } from './MarketPanel';
import { KassenmeldungPanel } from './KassenmeldungPanel';
import { ControlUnitPanel } from './ControlUnitPanel';
import { CredFields, ItSignIn } from './ServiceSignIn';
import { useServiceScreen, validCred, type Tab } from './use-service';

export { DeviceDetail, DeviceState } from './DevicesTab';

export function DeviceServiceModal(props: { snap: Snapshot; state: TerminalState; send: (c: CommandBody) => boolean; onClose: () => void }) {
  const { snap, state, send, onClose } = props;
  const { t } = useMessages();
  const d = t.dev;
  const { opened, access: a, results: r, tab, setTab, sendIt } = useServiceScreen(snap, state, send);
  const [text, setText] = useState('');
  const err = serviceError(state, opened, t);
  if (!a.ready) {
    const submit = () => {
      if (validCred(a.who)) a.setCred({ ...a.who });
    };
    return (
      <ServiceFrame className="modal" testid="devices-signin" onKeyDown={(e) => (e.key === 'Escape' ? onClose() : e.key === 'Enter' && submit())}>
        <p>{d.who}</p>
        <CredFields who={a.who} setWho={a.setWho} prefix="devices" autoFocus />
        <ErrorBox text={err} />
        <div className="modal-actions">
          <button type="button" onClick={onClose}>
            {d.close}
          </button>
          <button type="button" className="primary" onClick={submit} data-testid="devices-signin-ok">
            {d.open}
          </button>
        </div>
      </ServiceFrame>
    );
  }
  const run = (device: string, action: Action) => {
    r.setOutcome(null);
    send({ cmd: 'deviceTest', device, action, ...(action === 'showText' || action === 'simulateScan' ? { text: text.slice(0, 40) } : {}), ...a.auth });
  };
  const refresh = () => {
    send({ cmd: 'deviceInfo', ...a.auth });
    if (a.isIt) {
      sendIt({ cmd: 'serviceInfo' });
      if (tab === 'log') sendIt({ cmd: 'serviceLog', ...(r.log?.filter ? { filter: r.log.filter } : {}) });
    }
  };
  const timeZone = snap.profile.timeZone;
  return (
    <ServiceFrame className="modal wide service" testid="devices" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      {a.isIt ? <IdentityPanel info={r.service} timeZone={timeZone} /> : null}
      {a.isIt ? <MarketPanel profile={snap.profile} /> : null}
      {a.isIt && snap.tse ? <KassenmeldungPanel tse={snap.tse} timeZone={timeZone} /> : null}
      {a.isIt && snap.controlUnit ? <ControlUnitPanel cu={snap.controlUnit} /> : null}
      <ServiceTabs tab={tab} setTab={setTab} isIt={a.isIt} />
      <div role="tabpanel" id={`service-panel-${tab}`} aria-labelledby={`service-tab-${tab}`} className="tab-panel">
        {tab === 'devices' ? (
          <DevicesTab snap={snap} info={r.info} outcome={r.outcome} text={text} setText={setText} run={run} />
        ) : !a.isIt ? (
          <ItSignIn
            denied={a.itDenied}
            onCred={(c) => {
              a.setItDenied(false);
              a.setCred(c);
            }}
          />
        ) : tab === 'log' ? (
          <LogPanel log={r.log} timeZone={timeZone} load={(filter) => sendIt({ cmd: 'serviceLog', ...(filter.trim() ? { filter: filter.trim().slice(0, 100) } : {}) })} />
        ) : tab === 'config' ? (
          <ConfigPanel config={r.config} outcome={r.configOutcome} reload={() => sendIt({ cmd: 'deviceConfig' })} submit={(text, save) => sendIt({ cmd: 'saveDeviceConfig', text, save })} />
        ) : (
          <DiagnosticsPanel info={r.service} result={r.diag} exportTo={(target) => sendIt({ cmd: 'exportDiagnostics', target })} refresh={() => sendIt({ cmd: 'serviceInfo' })} />
        )}
      </div>
      <ErrorBox text={err} />
      <div className="modal-actions">
        <button type="button" onClick={refresh} data-testid="service-refresh">
          {d.refresh}
        </button>
        {a.isIt ? <ExitKiosk done={r.exitDone} exit={() => sendIt({ cmd: 'exitKiosk' })} /> : null}
        <button type="button" onClick={onClose} data-testid="devices-close">
          {d.close}
        </button>
      </div>
    </ServiceFrame>
  );
}

/** The service screen's window, the same for its sign-in and for the screen itself. */
function ServiceFrame(props: { className: string; testid: string; onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => void; children: ReactNode }) {
  const { t } = useMessages();
  return (
    <div className="modal-backdrop">
      <div className={props.className} role="dialog" aria-modal="true" aria-labelledby="devices-title" data-testid={props.testid} onKeyDown={props.onKeyDown}>
        <h2 id="devices-title">{t.dev.title}</h2>
        {props.children}
      </div>
    </div>
  );
}

/** The tabs: devices for IT or a supervisor, the others for store IT only (marked with a lock). */
function ServiceTabs({ tab, setTab, isIt }: { tab: Tab; setTab: (tab: Tab) => void; isIt: boolean }) {
  const { t } = useMessages();
  const it = t.dev.it;
  const tabs: Array<[Tab, string]> = [
    ['devices', it.tabDevices],
    ['log', it.tabLog],
    ['config', it.tabConfig],
    ['diagnostics', it.tabDiagnostics],
  ];
  const tabKeys = (ev: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const next = ev.key === 'ArrowRight' ? i + 1 : ev.key === 'ArrowLeft' ? i - 1 : ev.key === 'Home' ? 0 : ev.key === 'End' ? tabs.length - 1 : null;
    if (next === null) return;
    ev.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length]![0];
    setTab(target);
    document.getElementById(`service-tab-${target}`)?.focus();
  };
  return (
    <div role="tablist" aria-label={it.sections} className="tabs">
      {tabs.map(([id, label], i) => (
        <button
          key={id}
          type="button"
          role="tab"
          id={`service-tab-${id}`}
          aria-selected={tab === id}
          aria-controls={`service-panel-${id}`}
          tabIndex={tab === id ? 0 : -1}
          onClick={() => setTab(id)}
          onKeyDown={(ev) => tabKeys(ev, i)}
          data-testid={`service-tab-${id}`}
        >
          {label}
          {id !== 'devices' && !isIt ? (
            <>
              <span aria-hidden="true"> 🔒</span>
              <span className="sr-only"> ({it.itOnlyShort})</span>
            </>
          ) : null}
        </button>
      ))}
    </div>
  );
}

/** The error to show on the screen (an IT refusal is shown by the IT sign-in instead). */
function serviceError(state: TerminalState, opened: number, t: Messages): string | null {
  const it = t.dev.it;
  const e = state.lastError && state.lastError.at >= opened && state.lastError.code !== 'APPROVAL_REQUIRED' ? state.lastError : null;
  const reason = e?.params?.reason;
  const detail = String(e?.params?.detail ?? '');
  return !e
    ? null
    : e.code === 'APPROVAL_DENIED' && e.params?.role === 'it'
      ? null // shown by the IT sign-in
      : reason === 'usbTarget'
        ? fill(it.usbRefused, { detail })
        : reason === 'usbWrite'
          ? fill(it.usbWriteFailed, { detail })
          : reason === 'noKiosk'
            ? it.noKiosk
            : reason === 'deviceConfig'
              ? it.configNotSaved
              : fill(t.errors[e.code], e.params);
}
