/**
 * Store IT's device screen: every configured device with its live state and why, test buttons
 * (test page, drawer, display text, scale reading), what the simulated printer and display show,
 * and the serial ports and HID devices found on the terminal. Needs IT or a supervisor: signed in
 * as one, or approving with their PIN when asked.
 */
import { HqStatus } from './HqStatus';
import { useEffect, useRef, useState } from 'react';
import type { CommandBody, DeviceInfo, DeviceStatus, DeviceTestResult, Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { ErrorBox } from './common';
import { fill, type Messages } from '../i18n';

type Action = keyof Messages['dev']['actions'];

export function DeviceServiceModal(props: { t: Messages; snap: Snapshot; state: TerminalState; send: (c: CommandBody) => boolean; onClose: () => void }) {
  const { t, snap, state, send, onClose } = props;
  const d = t.dev;
  const [opened] = useState(() => Date.now());
  const [text, setText] = useState('');
  const [info, setInfo] = useState<DeviceInfo | null>(null);
  const [outcome, setOutcome] = useState<DeviceTestResult['deviceTest'] | null>(null);
  const seen = useRef(0);
  // IT or a supervisor signed in needs nothing more; anyone else asks one to sign in here, and their
  // credentials go with this screen's commands until it closes (held in memory only).
  const trusted = snap.lane.role === 'it' || snap.lane.role === 'supervisor';
  const [cred, setCred] = useState<{ operator: string; pin: string } | null>(null);
  const [who, setWho] = useState({ operator: '', pin: '' });
  const auth = cred ? { approval: cred } : {};
  const ready = trusted || cred !== null;

  useEffect(() => {
    if (ready) send({ cmd: 'deviceInfo', ...auth });
  }, [ready]);
  // Wrong credentials: ask again.
  useEffect(() => {
    const e = state.lastError;
    if (e && e.at >= opened && (e.code === 'APPROVAL_DENIED' || e.code === 'BAD_CREDENTIALS' || e.code === 'OPERATOR_LOCKED_OUT')) setCred(null);
  }, [state.lastError]);
  // Acks for our commands after the screen opened.
  useEffect(() => {
    const a = state.lastAck;
    if (!a || a.at < opened || a.at === seen.current || !a.result) return;
    seen.current = a.at;
    if (a.cmd === 'deviceInfo' && 'deviceInfo' in a.result) setInfo(a.result);
    if (a.cmd === 'deviceTest' && 'deviceTest' in a.result) {
      setOutcome(a.result.deviceTest);
      const timer = setTimeout(() => send({ cmd: 'deviceInfo', ...authRef.current }), 400); // show what the test printed
      return () => clearTimeout(timer);
    }
    return undefined;
  }, [state.lastAck]);
  const err = state.lastError && state.lastError.at >= opened && state.lastError.code !== 'APPROVAL_REQUIRED' ? fill(t.errors[state.lastError.code], state.lastError.params) : null;
  const run = (device: string, action: Action) => {
    setOutcome(null);
    send({ cmd: 'deviceTest', device, action, ...(action === 'showText' || action === 'simulateScan' ? { text: text.slice(0, 40) } : {}), ...auth });
  };
  const authRef = useRef(auth);
  authRef.current = auth;
  const list = snap.devices.list;
  if (!ready) {
    const submit = () => {
      if (/^\d{1,8}$/.test(who.operator) && /^\d{4,8}$/.test(who.pin)) setCred({ ...who });
    };
    return (
      <div className="modal-backdrop">
        <div className="modal" role="dialog" aria-modal="true" aria-labelledby="devices-title" data-testid="devices-signin" onKeyDown={(e) => (e.key === 'Escape' ? onClose() : e.key === 'Enter' && submit())}>
          <h2 id="devices-title">{d.title}</h2>
          <p>{d.who}</p>
          <label>
            {d.operator}
            <input autoFocus inputMode="numeric" value={who.operator} onChange={(e) => setWho({ ...who, operator: e.target.value })} data-testid="devices-operator" />
          </label>
          <label>
            {d.pin}
            <input type="password" inputMode="numeric" value={who.pin} onChange={(e) => setWho({ ...who, pin: e.target.value })} data-testid="devices-pin" />
          </label>
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
  const since = (iso: string) => new Date(iso).toLocaleTimeString(snap.profile.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

  return (
    <div className="modal-backdrop">
      <div className="modal wide" role="dialog" aria-modal="true" aria-labelledby="devices-title" data-testid="devices" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h2 id="devices-title">{d.title}</h2>
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
                    <DeviceState dev={dev} t={t} />
                    <div className="detail">{dev.detail}</div>
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
        <HqStatus t={t} snap={snap} />
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
        <ErrorBox text={err} />
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
        <div className="modal-actions">
          <button type="button" onClick={() => send({ cmd: 'deviceInfo', ...auth })}>
            {d.refresh}
          </button>
          <button type="button" onClick={onClose} data-testid="devices-close">
            {d.close}
          </button>
        </div>
      </div>
    </div>
  );
}

/** A device's state as a symbol and words (never colour alone). */
export function DeviceState({ dev, t }: { dev: DeviceStatus; t: Messages }) {
  const level = dev.state === 'online' ? 'ok' : dev.state === 'warning' ? 'warn' : 'bad';
  return (
    <span className={`device ${level}`}>
      <span aria-hidden="true">{level === 'ok' ? '●' : level === 'warn' ? '▲' : '■'} </span>
      {t.dev.states[dev.state]}
    </span>
  );
}
