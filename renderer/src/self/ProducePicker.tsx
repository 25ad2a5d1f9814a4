/** Produce by picture for the kiosk's customer: a grid searched by name or PLU (typed on the on-screen keyboard); picking one weighed on the scale opens the weighing step. */
import { useEffect, useState } from 'react';
import type { CommandBody, ProduceList } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill } from '../i18n';
import { useMessages } from '../shared/messages';
import { OnScreenKeyboard } from './OnScreenKeyboard';
import { producePicture } from './produce';

/** Produce by picture, or searched by name or PLU; picking one weighs it on the scale. */
export function ProducePicker(props: { send: (c: CommandBody) => boolean; state: TerminalState; onPick: (p: ProduceList['produce'][number]) => void; onClose: () => void }) {
  const { t, money, lang } = useMessages();
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => props.send(query.trim() ? { cmd: 'produceList', query: query.trim().slice(0, 40) } : { cmd: 'produceList' }), query ? 150 : 0);
    return () => clearTimeout(timer);
  }, [query]);
  // The newest answer stays until the next one (other acks in between do not clear the grid).
  const [list, setList] = useState<ProduceList['produce'] | null>(null);
  const ack = props.state.lastAck;
  useEffect(() => {
    if (ack?.cmd === 'produceList' && ack.result) setList(ack.result.produce);
  }, [ack]);
  return (
    <div className="modal-backdrop">
      <div className="modal produce-modal" role="dialog" aria-modal="true" aria-labelledby="produce-title" data-testid="produce" onKeyDown={(e) => e.key === 'Escape' && props.onClose()}>
        <div className="produce-head">
          <h2 id="produce-title">{t.kiosk.produceTitle}</h2>
          <button type="button" className="big" onClick={props.onClose}>
            {t.back}
          </button>
        </div>
        <label className="field">
          <span>{t.kiosk.produceSearch}</span>
          <input data-testid="produce-search" autoFocus autoComplete="off" value={query} maxLength={40} onChange={(e) => setQuery(e.target.value)} aria-label={t.kiosk.produceSearch} />
        </label>
        {list && list.length === 0 ? <p className="empty">{t.kiosk.produceNone}</p> : null}
        <ul className="produce-grid">
          {(list ?? []).map((p) => {
            const pic = producePicture(p.plu, p.name);
            return (
              <li key={p.itemId}>
                <button type="button" className="produce-tile" data-testid={`produce-${p.plu}`} onClick={() => props.onPick(p)}>
                  <span className={pic ? 'produce-pic' : 'produce-pic letter'} aria-hidden="true">
                    {pic ?? p.name.slice(0, 1)}
                  </span>
                  <span className="produce-name">{p.name}</span>
                  <span className="produce-price">{fill(p.unit === 'weight' ? t.kiosk.perKg : t.kiosk.perPiece, { price: money(p.price) })}</span>
                  <span className="produce-plu">PLU {p.plu}</span>
                </button>
              </li>
            );
          })}
        </ul>
        <OnScreenKeyboard lang={lang} value={query} onChange={setQuery} label={t.kiosk.keyboard} eraseLabel={t.kiosk.keyErase} spaceLabel={t.kiosk.keySpace} />
      </div>
    </div>
  );
}
