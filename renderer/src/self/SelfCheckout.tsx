/**
 * Self-checkout: the same app and the same core as the staffed lane, for a customer with a touch
 * screen. Attract screen → scan (or pick produce by picture and weigh it) → pay by card → receipt
 * choice → thank you. Staff things (age checks, taking items off, cancelling a big basket) are for
 * the attendant; the customer's "Help" lights up the attendant view.
 */
import { useState } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill, type Lang, type Messages } from '../i18n';
import { LanguageSwitch, ScanLine } from '../shared/common';
import { useMessages } from '../shared/messages';
import { ProducePicker } from './ProducePicker';
import { WeighStep, type WeighItem } from './WeighStep';
import { CustomerBasket } from '../shared/CustomerBasket';
import { SelfAttract, SelfSide, SelfThanks } from './SelfScreens';
import { SelfWindow } from './SelfWindows';
import { CashStep } from './CashStep';
import { SelfGiftCard } from './SelfGiftCard';
import { useGiftCardWindow } from '../shared/gift-card';
import { useSelfSale } from './use-self-sale';
import { useSelfScan } from './use-self-scan';
import { SelfNoSale, selfCannotSell } from './SelfNoSale';

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
  const { t } = useMessages();
  const k = t.kiosk;
  const co = snap.checkout;
  const sale = useSelfSale(snap, state, send, props.dismissApproval);
  const { started, setStarted, produceOpen, setProduceOpen, confirmCancel, setConfirmCancel } = sale;
  const scanLine = useSelfScan(snap, send, sale);
  const [weighing, setWeighing] = useState<WeighItem | null>(null);
  const giftCard = useGiftCardWindow(state);
  const pay = (how: 'card' | 'cash') => {
    if (!co) return;
    if (co.state === 'scanning') send({ cmd: 'subtotal' });
    send(how === 'card' ? { cmd: 'tenderCard' } : { cmd: 'tenderCash' });
  };
  const message = selfMessage(state, co !== null, t);

  const thanks = sale.thanksFor && !co && snap.lastSale?.saleId === sale.thanksFor ? snap.lastSale : null;
  const help = snap.lane.help ? (
    <div className="self-help" role="status" data-testid="help-called">
      <span aria-hidden="true">🔔 </span>
      {k.helpComing}
    </div>
  ) : null;
  const langs = <LanguageSwitch setLang={props.setLang} />;
  const scanField = <ScanLine className="self-scan" {...scanLine} />;

  if (selfCannotSell(snap)) return <SelfNoSale snap={snap} send={send} langs={langs} help={snap.lane.help ? help : null} onStaff={props.onStaff} />;
  if (thanks) return <SelfThanks sale={thanks} onDone={() => sale.setThanksFor(null)} scanField={scanField} />;
  if (!co && !started) return <SelfAttract snap={snap} langs={langs} help={help} scanField={scanField} onStart={() => setStarted(true)} onStaff={props.onStaff} />;

  const lines = co?.lines.filter((l) => l.depositFor === null || !l.voided) ?? [];
  return (
    <div className="self selling" data-testid="self-selling">
      <header className="self-top">
        <h1>{co && co.lines.some((l) => !l.voided) ? k.scanPrompt : k.scanPromptFirst}</h1>
        {langs}
      </header>
      <CustomerBasket lines={lines} />
      <SelfSide
        snap={snap}
        send={send}
        message={message}
        help={help}
        scanField={scanField}
        onProduce={() => setProduceOpen(true)}
        onPay={pay}
        onStaff={props.onStaff}
        onCancel={() => (co ? setConfirmCancel(true) : setStarted(false))}
      />

      {produceOpen ? (
        <ProducePicker
          send={send}
          state={state}
          onPick={(p) => {
            setProduceOpen(false);
            // Sold by weight: the weighing step first; by the piece: into the basket.
            if (p.unit === 'weight') setWeighing({ plu: p.plu, name: p.name, price: p.price });
            else send({ cmd: 'scan', code: p.plu, source: 'keyboard' });
          }}
          onClose={() => setProduceOpen(false)}
        />
      ) : null}
      {weighing ? (
        <WeighStep
          item={weighing}
          send={send}
          state={state}
          onAdd={() => {
            setWeighing(null);
            send({ cmd: 'scan', code: weighing.plu, source: 'keyboard' });
          }}
          onBack={() => setWeighing(null)}
        />
      ) : null}

      <SelfWindow snap={snap} send={send} confirmCancel={confirmCancel} setConfirmCancel={setConfirmCancel} />
      <CashStep snap={snap} send={send} />
      {giftCard.card && !co?.ageCheckPending && co?.state !== 'paid' && co?.state !== 'cardPending' ? <SelfGiftCard card={giftCard.card} snap={snap} send={send} onClose={giftCard.close} /> : null}
    </div>
  );
}

/** What went wrong, for the customer (null: nothing; the panel then says staff take items off). */
function selfMessage(state: TerminalState, basketOpen: boolean, t: Messages): string | null {
  const k = t.kiosk;
  const err = state.lastError && (!state.lastAck || state.lastError.at >= state.lastAck.at) ? state.lastError : null;
  // An unknown barcode was set aside for staff: say that the item was not recognised, not only that help comes.
  const ack = state.lastAck;
  const missing = !err && ack?.cmd === 'reportMissingItem' && basketOpen ? k.notRecognised : null;
  return (
    missing ??
    (err
      ? err.code === 'WEIGHT_REQUIRED'
        ? `${err.params?.name ? `${err.params.name}: ` : ''}${k.placeOnScale}`
        : err.code === 'APPROVAL_REQUIRED'
          ? k.helpComing
          : fill(t.errors[err.code], err.params)
      : null)
  );
}
