/**
 * Self-checkout: the same app and the same core as the staffed lane, for a customer with a touch
 * screen. Attract screen → scan (or pick produce by picture and weigh it) → pay by card → receipt
 * choice → thank you. Staff things (age checks, taking items off, cancelling a big basket) are for
 * the attendant; the customer's "Help" lights up the attendant view.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { CommandBody, ProduceList, Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { formatWeight } from '../format';
import { fill, plural, type Lang } from '../i18n';
import { producePicture } from './produce';
import { digitalReceiptPayload } from '../receipt';
import { WedgeDetector } from '../wedge';
import { InputOwner } from '../input/owner';
import { QrCode } from '../shared/QrCode';
import { LanguageSwitch, LineDiscounts, LineName, TerminalText } from '../shared/common';
import { useMessages } from '../shared/messages';
import { coreNow } from '../core-time';

/** How long the thank-you screen stays before the attract screen (nothing is at stake: the sale is done). */
const THANKS_MS = 20_000;

export function SelfCheckout(props: {
  snap: Snapshot;
  state: TerminalState;
  send: (c: CommandBody) => boolean;
  dismissApproval: () => void;
  setLang: (l: Lang) => void;
  /** Staff (supervisor, store IT) ask for the kiosk's staff screens. */
  onStaff: () => void;
}) {
  const { snap, state, send } = props;
  const { t, lang, locale, money } = useMessages();
  const k = t.kiosk;
  const co = snap.checkout;
  const [started, setStarted] = useState(false);
  const [produceOpen, setProduceOpen] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [input, setInput] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const wedge = useRef(new WedgeDetector(snap.devices.wedge));
  wedge.current.setTiming(snap.devices.wedge);

  // The thank-you screen after a completed sale, then back to the attract screen.
  const [thanksFor, setThanksFor] = useState<string | null>(null);
  const lastSaleId = snap.lastSale?.saleId ?? null;
  const prevSale = useRef(lastSaleId);
  useEffect(() => {
    if (lastSaleId && lastSaleId !== prevSale.current) {
      setThanksFor(lastSaleId);
      setStarted(false);
      setProduceOpen(false);
      const timer = setTimeout(() => setThanksFor(null), THANKS_MS);
      prevSale.current = lastSaleId;
      return () => clearTimeout(timer);
    }
    prevSale.current = lastSaleId;
    return undefined;
  }, [lastSaleId]);
  useEffect(() => {
    if (co) setThanksFor(null);
    else {
      // The basket ended (paid, cancelled, abandoned): the next customer starts from the welcome screen.
      setConfirmCancel(false);
      setStarted(false);
    }
  }, [co?.saleId]);

  // An unknown barcode: set aside for staff (noted for the back office, help called).
  const lastErr = state.lastError;
  useEffect(() => {
    if (lastErr?.code === 'ITEM_NOT_FOUND' && lastErr.cmd === 'scan' && typeof lastErr.params?.code === 'string') send({ cmd: 'reportMissingItem', code: lastErr.params.code });
  }, [lastErr]);

  // A command refused for want of staff (cancelling a big basket, removing an item): call them.
  useEffect(() => {
    if (!state.approvalFor) return;
    props.dismissApproval();
    send({ cmd: 'callHelp' });
  }, [state.approvalFor]);

  const submit = (code: string, source: 'wedge' | 'keyboard') => {
    if (!code) return;
    setStarted(true);
    send({ cmd: 'scan', code: code.slice(0, 128), source });
  };
  const submitRef = useRef(submit);
  submitRef.current = submit;
  // The one owner of focus and input (input/owner.ts): a barcode scanned while the produce search
  // (or any other field) has the focus is never typed into it. A customer who scans while the
  // produce pictures are open gets the item: the pictures close.
  const owner = useRef<InputOwner | null>(null);
  owner.current ??= new InputOwner(snap.devices.wedge, {
    entry: () => inputRef.current,
    onScan: (code) => submitRef.current(code.trim(), 'wedge'),
    onRefused: (code) => {
      setProduceOpen(false);
      submitRef.current(code.trim(), 'wedge');
    },
  });
  owner.current.run.setTiming(snap.devices.wedge);
  // Keyboard-wedge scanners type into the scan field wherever the focus is.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (owner.current!.keydown(e)) return;
      const field = inputRef.current;
      if (!field || document.activeElement === field || produceOpen) return;
      if (document.activeElement instanceof HTMLInputElement) return;
      if ((e.key.length === 1 || e.key === 'Enter') && !e.ctrlKey && !e.metaKey && !e.altKey) field.focus();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [produceOpen]);

  const scan = () => {
    const code = input.trim();
    setInput('');
    submit(code, wedge.current.finish(code.length));
  };
  const pay = (how: 'card' | 'cash') => {
    if (!co) return;
    if (co.state === 'scanning') send({ cmd: 'subtotal' });
    send(how === 'card' ? { cmd: 'tenderCard' } : { cmd: 'tenderCash' });
  };

  const err = state.lastError && (!state.lastAck || state.lastError.at >= state.lastAck.at) ? state.lastError : null;
  // An unknown barcode was set aside for staff: say that the item was not recognised, not only that help comes.
  const ack = state.lastAck;
  const missing = !err && ack?.cmd === 'reportMissingItem' && co ? k.notRecognised : null;
  const message = missing ?? (err
    ? err.code === 'WEIGHT_REQUIRED'
      ? `${err.params?.name ? `${err.params.name}: ` : ''}${k.placeOnScale}`
      : err.code === 'APPROVAL_REQUIRED'
        ? k.helpComing
        : fill(t.errors[err.code], err.params)
    : null);

  const thanks = thanksFor && !co && snap.lastSale?.saleId === thanksFor ? snap.lastSale : null;
  const help = snap.lane.help ? (
    <div className="self-help" role="status" data-testid="help-called">
      <span aria-hidden="true">🔔 </span>
      {k.helpComing}
    </div>
  ) : null;
  const langs = <LanguageSwitch setLang={props.setLang} />;
  const scanField = (
    <input
      ref={inputRef}
      className="self-scan"
      data-testid="scan-input"
      autoFocus
      autoComplete="off"
      spellCheck={false}
      aria-label={t.scanLabel}
      placeholder={t.scanPlaceholder}
      value={input}
      maxLength={128}
      onChange={(e) => setInput(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          scan();
        } else if (e.key.length === 1) wedge.current.key(e.timeStamp);
      }}
    />
  );

  if (thanks) {
    return (
      <main className="self centered" data-testid="self-thanks">
        <h1>{k.thanks}</h1>
        {thanks.receipt === 'digital' ? (
          <div className="digital-receipt">
            <QrCode text={digitalReceiptPayload(thanks.receiptText)} label={t.digitalReceipt} size={240} testid="digital-receipt-qr" />
            <p>{k.scanQr}</p>
          </div>
        ) : null}
        <button type="button" className="primary big" onClick={() => setThanksFor(null)}>
          {t.done}
        </button>
        {scanField}
      </main>
    );
  }

  if (!co && !started) {
    return (
      <main className="self attract" data-testid="self-attract">
        {langs}
        <h1>{k.welcome}</h1>
        <p className="self-lead">{k.touchToStart}</p>
        <button type="button" className="primary huge" data-testid="self-start" onClick={() => setStarted(true)}>
          {k.start}
        </button>
        {help}
        {scanField}
        <p className="self-note">{snap.lane.selfCheckout?.cashAllowed ? '' : k.cardOnly}</p>
        <button type="button" className="small self-staff" data-testid="self-staff" onClick={props.onStaff}>
          {k.staff}
        </button>
      </main>
    );
  }

  const lines = co?.lines.filter((l) => l.depositFor === null || !l.voided) ?? [];
  return (
    <div className="self selling" data-testid="self-selling">
      <header className="self-top">
        <h1>{co && co.lines.some((l) => !l.voided) ? k.scanPrompt : k.scanPromptFirst}</h1>
        {langs}
      </header>
      <section className="self-basket" aria-label={t.basket} data-testid="basket">
        {lines.length === 0 ? (
          <p className="empty">{t.emptyBasket}</p>
        ) : (
          <ol className="lines">
            {lines.map((l) => (
              <li key={l.lineId} className={`line${l.voided ? ' voided' : ''}${l.depositFor ? ' deposit' : ''}`} data-testid="line" data-voided={String(l.voided)}>
                <div className="line-main">
                  <LineName name={l.name} ageLimit={null} voided={l.voided} />
                  <span className="amount">{money(l.total)}</span>
                </div>
                <div className="line-detail">
                  {l.weightGrams !== null ? `${formatWeight(l.weightGrams, locale)} × ${money(l.unitPrice)}/kg` : `${l.quantity} × ${money(l.unitPrice)}`}
                </div>
                <LineDiscounts line={l} />
              </li>
            ))}
          </ol>
        )}
      </section>
      <aside className="self-side">
        <div className="total-block">
          <div className="total-label">{t.total}</div>
          <div className="total" data-testid="total">
            {money(co?.totals.total ?? 0)}
          </div>
          <div className="sub">{plural(t.items, co?.totals.itemCount ?? 0, lang)}</div>
        </div>
        <div className={`message ${message ? 'error' : 'info'}`} data-testid="message" role={message ? 'alert' : 'status'}>
          {message ? (
            <>
              <span aria-hidden="true">⚠ </span>
              {message}
            </>
          ) : (
            k.staffRemoves
          )}
        </div>
        {help}
        {scanField}
        <button type="button" className="big self-produce" data-testid="self-produce" onClick={() => setProduceOpen(true)}>
          <span aria-hidden="true">🍎 </span>
          {k.produce}
        </button>
        <button type="button" className="primary huge" data-testid="self-pay-card" disabled={!co || co.totals.itemCount === 0} onClick={() => pay('card')}>
          {k.payCard}
        </button>
        {snap.lane.selfCheckout?.cashAllowed ? (
          <button type="button" className="big" data-testid="self-pay-cash" disabled={!co || co.totals.itemCount === 0} onClick={() => pay('cash')}>
            {k.payCash}
          </button>
        ) : (
          <p className="self-note">{k.cardOnly}</p>
        )}
        <button type="button" className="small self-staff" data-testid="self-staff" onClick={props.onStaff}>
          {k.staff}
        </button>
        <div className="self-row">
          <button type="button" className="big" data-testid="self-help" onClick={() => send({ cmd: 'callHelp' })}>
            <span aria-hidden="true">🔔 </span>
            {k.callHelp}
          </button>
          <button type="button" className="big" data-testid="self-cancel" onClick={() => (co ? setConfirmCancel(true) : setStarted(false))}>
            {k.cancelBasket}
          </button>
        </div>
      </aside>

      {produceOpen ? (
        <ProducePicker
          send={send}
          state={state}
          onPick={(plu) => {
            setProduceOpen(false);
            send({ cmd: 'scan', code: plu, source: 'keyboard' });
          }}
          onClose={() => setProduceOpen(false)}
        />
      ) : null}

      {co?.ageCheckPending ? (
        <Dialog id="self-age" title={t.ageTitle}>
          <p className="age-body">{fill(k.ageWait, { age: co.ageCheckPending })}</p>
          <div className="modal-actions">
            <button type="button" className="big" data-testid="self-age-remove" onClick={() => send({ cmd: 'voidLast' })}>
              {k.ageRemove}
            </button>
          </div>
        </Dialog>
      ) : co?.state === 'cardPending' || co?.state === 'reversing' ? (
        <Dialog id="self-card" title={k.followTerminal}>
          <p>{fill(k.cardYou, { amount: money(co.cardAttempt?.amount ?? 0) })}</p>
          <TerminalText payment={snap.payment} />
          {co.state === 'cardPending' && !snap.payment.decision ? (
            <div className="modal-actions">
              <button type="button" className="big" onClick={() => send({ cmd: 'abortPayment' })}>
                {k.cancelCardYou}
              </button>
            </div>
          ) : null}
        </Dialog>
      ) : co?.state === 'paid' ? (
        <Dialog id="self-receipt" title={k.receiptChoice}>
          <div className="receipt-choice">
            <button type="button" className="primary huge" data-testid="receipt-print" autoFocus onClick={() => send({ cmd: 'complete', receipt: 'print' })}>
              <span aria-hidden="true">🧾 </span>
              {k.receiptPrint}
            </button>
            <button type="button" className="big" data-testid="receipt-digital" onClick={() => send({ cmd: 'complete', receipt: 'digital' })}>
              <span aria-hidden="true">📱 </span>
              {k.receiptDigital}
            </button>
            <button type="button" className="big" data-testid="receipt-none" onClick={() => send({ cmd: 'complete', receipt: 'none' })}>
              {k.receiptNone}
            </button>
          </div>
        </Dialog>
      ) : confirmCancel && co ? (
        <Dialog id="self-cancel-confirm" title={k.cancelConfirm}>
          <div className="modal-actions">
            <button type="button" className="big" autoFocus onClick={() => setConfirmCancel(false)}>
              {k.keepShopping}
            </button>
            <button
              type="button"
              className="big danger"
              data-testid="self-cancel-yes"
              onClick={() => {
                setConfirmCancel(false);
                send({ cmd: 'cancelSale' });
              }}
            >
              {k.yesCancel}
            </button>
          </div>
        </Dialog>
      ) : snap.lane.selfCheckout?.idleUntil ? (
        <IdlePrompt until={snap.lane.selfCheckout.idleUntil} onHere={() => send({ cmd: 'ping' })} />
      ) : null}
    </div>
  );
}

