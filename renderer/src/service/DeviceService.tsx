/**
 * The service screen. Devices (IT or a supervisor): every configured device with its live state and
 * why, test buttons (test page, drawer, display text, scale reading), what the simulated printer and
 * display show, and the serial ports and HID devices found on the terminal. Store IT only (the IT
 * number and PIN): the terminal's identity at the top, the log, the device configuration editor,
 * the diagnostics export to a USB drive and the kiosk exit. Signed in as one, or giving the
 * credentials here (held in memory until the screen closes).
 */
import { HqStatus } from './HqStatus';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CommandBody, DeviceConfigResult, DeviceInfo, DeviceStatus, DeviceTestResult, DiagnosticsResult, ServiceInfo, ServiceLog, Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { ErrorBox } from '../shared/common';
import { ConfigPanel, DiagnosticsPanel, ExitKiosk, IdentityPanel, LogPanel } from './ServiceIt';
import { fill, type Messages } from '../i18n';
import { useMessages } from '../shared/messages';

type Action = keyof Messages['dev']['actions'];
type Tab = 'devices' | 'log' | 'config' | 'diagnostics';
type Cred = { operator: string; pin: string };

const validCred = (c: Cred) => /^\d{1,8}$/.test(c.operator) && /^\d{4,8}$/.test(c.pin);

/** Number and PIN fields (the IT or supervisor sign-in of this screen). */
function CredFields(props: { who: Cred; setWho: (c: Cred) => void; prefix: string; autoFocus?: boolean }) {
  const { who, setWho, prefix } = props;
  const { t } = useMessages();
  const pinRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <label className="field">
        <span>{t.dev.operator}</span>
        <input
          autoFocus={props.autoFocus}
          inputMode="numeric"
          autoComplete="off"
          value={who.operator}
          onChange={(e) => setWho({ ...who, operator: e.target.value.replace(/\D/g, '').slice(0, 8) })}
          // Enter after the number goes on to the PIN (it never signs in with a half-typed form).
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            e.stopPropagation();
            pinRef.current?.focus();
          }}
          data-testid={`${prefix}-operator`}
        />
      </label>
      <label className="field">
        <span>{t.dev.pin}</span>
        <input ref={pinRef} type="password" inputMode="numeric" autoComplete="off" value={who.pin} onChange={(e) => setWho({ ...who, pin: e.target.value.replace(/\D/g, '').slice(0, 8) })} data-testid={`${prefix}-pin`} />
      </label>
    </>
  );
}

/** Store IT's parts need the IT number and PIN: asked for here, in place. */
function ItSignIn(props: { denied: boolean; onCred: (c: Cred) => void }) {
  const it = useMessages().t.dev.it;
  const [who, setWho] = useState<Cred>({ operator: '', pin: '' });
  return (
    <form
      className="it-signin"
      data-testid="it-signin"
      onSubmit={(e) => {
        e.preventDefault();
        if (validCred(who)) props.onCred({ ...who });
      }}
    >
      <p className="left">
        <span aria-hidden="true">🔒 </span>
        {props.denied ? it.notIt : it.itOnly}
      </p>
      <div className="service-row">
        <CredFields who={who} setWho={setWho} prefix="it" />
        <button type="submit" className="primary" data-testid="it-signin-ok">
          {it.signInIt}
        </button>
      </div>
    </form>
  );
}

