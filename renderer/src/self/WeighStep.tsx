/**
 * The kiosk's weighing step for produce picked by picture: "place it on the scale", the weight and
 * its price as the scale reads them (asked again twice a second), and the customer confirms it.
 */
import { useEffect, useState } from 'react';
import type { CommandBody, WeighPreview } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { formatWeight } from '../format';
import { fill, type Messages } from '../i18n';
import { useMessages } from '../shared/messages';

export interface WeighItem {
  plu: string;
  name: string;
  price: number;
}

export function WeighStep(props: { item: WeighItem; send: (c: CommandBody) => boolean; state: TerminalState; onAdd: () => void; onBack: () => void }) {
  const { item, send } = props;
  const { t, money, locale } = useMessages();
  const k = t.kiosk;
  const [reading, setReading] = useState<WeighPreview['weighPreview'] | null>(null);
  useEffect(() => {
    const ask = () => send({ cmd: 'weighPreview', code: item.plu });
    ask();
    const timer = setInterval(ask, 500);
    return () => clearInterval(timer);
  }, [item.plu]);
  const ack = props.state.lastAck;
  useEffect(() => {
    if (ack?.cmd === 'weighPreview' && ack.result) setReading(ack.result.weighPreview);
  }, [ack]);
  const grams = reading?.grams ?? null;
  const why = reading?.refused ? (t.dev.weightRefusals[reading.refused as keyof Messages['dev']['weightRefusals']] ?? null) : null;
  return (
    <div className="modal-backdrop">
      <div className="modal weigh-modal" role="dialog" aria-modal="true" aria-labelledby="weigh-title" data-testid="weigh" onKeyDown={(e) => e.key === 'Escape' && props.onBack()}>
        <h2 id="weigh-title">{fill(k.weighTitle, { name: item.name })}</h2>
        <p className="weigh-price">{fill(k.perKg, { price: money(item.price) })}</p>
        <div className="weigh-reading" role="status" aria-live="polite">
          <span className="weigh-weight" data-testid="weigh-weight">
            {grams === null ? '–' : formatWeight(grams, locale)}
          </span>
          <span className="weigh-total" data-testid="weigh-total">
            {reading?.total === null || reading?.total === undefined ? '' : money(reading.total)}
          </span>
        </div>
        <p className="weigh-hint">{grams === null ? (why ? `${k.weighWaiting} (${why})` : k.weighWaiting) : k.weighConfirm}</p>
        <div className="modal-actions">
          <button type="button" className="big" data-testid="weigh-back" onClick={props.onBack}>
            {t.back}
          </button>
          <button type="button" className="primary huge" data-testid="weigh-add" disabled={grams === null} onClick={props.onAdd}>
            {k.weighAdd}
          </button>
        </div>
      </div>
    </div>
  );
}