function Dialog(props: { id: string; title: string; children: ReactNode }) {
  return (
    <div className="modal-backdrop">
      <div className="modal self-modal" role="dialog" aria-modal="true" aria-labelledby={`${props.id}-title`} data-testid={props.id}>
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}

function IdlePrompt({ until, onHere }: { until: string; onHere: () => void }) {
  const { t } = useMessages();
  const [now, setNow] = useState(() => coreNow());
  useEffect(() => {
    const id = setInterval(() => setNow(coreNow()), 1000);
    return () => clearInterval(id);
  }, []);
  const seconds = Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
  return (
    <Dialog id="self-idle" title={t.kiosk.stillThere}>
      <p>{fill(t.kiosk.stillThereBody, { seconds })}</p>
      <button type="button" className="primary huge" autoFocus data-testid="self-here" onClick={onHere}>
        {t.kiosk.imHere}
      </button>
    </Dialog>
  );
}

/** Produce by picture, or searched by name or PLU; picking one weighs it on the scale. */
function ProducePicker(props: { send: (c: CommandBody) => boolean; state: TerminalState; onPick: (plu: string) => void; onClose: () => void }) {
  const { t, money } = useMessages();
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => props.send(query.trim() ? { cmd: 'produceList', query: query.trim().slice(0, 40) } : { cmd: 'produceList' }), query ? 150 : 0);
    return () => clearTimeout(timer);
  }, [query]);
  // The newest answer stays until the next one (other acks in between do not clear the grid).
  const [list, setList] = useState<ProduceList['produce'] | null>(null);
  const ack = props.state.lastAck;
  useEffect(() => {
    if (ack?.cmd === 'produceList' && ack.result && 'produce' in ack.result) setList(ack.result.produce);
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
                <button type="button" className="produce-tile" data-testid={`produce-${p.plu}`} onClick={() => props.onPick(p.plu)}>
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
      </div>
    </div>
  );
}
