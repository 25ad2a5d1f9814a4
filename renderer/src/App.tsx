/** The renderer's root: picks the screen (customer display, self-checkout, the lane's sign-in, till and selling screens) from the core's snapshot. */
import { useEffect, useRef, useState } from 'react';
import { useTerminal } from './connection';
import { CustomerDisplay } from './customer/CustomerDisplay';
import { CATALOGUE, langForLocale, type Lang } from './i18n';
import { OpenTill } from './lane/OpenTill';
import { Selling } from './lane/Selling';
import { Closed, SignIn } from './lane/SignIn';
import { SelfClosed, StaffCheckModal } from './self/KioskStaff';
import { SelfCheckout } from './self/SelfCheckout';
import { ConnectionBanner } from './shared/ConnectionBanner';
import { Restarting } from './shared/Restarting';

export function App() {
  const { state, send, dismissApproval } = useTerminal();
  const snap = state.snapshot;
  const [lang, setLang] = useState<Lang | null>(null);
  /** Self-checkout: staff opening or closing the kiosk use the lane's own sign-in and till screens. */
  const [staff, setStaff] = useState(false);
  const selfOpen = snap?.lane.mode === 'self' && (snap.lane.state === 'signedIn' || snap.lane.state === 'selling') && snap.lane.till !== null;
  /**
   * Self-checkout: staff who proved who they are (staffCheck) use the lane's staff screens while the
   * core's staff session lasts (it ends with "back to self-checkout" or 2 minutes without a command,
   * and the core refuses staff commands without it).
   */
  const staffHere = !!snap?.lane.selfCheckout?.staff;
  const [staffAsked, setStaffAsked] = useState<number | null>(null);
  useEffect(() => setStaff(false), [selfOpen]);
  useEffect(() => {
    if (staffHere) setStaffAsked(null);
  }, [staffHere]);
  // Back to the store's language when a customer's basket ends — paid, cancelled or abandoned (the
  // cashier or the customer switched it for them); the next customer starts in the store's language.
  const saleEnded = snap?.lastSale?.saleId;
  useEffect(() => setLang(null), [saleEnded]);
  const openSale = snap?.checkout?.saleId ?? null;
  const hadSale = useRef<string | null>(null);
  useEffect(() => {
    if (hadSale.current && !openSale) setLang(null);
    hadSale.current = openSale;
  }, [openSale]);
  const effectiveLang: Lang = lang ?? (snap ? langForLocale(snap.profile.locale) : 'sv');
  // A kiosk's staff screens (its staff sign-in, opening and closing it, the staff session) are in the
  // store's language whatever the last customer chose; staff may switch them for themselves.
  const [staffPick, setStaffPick] = useState<Lang | null>(null);
  useEffect(() => {
    if (!staffHere) setStaffPick(null);
  }, [staffHere]);
  const kioskStaff = snap?.lane.mode === 'self' && (staffHere || !selfOpen || staffAsked !== null);
  const staffLang: Lang = staffPick ?? (snap ? langForLocale(snap.profile.locale) : 'sv');
  const shownLang = kioskStaff ? staffLang : effectiveLang;
  const t = CATALOGUE[effectiveLang];
  const ts = CATALOGUE[staffLang];
  useEffect(() => {
    document.documentElement.lang = shownLang;
  }, [shownLang]);

  return (
    <div className="app">
      <ConnectionBanner state={state} t={t} />
      <Restarting state={state} t={t} />
      <span className="sr-only" data-testid="lane-state">
        {snap?.lane.state ?? 'unknown'}
      </span>
      {!snap ? null : new URLSearchParams(window.location.search).get('view') === 'customer' ? (
        <CustomerDisplay snap={snap} t={t} />
      ) : snap.lane.mode === 'self' && selfOpen && staffHere ? (
        <Selling snap={snap} state={state} send={send} dismissApproval={dismissApproval} t={ts} lang={staffLang} setLang={setStaffPick} onBackToSelf={() => send({ cmd: 'staffDone' })} />
      ) : snap.lane.mode === 'self' && selfOpen ? (
        <>
          <SelfCheckout snap={snap} state={state} send={send} dismissApproval={dismissApproval} t={t} lang={effectiveLang} setLang={setLang} onStaff={() => setStaffAsked(Date.now())} />
          {staffAsked !== null ? <StaffCheckModal t={ts} state={state} since={staffAsked} send={send} onCancel={() => setStaffAsked(null)} /> : null}
        </>
      ) : snap.lane.mode === 'self' && !staff ? (
        <SelfClosed t={ts} onStaff={() => setStaff(true)} />
      ) : snap.lane.state === 'closed' ? (
        <Closed t={kioskStaff ? ts : t} send={send} />
      ) : snap.lane.state === 'signedOut' ? (
        <SignIn t={kioskStaff ? ts : t} send={send} state={state} lang={kioskStaff ? staffLang : effectiveLang} setLang={kioskStaff ? setStaffPick : setLang} />
      ) : snap.lane.state === 'signedIn' && !snap.lane.till ? (
        <OpenTill snap={snap} t={kioskStaff ? ts : t} send={send} state={state} />
      ) : (
        <Selling snap={snap} state={state} send={send} dismissApproval={dismissApproval} t={t} lang={effectiveLang} setLang={setLang} />
      )}
    </div>
  );
}
