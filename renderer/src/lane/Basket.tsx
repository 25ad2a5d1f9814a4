/** The lane's basket: the sale's lines, or between sales what the last command or sale left to read (slip, copy, report, card end of day, receipt). */
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill } from '../i18n';
import { useMessages } from '../shared/messages';
import { QrCode } from '../shared/QrCode';
import { ReceiptPreview } from '../shared/ReceiptPreview';
import { LineRow } from './LineRow';
import { StoreReportView } from './StoreReport';
import { ReportView } from './TillTools';

export function Basket(props: {
  snap: Snapshot;
  state: TerminalState;
  send: (c: CommandBody) => boolean;
  /** The selected line (where F1, F2 and F5 act) and the one just added. */
  selectedId: string | undefined;
  fresh: string | null;
  setSelected: (lineId: string) => void;
}) {
  const { snap, selectedId, fresh, setSelected } = props;
  const { t } = useMessages();
  const co = snap.checkout;
  return (
    <section className="basket" aria-label={t.basket} data-testid="basket">
      {!co || co.lines.length === 0 ? (
        <LastResult snap={snap} state={props.state} send={props.send} />
      ) : (
        <ol className="lines">
          {co.lines.map((l) => (
            <LineRow key={l.lineId} line={l} selected={selectedId === l.lineId} fresh={fresh === l.lineId} onSelect={() => !l.voided && l.depositFor === null && setSelected(l.lineId)} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** With no lines to show: the last slip, copy, report or card end of day asked for, else the last sale's receipt, else "empty". */
function LastResult({ snap, state, send }: { snap: Snapshot; state: TerminalState; send: (c: CommandBody) => boolean }) {
  const { t, money } = useMessages();
  const co = snap.checkout;
  return state.lastAck?.cmd === 'suspendSale' && state.lastAck.result && !co ? (
    <div className="receipt-panel">
      <h2>{t.suspended}</h2>
      <ReceiptPreview text={state.lastAck.result.slipText} testid="slip" />
    </div>
  ) : state.lastAck?.cmd === 'reprintReceipt' && state.lastAck.result && !co ? (
    <div className="receipt-panel">
      <h2>{t.copy}</h2>
      <ReceiptPreview text={state.lastAck.result.copyText} testid="receipt-copy" />
    </div>
  ) : state.lastAck?.cmd === 'xReport' && state.lastAck.result && !co ? (
    <div className="receipt-panel">
      <h2>{t.xReport}</h2>
      <ReportView r={state.lastAck.result} vatRates={snap.profile.vatRates} />
      {snap.devices.printer.state !== 'none' ? (
        <button type="button" className="big" data-testid="x-report-print" onClick={() => send({ cmd: 'xReport', print: true })}>
          {t.kiosk.receiptPrint}
        </button>
      ) : null}
    </div>
  ) : state.lastAck?.cmd === 'storeReport' && state.lastAck.result && !co ? (
    <div className="receipt-panel">
      <h2>{t.storeReport.title}</h2>
      <StoreReportView r={state.lastAck.result.storeReport} timeZone={snap.profile.timeZone} canPrint={snap.devices.printer.state !== 'none'} ask={(businessDate, print) => send({ cmd: 'storeReport', businessDate, ...(print ? { print } : {}) })} />
    </div>
  ) : state.lastAck?.cmd === 'cardEndOfDay' && state.lastAck.result && !co ? (
    <div className="receipt-panel" data-testid="card-eod-result">
      <h2>{t.cardEndOfDay}</h2>
      <p>
        {fill(state.lastAck.result.cardEndOfDay.match ? t.cardEodMatch : t.cardEodMismatch, {
          terminal: state.lastAck.result.cardEndOfDay.terminalTotal === null ? '–' : money(state.lastAck.result.cardEndOfDay.terminalTotal),
          lane: money(state.lastAck.result.cardEndOfDay.laneTotal),
        })}
      </p>
      <pre tabIndex={0}>{[state.lastAck.result.cardEndOfDay.text, ...state.lastAck.result.cardEndOfDay.receiptLines].join('\n')}</pre>
    </div>
  ) : snap.lastSale && !co ? (
    <div className="receipt-panel">
      <h2>{t.receipt}</h2>
      {/* Only when the customer chose a digital receipt: a link to it (never after a printed one). */}
      {snap.lastSale.receipt === 'digital' && snap.lastSale.receiptLink ? (
        <div className="digital-receipt" data-testid="digital-receipt">
          <QrCode text={snap.lastSale.receiptLink} label={t.digitalReceipt} size={200} testid="digital-receipt-qr" />
          <p>
            <strong>{t.digitalReceipt}</strong>
          </p>
        </div>
      ) : null}
      <ReceiptPreview text={snap.lastSale.receiptText} testid="receipt" />
    </div>
  ) : (
    <p className="empty">{t.emptyBasket}</p>
  );
}
