/** Sweden: the service screen's control unit panel — which unit store IT provisioned, the till id it registers under, and whether it answers. */
import type { Snapshot } from '../../../protocol/terminal';
import { useMessages } from '../shared/messages';

export function ControlUnitPanel(props: { cu: NonNullable<Snapshot['controlUnit']> }) {
  const { t } = useMessages();
  const m = t.market.controlUnit;
  const { cu } = props;
  return (
    <section aria-labelledby="service-cu-title" className="service-identity" data-testid="service-control-unit">
      <h3 id="service-cu-title">{m.title}</h3>
      <dl className="facts">
        <dt>{m.device}</dt>
        <dd data-testid="control-unit-device" className="mono break">
          {cu.device}
        </dd>
        <dt>{m.tillId}</dt>
        <dd data-testid="control-unit-till">{cu.tillId || '–'}</dd>
        <dt>{m.state}</dt>
        <dd data-testid="control-unit-state" title={cu.reason ?? ''}>
          {m.states[cu.state]}
        </dd>
      </dl>
      {cu.state === 'unconfigured' && cu.reason ? <p className="left mono">{cu.reason}</p> : null}
    </section>
  );
}
