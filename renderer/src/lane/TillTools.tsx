/** Back-office moments at the lane: returns by receipt, X report, blind close with Z report. */
import { useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { CommandBody, CommandName, CommandResult, SaleLookup, Snapshot, TillReport } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { formatRate } from '../format';
import { ReceiptPreview } from '../shared/ReceiptPreview';
import { BackAndAction, BackButton, CountGrid, ErrorBox } from '../shared/common';
import { fill, type Messages } from '../i18n';
import { useMessages } from '../shared/messages';
import { useWindowScan } from '../input/use-window-scan';
import type { RefundTo as RefundChoice } from '../../../protocol/gift-card';
import { GiftCardRefund, initialRefundTo } from './ReturnGiftCard';

interface ToolProps {
  snap: Snapshot;
  state: TerminalState;
  send: (c: CommandBody) => boolean;
  onClose: () => void;
}

/** Acks that arrived after the tool was opened, for one command. */
export function freshResult<C extends CommandName>(state: TerminalState, cmd: C, since: number): CommandResult<C> | null {
  const a = state.lastAck;
  // a.cmd === cmd: the result is C's (the client typed it by its command); TypeScript cannot follow a generic C there.
  return a && a.cmd === cmd && a.at >= since && a.result ? (a.result as CommandResult<C>) : null;
}

export function errorText(state: TerminalState, t: Messages, since: number): string | null {
  const e = state.lastError;
  return e && e.at >= since && e.code !== 'APPROVAL_REQUIRED' ? fill(t.errors[e.code], e.params) : null;
}

export function ReturnModal({ state, send, onClose }: ToolProps) {
  // Long (~80 lines): the window's three steps (receipt code, lines to return, the return's receipt) share its state.
  const { t } = useMessages();
  const [opened] = useState(() => performance.now());
  const [code, setCode] = useState('');
  const [qty, setQty] = useState<Record<string, string>>({});
  const [reason, setReason] = useState(t.defaultReturnReason);
  const [chosenRefund, setRefundTo] = useState<RefundChoice | null>(null);
  const lookup = freshResult(state, 'findSale', opened);
  // A sale paid with gift cards: the cashier says which card gets the money (ReturnGiftCard.tsx).
  const refundTo = chosenRefund ?? initialRefundTo(lookup);
  const done = freshResult(state, 'returnLines', opened);
  const error = errorText(state, t, opened);
  const receiptCode = useRef('');
  const dialogRef = useRef<HTMLDivElement>(null);
  // A receipt's barcode scanned while the focus is elsewhere in the window looks that sale up.
  useWindowScan(dialogRef, (scanned) => {
    if (done || !/^R[0-9a-f]{32}$/.test(scanned)) return false;
    find(scanned);
    return true;
  });
  const find = (scanned?: string) => {
    const c = (scanned ?? code).trim();
    if (!/^R[0-9a-f]{32}$/.test(c)) return;
    receiptCode.current = c;
    send({ cmd: 'findSale', receiptCode: c });
    setCode('');
  };
  const refund = () => {
    if (!lookup) return;
    const lines = lookup.lines
      .filter((l) => !l.isDeposit && Number(qty[l.lineId] ?? '0') > 0)
      .map((l) => ({ lineId: l.lineId, quantity: Number(qty[l.lineId]) }));
    if (lines.length && reason.trim()) send({ cmd: 'returnLines', receiptCode: receiptCode.current, lines, reason: reason.trim(), refundTo });
  };
  return (
    <div className="modal-backdrop">
      <div ref={dialogRef} className="modal wide" role="dialog" aria-modal="true" aria-labelledby="return-title" data-testid="return">
        <h2 id="return-title">{t.returns}</h2>
        {done ? (
          <>
            <ReceiptPreview text={done.receiptText} className="receipt-preview" testid="return-receipt" />
            <button type="button" className="primary big" autoFocus data-dismiss onClick={onClose}>
              {t.done}
            </button>
          </>
        ) : !lookup ? (
          <label className="field">
            <span>{t.receiptCode}</span>
            <input
              autoFocus
              data-scan-field
              data-testid="return-code"
              autoComplete="off"
              value={code}
              aria-label={t.receiptCode}
              onChange={(e) => setCode(e.target.value.trim().slice(0, 40))}
              onKeyDown={(e) => e.key === 'Enter' && find()}
            />
          </label>
        ) : (
          <>
            <ReturnLines lookup={lookup} qty={qty} setQty={setQty} onEnter={refund} />
            {lookup.giftCards.length ? (
              <GiftCardRefund lookup={lookup} refundTo={refundTo} setRefundTo={setRefundTo} />
            ) : lookup.tenders.some((x) => x.kind !== 'cash') ? (
              <RefundTo tenders={lookup.tenders} refundTo={refundTo === 'cash' ? 'cash' : 'original'} setRefundTo={setRefundTo} />
            ) : null}
            <label className="field">
              <span>{t.reasonLabel}</span>
              <input value={reason} maxLength={80} aria-label={t.reasonLabel} onChange={(e) => setReason(e.target.value)} />
            </label>
            <button type="button" className="primary big" data-testid="return-refund" onClick={refund}>
              {t.refund}
            </button>
          </>
        )}
        <ErrorBox text={error} />
        {!done ? (
          <BackButton onClick={onClose} />
        ) : null}
      </div>
    </div>
  );
}

/** The sale's item lines (not their deposits), each with how many to return. */
function ReturnLines(props: { lookup: SaleLookup; qty: Record<string, string>; setQty: Dispatch<SetStateAction<Record<string, string>>>; onEnter: () => void }) {
  const { lookup, qty, setQty, onEnter } = props;
  const { t, money } = useMessages();
  return (
    <table className="return-lines">
      <tbody>
        {lookup.lines
          .filter((l) => !l.isDeposit)
          .map((l) => (
            <tr key={l.lineId}>
              <td>{l.name}</td>
              <td className="amount">
                {l.quantity > 1 ? `${l.quantity} × ${money(Math.round(l.total / l.quantity))} = ` : ''}
                {money(l.total)}
              </td>
              <td>
                {l.returnable} {t.returnable}
              </td>
              <td>
                <input
                  data-testid={`return-qty-${l.lineId}`}
                  inputMode="numeric"
                  aria-label={`${t.returns} ${l.name}`}
                  disabled={l.returnable === 0}
                  value={qty[l.lineId] ?? ''}
                  onChange={(e) => setQty((q) => ({ ...q, [l.lineId]: e.target.value.replace(/\D/g, '').slice(0, 3) }))}
                  onKeyDown={(e) => e.key === 'Enter' && onEnter()}
                />
              </td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

/** A sale paid (partly) by card or voucher: refund to those, or in cash. */
function RefundTo(props: { tenders: SaleLookup['tenders']; refundTo: 'original' | 'cash'; setRefundTo: (to: 'original' | 'cash') => void }) {
  const { tenders, refundTo, setRefundTo } = props;
  const { t } = useMessages();
  return (
    <fieldset className="refund-to" data-testid="refund-to">
      <legend>{t.refundTo.title}</legend>
      <label>
        <input type="radio" name="refund-to" checked={refundTo === 'original'} onChange={() => setRefundTo('original')} data-testid="refund-original" />
        {fill(t.refundTo.original, { how: [...new Set(tenders.filter((x) => x.kind !== 'cash').map((x) => t.report.tender[x.kind as 'card' | 'voucher'] ?? x.kind))].join(', ') })}
      </label>
      <label>
        <input type="radio" name="refund-to" checked={refundTo === 'cash'} onChange={() => setRefundTo('cash')} data-testid="refund-cash" />
        {t.refundTo.cash}
      </label>
    </fieldset>
  );
}

/** A till report on screen: the figures the core built from the journal; each VAT rate with its letter as the receipts print it (the market's `vatRates`). */
export function ReportView({ r, vatRates }: { r: TillReport; vatRates: Snapshot['profile']['vatRates'] }) {
  const { t, locale, money } = useMessages();
  const w = t.report;
  const tender = (kind: string) => (w.tender as Record<string, string>)[kind] ?? kind;
  const rows: Array<[string, string]> = [
    [`${r.kind === 'Z' ? `Z ${r.zNumber}` : 'X'} · ${w.sales} ${r.sales.count}`, money(r.sales.total)],
    ...r.tenders.map((x): [string, string] => [tender(x.kind), money(x.amount)]),
    ...r.vat.map((v): [string, string] => [[t.vat, vatRates.find((x) => x.rate === v.rate)?.letter, formatRate(v.rate, locale)].filter(Boolean).join(' '), money(v.vat)]),
    [w.rounding, money(r.rounding)],
    [`${w.returns} ${r.returns.count}`, money(r.returns.amount)],
    [`${w.voids} ${r.voids.count}`, money(r.voids.amount)],
    [w.discounts, money(r.discounts)],
    // The till is closed blind: what the drawer should hold is shown only once it has been counted (Z).
    ...(r.cash.counted !== null
      ? ([
          [w.expectedCash, money(r.cash.expected)],
          [w.counted, money(r.cash.counted)],
          [w.overShort, money(r.cash.overShort ?? 0)],
        ] as Array<[string, string]>)
      : []),
    [w.grandTotal, money(r.grandTotal)],
  ];
  return (
    <table className="report" data-testid="report">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="amount">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CloseTillModal({ snap, state, send, onClose }: ToolProps) {
  const { t } = useMessages();
  const [opened] = useState(() => performance.now());
  const { denominations } = snap.profile;
  const [counts, setCounts] = useState<Record<number, string>>({});
  const z = freshResult(state, 'closeTill', opened);
  const error = errorText(state, t, opened);
  const submit = () =>
    send({ cmd: 'closeTill', counted: denominations.filter((d) => Number(counts[d] ?? '0') > 0).map((d) => ({ denomination: d, count: Number(counts[d]) })) });
  return (
    <div className="modal-backdrop">
      <div className="modal wide" role="dialog" aria-modal="true" aria-labelledby="close-title" data-testid="close-till">
        <h2 id="close-title">{t.closeTill}</h2>
        {z ? (
          <>
            <ReportView r={z} vatRates={snap.profile.vatRates} />
            <button type="button" className="primary big" autoFocus data-dismiss onClick={onClose}>
              {t.done}
            </button>
          </>
        ) : (
          <>
            <p>{t.closeTillBody}</p>
            <CountGrid denominations={denominations} counts={counts} setCounts={setCounts} testidPrefix="count" />
            <BackAndAction onBack={onClose} label={t.closeTill} testid="close-till-submit" onAction={submit} />
          </>
        )}
        <ErrorBox text={error} />
      </div>
    </div>
  );
}
