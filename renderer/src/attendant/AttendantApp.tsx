/**
 * The attendant view: every kiosk with its state, help calls and approvals waiting; the
 * attendant approves age checks, takes items off a basket, cancels an unpaid basket and clears
 * help calls. A kiosk that needs someone comes first and says why in words (never colour alone).
 */
import { useEffect, useState } from 'react';
import { useAttendant, type KioskConnection } from './connection';
import { formatWeight } from '../format';
import { CATALOGUE, fill, langForLocale, plural, type Lang } from '../i18n';
import { ErrorBox, LanguageSwitch, LineName } from '../shared/common';
import { NumberPinFields } from '../shared/DigitsField';
import { MessagesProvider, useMessages } from '../shared/messages';
import { cashCallText, KioskCash } from './KioskCash';
import { KioskDecision } from './KioskDecision';

export function AttendantApp() {
  // The attendant's choice; else the store's language (from the first kiosk's profile); else the browser's.
  const [picked, setLang] = useState<Lang | null>(null);
  const att = useAttendant(window.location.host);
  const storeLocale = att.kiosks.find((c) => c.kiosk)?.kiosk?.locale;
  const lang: Lang = picked ?? (storeLocale ? langForLocale(storeLocale) : navigator.language.startsWith('de') ? 'de' : navigator.language.startsWith('en') ? 'en' : 'sv');
  // This view owns its language (the screens below read it with useMessages()).
  const t = CATALOGUE[lang];
  const k = t.kiosk;
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = k.attTitle;
  }, [lang, k]);
  const [operator, setOperator] = useState('');
  const [pin, setPin] = useState('');
  // Refused everywhere (wrong PIN, not an attendant, locked out): back to the sign-in form. A kiosk
  // that alone refuses (its own lockout) just says so on its card.
  const authError = (c: KioskConnection) => !!c.error && (c.error.code === 'BAD_CREDENTIALS' || c.error.code === 'APPROVAL_DENIED' || c.error.code === 'OPERATOR_LOCKED_OUT');
  const refusedEverywhere = att.kiosks.length > 0 && att.kiosks.every((c) => c.attendant === null && authError(c));
  const firstError = refusedEverywhere ? (att.kiosks[0]?.error ?? null) : null;
  useEffect(() => {
    if (firstError) att.signOut();
  }, [firstError?.at]);
  const [signInError, setSignInError] = useState<string | null>(null);
  useEffect(() => {
    if (firstError) setSignInError(t.errors[firstError.code as keyof typeof t.errors] ?? firstError.message);
  }, [firstError?.at]);

  const submit = () => {
    if (!/^\d{1,8}$/.test(operator) || !/^\d{4,8}$/.test(pin)) return;
    setSignInError(null);
    att.signIn({ operator, pin });
    setPin('');
  };
  return (
    <MessagesProvider lang={lang} profile={null}>
      {!att.signedIn ? (
        <AttendantSignIn operator={operator} setOperator={setOperator} pin={pin} setPin={setPin} error={signInError} submit={submit} setLang={setLang} />
      ) : (
        <KioskBoard att={att} setLang={setLang} />
      )}
    </MessagesProvider>
  );
}

function AttendantSignIn(props: {
  operator: string;
  setOperator: (v: string) => void;
  pin: string;
  setPin: (v: string) => void;
  error: string | null;
  submit: () => void;
  setLang: (l: Lang) => void;
}) {
  const { operator, setOperator, pin, setPin, submit } = props;
  const { t } = useMessages();
  const k = t.kiosk;
  return (
    <main className="centered attendant" data-testid="attendant-signin">
      <LanguageSwitch setLang={props.setLang} />
      <h1>{k.attTitle}</h1>
      <h2>{k.attSignIn}</h2>
      <NumberPinFields operatorLabel={t.supervisorNumber} pinLabel={t.pin} operator={operator} setOperator={setOperator} pin={pin} setPin={setPin} onSubmit={submit} testids={{ operator: 'att-operator', pin: 'att-pin' }} autoFocus />
      <button type="button" className="primary big" data-testid="att-sign-in" onClick={submit}>
        {t.signIn}
      </button>
      <ErrorBox text={props.error} testid={null} />
    </main>
  );
}

/** Every kiosk, the ones that need someone first; each card in its kiosk's money and locale. */
function KioskBoard({ att, setLang }: { att: ReturnType<typeof useAttendant>; setLang: (l: Lang) => void }) {
  const { t, lang } = useMessages();
  const k = t.kiosk;
  const needs = (c: KioskConnection) => (c.kiosk?.help ? 2 : 0) + (c.kiosk?.ageCheckPending ? 2 : 0) + (c.kiosk?.decision ? 2 : 0) + (c.kiosk?.controlUnit ? 2 : 0) + (c.status !== 'open' ? 1 : 0);
  const kiosks = [...att.kiosks].sort((a, b) => needs(b) - needs(a) || a.address.localeCompare(b.address));
  const who = att.kiosks.find((c) => c.attendant)?.attendant ?? '';
  return (
    <div className="attendant" data-testid="attendant">
      <header className="statusbar">
        <span className="store">{k.attTitle}</span>
        <span>{who ? fill(k.attSignedInAs, { name: who }) : ''}</span>
        <LanguageSwitch setLang={setLang} />
        <button type="button" className="small" onClick={att.signOut}>
          {t.keys.signOut}
        </button>
      </header>
      {kiosks.length === 0 ? <p className="empty">{k.attNoKiosks}</p> : null}
      <ul className="kiosks">
        {kiosks.map((c) => (
          <MessagesProvider key={c.address} lang={lang} profile={c.kiosk}>
            <KioskCard c={c} command={(body) => att.command(c.address, body)} />
          </MessagesProvider>
        ))}
      </ul>
    </div>
  );
}

