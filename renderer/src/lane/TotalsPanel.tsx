/** The lane's side panel above the entry line: devices that are down, the total (and VAT on F6), and the message line. */
import type { CheckoutView, Snapshot } from '../../../protocol/terminal';
import { formatRate } from '../format';
import type { Messages } from '../i18n';
import { AmountDue } from '../shared/AmountDue';
import { useMessages } from '../shared/messages';
import type { LaneMessage } from './lane-message';

/** A device that is not working: what it means for the sale and what to do, in words (selling goes on). */
export function DeviceProblems({ snap }: { snap: Snapshot }) {
  const { t } = useMessages();
  return (
    <>
      {snap.devices.list
        .filter((d) => d.kind !== 'printer' && d.state === 'offline')
        .slice(0, 2)
        .map((d) => (
          <div key={d.id} className="device-problem" role="status" data-testid={`problem-${d.id}`}>
            <span aria-hidden="true">▲ </span>
            <strong>
              {t.dev.kinds[d.kind]}: {(d.detailCode ? t.dev.details[d.detailCode] : null) ?? t.dev.states[d.state]}.
            </strong>{' '}
            {t.kiosk.deviceHelp[d.kind as keyof Messages['kiosk']['deviceHelp']]}
          </div>
        ))}
    </>
  );
}

/** The total (what is still to pay once part is paid, shared/AmountDue.tsx); the VAT table when asked for (F6). */
export function TotalsPanel({ totals, tenders, showVat }: { totals: CheckoutView['totals'] | undefined; tenders: CheckoutView['tenders']; showVat: boolean }) {
  const { t, locale, money } = useMessages();
  return (
    <>
      <AmountDue totals={totals} tenders={tenders} listPaid={false} />
      {showVat && totals ? (
        <table className="vat" data-testid="vat-table">
          <thead>
            <tr>
              <th scope="col">{t.vatRate}</th>
              <th scope="col">{t.net}</th>
              <th scope="col">{t.vat}</th>
              <th scope="col">{t.gross}</th>
            </tr>
          </thead>
          <tbody>
            {totals.vat.map((v) => (
              <tr key={v.rate}>
                <td>{formatRate(v.rate, locale)}</td>
                <td>{money(v.net)}</td>
                <td>{money(v.vat)}</td>
                <td>{money(v.gross)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/** What just happened or what to do next (lane-message.ts). */
export function MessageLine({ message }: { message: LaneMessage }) {
  return (
    <div
      className={`message ${message.kind}`}
      data-testid="message"
      role={message.kind === 'error' ? 'alert' : 'status'}
      aria-live={message.kind === 'error' ? 'assertive' : 'polite'}
    >
      {message.text ? (
        <>
          <span aria-hidden="true">{message.kind === 'error' ? '⚠ ' : 'ℹ '}</span>
          {message.text}
        </>
      ) : null}
    </div>
  );
}
