/** The store report (issue 19, "X for the whole store"): each lane's day as this till holds it, how current each is, and the store's total. */
import type { StoreFigures, StoreReport } from '../../../protocol/terminal';
import { fill, plural } from '../i18n';
import { useMessages } from '../shared/messages';

/** A business date (YYYY-MM-DD) moved by whole days. */
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** `ask`: the report of another day (print: on the receipt printer too); `canPrint`: a printer is there. */
export function StoreReportView({ r, timeZone, ask, canPrint }: { r: StoreReport; timeZone: string; ask: (businessDate: string, print: boolean) => void; canPrint: boolean }) {
  const { t, lang, locale, money } = useMessages();
  const w = t.storeReport;
  const tender = (kind: string) => (t.report.tender as Record<string, string>)[kind] ?? kind;
  const day = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone });
  // A time of the report's own day is shown as a time; another day's with its date.
  const when = (iso: string) => new Date(iso).toLocaleString(locale, { ...(day(iso) === day(r.at) ? {} : { dateStyle: 'short' }), timeStyle: 'short', timeZone });
  const amount = (minor: number, n: number) => (
    <td className="amount">
      {n > 0 ? money(minor) : '–'}
      <div className="detail">{plural(w.count, n, lang)}</div>
    </td>
  );
  const figures = (f: StoreFigures) => (
    <>
      {amount(f.sales.total, f.sales.count)}
      {amount(-f.returns.amount, f.returns.count)}
      <td className="amount">
        <strong>{money(f.net)}</strong>
      </td>
      <td className="store-tenders">
        {f.tenders.map((x) => (
          <div key={x.kind}>
            <span>{tender(x.kind)}</span> <span className="amount">{money(x.amount)}</span>
          </div>
        ))}
      </td>
    </>
  );
  return (
    <div data-testid="store-report">
      <p>{fill(w.subtitle, { date: r.businessDate, at: when(r.at) })}</p>
      <table className="devices store-report">
        <thead>
          <tr>
            <th scope="col">{w.lane}</th>
            <th scope="col" className="amount">{w.sales}</th>
            <th scope="col" className="amount">{w.returns}</th>
            <th scope="col" className="amount">{w.net}</th>
            <th scope="col">{w.tenders}</th>
          </tr>
        </thead>
        <tbody>
          {r.lanes.map((l) => (
            <tr key={l.terminalId ?? l.laneId} data-testid={`store-lane-${l.laneId}`}>
              <th scope="row">
                {l.laneId}
                <div className="detail" data-testid={`store-lane-${l.laneId}-current`}>
                  {l.self ? w.thisTill : l.lastContact ? fill(w.heard, { at: when(l.lastContact) }) : w.neverHeard}
                </div>
              </th>
              {l.figures ? figures(l.figures) : <td colSpan={4}>{w.noneHeld}</td>}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="store-total">
            <th scope="row">{w.total}</th>
            {figures(r.total)}
          </tr>
        </tfoot>
      </table>
      {r.conflicts.length ? (
        <div className="store-conflicts" role="status" data-testid="store-conflicts">
          <h3>⚠ {w.conflicts}</h3>
          <ul>
            {r.conflicts.map((c) => (
              <li key={`${c.kind}${c.ref}${c.item ?? ''}`}>{fill(c.kind === 'return' ? w.returnedTwice : w.resumedTwice, { ref: c.ref, item: c.item ?? '', sold: String(c.sold ?? ''), returned: String(c.returned ?? ''), lanes: c.lanes.join(', ') })}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="detail">{w.note}</p>
      <div className="modal-actions">
        <button type="button" className="big" data-testid="store-report-previous" onClick={() => ask(shift(r.businessDate, -1), false)}>
          ◀ {w.previousDay}
        </button>
        {/* No day after the one the report was made on: it has not happened yet. */}
        {r.businessDate < day(r.at) ? (
          <button type="button" className="big" data-testid="store-report-next" onClick={() => ask(shift(r.businessDate, 1), false)}>
            {w.nextDay} ▶
          </button>
        ) : null}
        {canPrint ? (
          <button type="button" className="big" data-testid="store-report-print" onClick={() => ask(r.businessDate, true)}>
            {w.print}
          </button>
        ) : null}
      </div>
    </div>
  );
}