function KioskCard({ c, command }: { c: KioskConnection; command: Parameters<typeof useAttendant>[0] extends unknown ? (body: Parameters<ReturnType<typeof useAttendant>['command']>[1]) => boolean : never }) {
  const { t, lang, money } = useMessages();
  const k = t.kiosk;
  const v = c.kiosk;
  const time = (iso: string) => new Date(iso).toLocaleTimeString(v?.locale ?? 'sv-SE', { hour: '2-digit', minute: '2-digit', ...(v ? { timeZone: v.timeZone } : {}) });
  const attention = !!(v?.help || v?.ageCheckPending || v?.decision || v?.controlUnit);
  // An error answering the card decision is shown in its panel (the card's own box shows the others).
  const [decisionSentAt, setDecisionSentAt] = useState<number | null>(null);
  const decisionError = v?.decision && c.error && decisionSentAt !== null && c.error.at > decisionSentAt ? c.error : null;
  return (
    <li className={`kiosk${attention ? ' attention' : ''}`} data-testid="kiosk" data-lane={v?.laneId ?? ''} aria-label={v ? fill(k.attKiosk, { lane: v.laneId }) : c.address}>
      <div className="kiosk-head">
        <h2>{v ? fill(k.attKiosk, { lane: v.laneId }) : c.address}</h2>
        <span className="kiosk-state" data-testid="kiosk-state">
          {c.status !== 'open' ? k.attDisconnected : v ? k.attStates[v.state] : ''}
        </span>
      </div>
      {v?.help ? (
        <div className="kiosk-alert" role="alert" data-testid="kiosk-help">
          <span aria-hidden="true">🔔 </span>
          <strong>{fill(k.attHelp[v.help.reason], { detail: v.help.reason === 'cash' ? cashCallText(v.help.detail, t.cash) : (v.help.detail ?? '') })}</strong> · {fill(k.attSince, { time: time(v.help.since) })}
          <button type="button" className="big" data-testid="att-clear-help" onClick={() => command({ cmd: 'clearHelp' })}>
            {k.attClearHelp}
          </button>
        </div>
      ) : null}
      {v?.controlUnit ? (
        <div className="kiosk-alert" role="alert" data-testid="kiosk-control-unit">
          <span aria-hidden="true">■ </span>
          <strong>{v.controlUnit.state === 'outage' ? fill(t.market.controlUnit.kiosk.attOutage, { time: v.controlUnit.since ? time(v.controlUnit.since) : '–' }) : t.market.controlUnit.kiosk.attUnconfigured}</strong>
        </div>
      ) : null}
      {v?.ageCheckPending ? (
        <div className="kiosk-alert" role="alert" data-testid="kiosk-age">
          <span aria-hidden="true">🪪 </span>
          <strong>{fill(t.ageBody, { age: v.ageCheckPending })}</strong>
          <button type="button" className="primary big" data-testid="att-approve-age" onClick={() => v.basket && v.ageCheckPending && command({ cmd: 'approveAge', saleId: v.basket.saleId, age: v.ageCheckPending })}>
            {fill(k.attApproveAge, { age: v.ageCheckPending })}
          </button>
        </div>
      ) : null}
      {v?.paymentText ? <p className="terminal-text">{v.paymentText}</p> : null}
      {v ? <KioskDecision v={v} error={decisionError} command={command} onSent={() => setDecisionSentAt(performance.now())} /> : null}
      {v ? <KioskCash v={v} command={command} /> : null}
      {v?.problems.map((p, i) => (
        <p key={i} className="kiosk-problem">
          <span aria-hidden="true">▲ </span>
          {t.dev.kinds[p.kind as keyof typeof t.dev.kinds] ?? p.kind}: {(p.detailCode ? t.dev.details[p.detailCode as keyof typeof t.dev.details] : undefined) ?? p.detail}
        </p>
      ))}
      {v?.basket ? (
        <>
          <ol className="lines kiosk-lines">
            {v.basket.lines
              .filter((l) => !l.deposit)
              .map((l) => (
                <li key={l.lineId} className={`line${l.voided ? ' voided' : ''}`} data-testid="kiosk-line">
                  <div className="line-main">
                    <LineName name={l.name} ageLimit={l.ageLimit} voided={l.voided} />
                    <span className="amount">{money(l.total)}</span>
                    {!l.voided && (v.state === 'scanning' || v.state === 'subtotal') && v.basket!.tendered === 0 ? (
                      <button type="button" className="small" data-testid="att-void" onClick={() => command({ cmd: 'voidLine', saleId: v.basket!.saleId, lineId: l.lineId })}>
                        {k.attVoid}
                      </button>
                    ) : null}
                  </div>
                  <div className="line-detail">{l.weightGrams !== null ? formatWeight(l.weightGrams, v.locale) : `${l.quantity} ×`}</div>
                </li>
              ))}
          </ol>
          <div className="kiosk-total">
            {t.total}: <strong data-testid="kiosk-total">{money(v.basket.total)}</strong> · {plural(t.items, v.basket.itemCount, lang)}
            {(v.state === 'scanning' || v.state === 'subtotal') && v.basket.tendered === 0 ? (
              <button type="button" className="big" data-testid="att-cancel" onClick={() => command({ cmd: 'cancelSale', saleId: v.basket!.saleId })}>
                {k.attCancelSale}
              </button>
            ) : null}
          </div>
        </>
      ) : null}
      {c.error && c.status === 'open' && !decisionError ? (
        <div className="message error" role="alert">
          <span aria-hidden="true">⚠ </span>
          {t.errors[c.error.code as keyof typeof t.errors] ?? c.error.message}
        </div>
      ) : null}
    </li>
  );
}
