/** Opening the till: the float counted by denomination (a card-only kiosk opens with one button); right after a blind close, the Z report. */
import { useState } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill } from '../i18n';
import { CountGrid, ErrorBox } from '../shared/common';
import { useMessages } from '../shared/messages';
import { ReportView } from './TillTools';

export function OpenTill({ snap, send, state }: { snap: Snapshot; send: (c: CommandBody) => boolean; state: TerminalState }) {
  const { t, money } = useMessages();
  const { denominations } = snap.profile;
  const [counts, setCounts] = useState<Record<number, string>>({});
  const total = denominations.reduce((sum, d) => sum + d * (Number(counts[d] ?? '0') || 0), 0);
  const submit = () =>
    send({
      cmd: 'openTill',
      float: denominations.filter((d) => Number(counts[d] ?? '0') > 0).map((d) => ({ denomination: d, count: Number(counts[d]) })),
    });
  const error = state.lastError ? fill(t.errors[state.lastError.code], state.lastError.params) : null;
  // Right after a blind close the Z report shows here (the till is closed, so selling is over).
  const [dismissedZ, setDismissedZ] = useState(false);
  const z = state.lastAck?.cmd === 'closeTill' && state.lastAck.result ? state.lastAck.result : null;
  if (z && !dismissedZ) {
    return (
      <main className="centered">
        <h1>{t.closeTill}</h1>
        <ReportView r={z} vatRates={snap.profile.vatRates} />
        <button type="button" className="primary big" autoFocus onClick={() => setDismissedZ(true)}>
          {t.done}
        </button>
      </main>
    );
  }
  // A card-only kiosk has no cash to count: it is opened with one button.
  const noCash = snap.lane.mode === 'self' && snap.lane.selfCheckout?.cashAllowed === false;
  return (
    <main className="centered">
      <h1>{t.openTillTitle}</h1>
      {noCash ? (
        <p>{t.openTillNoCash}</p>
      ) : (
        <>
          <p>{t.openTillBody}</p>
          <CountGrid denominations={denominations} counts={counts} setCounts={setCounts} testidPrefix="float" onEnter={submit} autoFocus />
          <div className="count-total">
            {t.countTotal}: <strong data-testid="float-total">{money(total)}</strong>
          </div>
        </>
      )}
      <button type="button" className="primary big" data-testid="open-till" autoFocus={noCash} onClick={submit}>
        {t.openTill}
      </button>
      <ErrorBox text={error ?? null} />
    </main>
  );
}
