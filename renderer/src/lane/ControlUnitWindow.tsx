/**
 * Sweden: while the till cannot make receipts — its control unit does not answer, or none is set up —
 * a window over the lane says so, what to do, and (for an outage) that it closes by itself: the
 * core asks the unit every few seconds and the window goes once it answers (core/fiscal/control-unit/till.ts).
 * Its one action opens the service screen for store IT.
 */
import { CONTROL_UNIT_PROBE_MS, type Snapshot } from '../../../protocol/terminal';
import { ageText } from '../format';
import { fill } from '../i18n';
import { useMessages } from '../shared/messages';

/** True when the till may not make receipts because of its control unit (the window shows). */
export function controlUnitBlocks(snap: Snapshot): boolean {
  const s = snap.controlUnit?.state;
  return s === 'outage' || s === 'unconfigured';
}

export function ControlUnitWindow(props: { cu: NonNullable<Snapshot['controlUnit']>; onService: () => void }) {
  const { t, lang } = useMessages();
  const m = t.market.controlUnit;
  const { cu } = props;
  const out = cu.state === 'outage';
  return (
    <div className="modal-backdrop">
      <div className="modal cu-window" role="dialog" aria-modal="true" aria-labelledby="cu-title" aria-describedby="cu-body" data-testid="control-unit-window" data-state={cu.state}>
        <h2 id="cu-title">
          <span aria-hidden="true">■ </span>
          {out ? m.outageTitle : m.unconfiguredTitle}
        </h2>
        <p id="cu-body">{out ? m.outageBody : m.unconfiguredBody}</p>
        {out ? (
          <>
            <ol className="cu-todo">
              {m.todo.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
            <p className="cu-waiting" role="status" data-testid="control-unit-waiting" title={cu.reason ?? ''}>
              {fill(m.waiting, { s: CONTROL_UNIT_PROBE_MS / 1000, age: cu.outageSince ? ageText(cu.outageSince, lang) : '–' })}
            </p>
          </>
        ) : null}
        <div className="modal-actions">
          <button type="button" data-testid="control-unit-service" onClick={props.onService}>
            {m.service}
          </button>
        </div>
      </div>
    </div>
  );
}