export function DeviceServiceModal(props: { snap: Snapshot; state: TerminalState; send: (c: CommandBody) => boolean; onClose: () => void }) {
  const { snap, state, send, onClose } = props;
  const { t } = useMessages();
  const d = t.dev;
  const it = d.it;
  const [opened] = useState(() => Date.now());
  const [text, setText] = useState('');
  const [info, setInfo] = useState<DeviceInfo | null>(null);
  const [outcome, setOutcome] = useState<DeviceTestResult['deviceTest'] | null>(null);
  const seen = useRef<unknown>(null);
  // IT or a supervisor signed in needs nothing more; anyone else asks one to sign in here, and their
  // credentials go with this screen's commands until it closes (held in memory only).
  const trusted = snap.lane.role === 'it' || snap.lane.role === 'supervisor';
  const [cred, setCred] = useState<Cred | null>(null);
  // Credentials the core accepted (its deviceInfo answer came back): only then do IT's commands go
  // out with them, so a wrong PIN counts once towards the lockout.
  const [verified, setVerified] = useState<Cred | null>(null);
  const credRef = useRef(cred);
  credRef.current = cred;
  const [who, setWho] = useState<Cred>({ operator: '', pin: '' });
  const auth = cred ? { approval: cred } : {};
  const authRef = useRef(auth);
  authRef.current = auth;
  const ready = trusted || cred !== null;
  // Store IT's parts: IT signed in on the lane, or IT's credentials given here (a supervisor's are refused by the core).
  const [itDenied, setItDenied] = useState(false);
  const isIt = cred ? !itDenied : snap.lane.role === 'it';
  const [tab, setTab] = useState<Tab>('devices');
  const [service, setService] = useState<ServiceInfo | null>(null);
  const [log, setLog] = useState<ServiceLog | null>(null);
  const [config, setConfig] = useState<DeviceConfigResult | null>(null);
  const [configOutcome, setConfigOutcome] = useState<DeviceConfigResult | null>(null);
  const [diag, setDiag] = useState<DiagnosticsResult | null>(null);
  const [exitDone, setExitDone] = useState(false);
  const sendIt = (c: CommandBody) => send({ ...c, ...authRef.current } as CommandBody);

  const itReady = ready && isIt && (cred === null || verified === cred);
  useEffect(() => {
    if (ready) send({ cmd: 'deviceInfo', ...auth });
  }, [ready, cred]);
  useEffect(() => {
    if (itReady) sendIt({ cmd: 'serviceInfo' });
  }, [itReady]);
  useEffect(() => {
    if (!itReady) return;
    if (tab === 'log') sendIt({ cmd: 'serviceLog' });
    if (tab === 'config' && !config) sendIt({ cmd: 'deviceConfig' });
  }, [tab, itReady]);
  // Wrong credentials: ask again. Credentials that are not IT's: IT's parts ask for IT's.
  useEffect(() => {
    const e = state.lastError;
    if (!e || e.at < opened) return;
    if (e.code === 'APPROVAL_DENIED' && e.params?.role === 'it') setItDenied(true);
    else if (e.code === 'APPROVAL_DENIED' || e.code === 'BAD_CREDENTIALS' || e.code === 'OPERATOR_LOCKED_OUT') setCred(null);
  }, [state.lastError]);
  // While the screen is open the devices and their printouts are read again every two seconds:
  // the states are live, and a test page shows once the printer has finished the receipts queued
  // before it, however long that takes. (Right after a test or a saved configuration, once more at once.)
  const refreshSoon = () => {
    if (readyRef.current) send({ cmd: 'deviceInfo', ...authRef.current });
  };
  // Only with credentials the core has accepted: a wrong PIN must not be sent again every two seconds.
  const readyRef = useRef(ready);
  readyRef.current = trusted || (cred !== null && verified === cred);
  useEffect(() => {
    const timer = setInterval(refreshSoon, 2_000);
    return () => clearInterval(timer);
  }, []);
  // Acks for our commands after the screen opened.
  useEffect(() => {
    const a = state.lastAck;
    if (!a || a.at < opened || a === seen.current) return;
    seen.current = a;
    if (a.cmd === 'exitKiosk') setExitDone(true);
    const r = a.result;
    if (!r) return;
    if (a.cmd === 'deviceInfo' && 'deviceInfo' in r) {
      setInfo(r);
      setVerified(credRef.current);
    }
    else if ('serviceInfo' in r) setService(r.serviceInfo);
    else if ('serviceLog' in r) setLog(r.serviceLog);
    else if ('diagnostics' in r) setDiag(r.diagnostics);
    else if ('deviceConfig' in r) {
      if (a.cmd === 'deviceConfig') setConfig(r.deviceConfig);
      else {
        setConfigOutcome(r.deviceConfig);
        if (r.deviceConfig.saved) {
          // The new devices and their test buttons, and the file it now lives in.
          sendIt({ cmd: 'deviceConfig' });
          sendIt({ cmd: 'serviceInfo' });
          refreshSoon();
        }
      }
    } else if (a.cmd === 'deviceTest' && 'deviceTest' in r) {
      setOutcome(r.deviceTest);
      refreshSoon(); // show what the test printed
    }
    return undefined;
  }, [state.lastAck]);
  const e = state.lastError && state.lastError.at >= opened && state.lastError.code !== 'APPROVAL_REQUIRED' ? state.lastError : null;
  const reason = e?.params?.reason;
  const detail = String(e?.params?.detail ?? '');
  const err = !e
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
  const run = (device: string, action: Action) => {
    setOutcome(null);
    send({ cmd: 'deviceTest', device, action, ...(action === 'showText' || action === 'simulateScan' ? { text: text.slice(0, 40) } : {}), ...auth });
  };
  const list = snap.devices.list;
  if (!ready) {
    const submit = () => {
      if (validCred(who)) setCred({ ...who });
    };
    return (
      <div className="modal-backdrop">
        <div className="modal" role="dialog" aria-modal="true" aria-labelledby="devices-title" data-testid="devices-signin" onKeyDown={(e) => (e.key === 'Escape' ? onClose() : e.key === 'Enter' && submit())}>
          <h2 id="devices-title">{d.title}</h2>
          <p>{d.who}</p>
          <CredFields who={who} setWho={setWho} prefix="devices" autoFocus />
          <ErrorBox text={err} />
          <div className="modal-actions">
            <button type="button" onClick={onClose}>
              {d.close}
            </button>
            <button type="button" className="primary" onClick={submit} data-testid="devices-signin-ok">
              {d.open}
            </button>
          </div>
        </div>
      </div>
    );
  }
  const since = (iso: string) => new Date(iso).toLocaleTimeString(snap.profile.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: snap.profile.timeZone });
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
  const gate = (
    <ItSignIn
      denied={itDenied}
      onCred={(c) => {
        setItDenied(false);
        setCred(c);
      }}
    />
  );
  const refresh = () => {
    send({ cmd: 'deviceInfo', ...auth });
    if (isIt) {
      sendIt({ cmd: 'serviceInfo' });
      if (tab === 'log') sendIt({ cmd: 'serviceLog', ...(log?.filter ? { filter: log.filter } : {}) });
    }
  };

  return (
    <div className="modal-backdrop">
      <div className="modal wide service" role="dialog" aria-modal="true" aria-labelledby="devices-title" data-testid="devices" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h2 id="devices-title">{d.title}</h2>
        {isIt ? <IdentityPanel info={service} timeZone={snap.profile.timeZone} /> : null}
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
        <div role="tabpanel" id={`service-panel-${tab}`} aria-labelledby={`service-tab-${tab}`} className="tab-panel">
          {tab === 'devices' ? (
            <>
              {list.length === 0 ? <p>{d.none}</p> : null}
              {list.length ? (
                <table className="devices">
                  <thead>
                    <tr>
                      <th scope="col">{d.columns.device}</th>
                      <th scope="col">{d.columns.connection}</th>
                      <th scope="col">{d.columns.state}</th>
                      <th scope="col">{d.columns.since}</th>
                      <th scope="col">{d.columns.test}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((dev) => (
                      <tr key={dev.id} data-testid={`device-${dev.id}`}>
                        <th scope="row">
                          {d.kinds[dev.kind]} <small>({dev.id})</small>
                        </th>
                        <td>{dev.connection}</td>
                        <td>
                          <DeviceState dev={dev} />
                          <DeviceDetail dev={dev} />
                        </td>
                        <td>{since(dev.since)}</td>
                        <td>
                          {(info?.deviceInfo.find((x) => x.id === dev.id)?.actions ?? []).map((a) => (
                            <button key={a} type="button" className="small" data-testid={`test-${dev.id}-${a}`} onClick={() => run(dev.id, a as Action)}>
                              {d.actions[a as Action] ?? a}
                            </button>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              <HqStatus snap={snap} />
              <label>
                {d.textLabel}
                <input value={text} maxLength={40} onChange={(e) => setText(e.target.value)} data-testid="device-text" />
              </label>
              {outcome ? (
                <div className={`message ${outcome.ok ? 'info' : 'error'}`} role="status" data-testid="device-outcome">
                  <span aria-hidden="true">{outcome.ok ? '✓ ' : '⚠ '}</span>
                  {outcome.device}: {outcome.message}
                </div>
              ) : null}
              {info?.deviceInfo
                .filter((x) => x.printout)
                .map((x) => (
                  <section key={x.id} aria-label={`${d.printout}: ${x.id}`}>
                    <h3>
                      {d.printout}: {x.id}
                    </h3>
                    <pre tabIndex={0} className="printout" data-testid={`printout-${x.id}`}>
                      {x.printout!.split('\n').slice(-60).join('\n')}
                    </pre>
                  </section>
                ))}
              {info ? (
                <section aria-label={d.found}>
                  <h3>{d.found}</h3>
                  {info.discovered.serial.length + info.discovered.hid.length === 0 ? <p>{d.foundNone}</p> : null}
                  <ul data-testid="discovered">
                    {info.discovered.serial.map((p) => (
                      <li key={p.path}>
                        {p.path}
                        {p.vendorId ? ` — USB ${p.vendorId}:${p.productId ?? '????'}` : ''}
                        {p.product ? ` ${p.product}` : ''}
                      </li>
                    ))}
                    {info.discovered.hid.map((h, i) => (
                      <li key={`${h.path ?? ''}${i}`}>
                        HID {h.vendorId}:{h.productId} {h.product ?? ''}
                        {h.barcodeScanner ? ` — ${d.barcodeScanner}` : ''}
                      </li>
                    ))}
                  </ul>
                  {info.discovered.notes.map((n) => (
                    <p key={n} className="detail">
                      {n}
                    </p>
                  ))}
                </section>
              ) : null}
            </>
          ) : !isIt ? (
            gate
          ) : tab === 'log' ? (
            <LogPanel log={log} timeZone={snap.profile.timeZone} load={(filter) => sendIt({ cmd: 'serviceLog', ...(filter.trim() ? { filter: filter.trim().slice(0, 100) } : {}) })} />
          ) : tab === 'config' ? (
            <ConfigPanel config={config} outcome={configOutcome} reload={() => sendIt({ cmd: 'deviceConfig' })} submit={(text, save) => sendIt({ cmd: 'saveDeviceConfig', text, save })} />
          ) : (
            <DiagnosticsPanel info={service} result={diag} exportTo={(target) => sendIt({ cmd: 'exportDiagnostics', target })} refresh={() => sendIt({ cmd: 'serviceInfo' })} />
          )}
        </div>
        <ErrorBox text={err} />
        <div className="modal-actions">
          <button type="button" onClick={refresh} data-testid="service-refresh">
            {d.refresh}
          </button>
          {isIt ? <ExitKiosk done={exitDone} exit={() => sendIt({ cmd: 'exitKiosk' })} /> : null}
          <button type="button" onClick={onClose} data-testid="devices-close">
            {d.close}
          </button>
        </div>
      </div>
    </div>
  );
}

/** A device's state as a symbol and words (never colour alone). */
export function DeviceState({ dev }: { dev: DeviceStatus }) {
  const { t } = useMessages();
  const level = dev.state === 'online' ? 'ok' : dev.state === 'warning' ? 'warn' : 'bad';
  return (
    <span className={`device ${level}`}>
      <span aria-hidden="true">{level === 'ok' ? '●' : level === 'warn' ? '▲' : '■'} </span>
      {t.dev.states[dev.state]}
    </span>
  );
}

/** Why a device is in its state: in the lane's language when the core sent a code, with the core's own words for IT. */
export function DeviceDetail({ dev }: { dev: DeviceStatus }) {
  const { t } = useMessages();
  const worded = dev.detailCode ? t.dev.details[dev.detailCode] : null;
  if (!worded) return <div className="detail">{dev.detail}</div>;
  return (
    <div className="detail">
      {worded}
      {worded !== dev.detail ? (
        <small lang="en" className="raw">
          {' '}
          ({dev.detail})
        </small>
      ) : null}
    </div>
  );
}
