/** The service screen's devices tab: every device with its state, why, and its test buttons; HQ; what the simulated devices show; the ports and HID devices found. */
import type { DeviceInfo, DeviceStatus, DeviceTestResult, Snapshot } from '../../../protocol/terminal';
import { fill, type Messages } from '../i18n';
import { formatWeight } from '../format';
import { useMessages } from '../shared/messages';
import { HqStatus } from './HqStatus';
import { PeerStatus } from './PeerStatus';

export type Action = keyof Messages['dev']['actions'];

/** A device test's result in the screen's language, from the core's code and parameters. */
export function testOutcomeText(o: DeviceTestResult['deviceTest'], t: Messages, locale: string): string {
  const p = o.params;
  switch (o.code) {
    case 'weight':
      return fill(t.dev.tests.weight, { weight: formatWeight(Number(p.grams), locale) });
    case 'noWeight':
      return fill(t.dev.tests.noWeight, { reason: t.dev.weightRefusals[p.reason as keyof Messages['dev']['weightRefusals']] ?? String(p.reason) });
    default:
      return fill(t.dev.tests[o.code], p);
  }
}

export function DevicesTab(props: {
  snap: Snapshot;
  info: DeviceInfo | null;
  outcome: DeviceTestResult['deviceTest'] | null;
  /** The text a display test shows (or a simulated scan types). */
  text: string;
  setText: (text: string) => void;
  run: (device: string, action: Action) => void;
}) {
  const { snap, text, setText, outcome } = props;
  const { t } = useMessages();
  const d = t.dev;
  return (
    <>
      {/* A test's result first, where store IT looks after pressing its button (not below the fold). */}
      {outcome ? (
        <div className={`message ${outcome.ok ? 'info' : 'error'}`} role="status" data-testid="device-outcome">
          <span aria-hidden="true">{outcome.ok ? '✓ ' : '⚠ '}</span>
          {outcome.device}: {testOutcomeText(outcome, t, snap.profile.locale)}
        </div>
      ) : null}
      <DevicesTable snap={snap} info={props.info} run={props.run} />
      <HqStatus snap={snap} />
      <PeerStatus snap={snap} />
      <label>
        {d.textLabel}
        <input value={text} maxLength={40} onChange={(e) => setText(e.target.value)} data-testid="device-text" />
      </label>
      <DeviceFindings info={props.info} />
    </>
  );
}

function DevicesTable({ snap, info, run }: { snap: Snapshot; info: DeviceInfo | null; run: (device: string, action: Action) => void }) {
  const { t } = useMessages();
  const d = t.dev;
  const list = snap.devices.list;
  const since = (iso: string) => new Date(iso).toLocaleTimeString(snap.profile.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: snap.profile.timeZone });
  return (
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
    </>
  );
}

/** What the simulated printer and display show, and the serial ports and HID devices found. */
function DeviceFindings({ info }: { info: DeviceInfo | null }) {
  const { t } = useMessages();
  const d = t.dev;
  return (
    <>
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
