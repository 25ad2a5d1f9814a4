/** The baskets parked on this lane: pick one to resume it (as scanning its slip would). */
import { useEffect, useState } from 'react';
import type { CommandBody, SuspendedList } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill, plural } from '../i18n';
import { BackButton } from '../shared/common';
import { useMessages } from '../shared/messages';

export function SuspendedListModal(props: { timeZone: string; state: TerminalState; send: (c: CommandBody) => boolean; onClose: () => void }) {
  const { t, lang, locale } = useMessages();
  const [list, setList] = useState<SuspendedList['suspended'] | null>(null);
  useEffect(() => {
    props.send({ cmd: 'suspendedList' });
  }, []);
  const ack = props.state.lastAck;
  useEffect(() => {
    if (ack?.cmd === 'suspendedList' && ack.result) setList(ack.result.suspended);
  }, [ack]);
  const when = (iso: string) => new Date(iso).toLocaleString(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone: props.timeZone });
  return (
    <div className="modal-backdrop">
      <div
        className="modal suspended-modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="suspended-title"
        data-testid="suspended-list"
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') props.onClose();
        }}
      >
        <h2 id="suspended-title">{t.kiosk.suspendedTitle}</h2>
        {list && list.length === 0 ? <p>{t.kiosk.suspendedNone}</p> : null}
        <ul className="suspended">
          {(list ?? []).map((s, i) => (
            <li key={s.suspendId}>
              <button
                type="button"
                className="big suspended-row"
                data-testid="suspended-resume"
                autoFocus={i === 0}
                onClick={() => {
                  props.send({ cmd: 'resumeSale', slip: s.barcode });
                  props.onClose();
                }}
              >
                <span className="suspended-when">{when(s.createdAt)}</span>
                <span className="suspended-what">
                  {plural(t.items, s.items, lang)}: {s.names.join(', ')}
                  {s.items > s.names.length ? ' …' : ''}
                </span>
                <span className="suspended-who">{s.operator ? fill(t.kiosk.suspendedBy, { operator: s.operator }) : ''}</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="modal-actions">
          <BackButton onClick={props.onClose} />
        </div>
      </div>
    </div>
  );
}
