/** The renderer's root: picks the screen (customer display, self-checkout, the lane's sign-in, till and selling screens) from the core's snapshot, and its language. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Snapshot } from '../../protocol/terminal';
import { useTerminal } from './connection';
import { CustomerDisplay } from './customer/CustomerDisplay';
import { langForLocale, type Lang } from './i18n';
import { OpenTill } from './lane/OpenTill';
import { Provisioning } from './provisioning/Provisioning';
import { Selling } from './lane/Selling';
import { Closed, SignIn } from './lane/SignIn';
import { SelfClosed, StaffCheckModal } from './self/KioskStaff';
import { SelfCheckout } from './self/SelfCheckout';
import { ConnectionBanner } from './shared/ConnectionBanner';
import { MessagesProvider } from './shared/messages';
import { Restarting } from './shared/Restarting';

/** A self-checkout kiosk's staff: who asked for or holds its staff screens. */
function useKioskStaff(snap: Snapshot | null) {
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
  return { staff, setStaff, selfOpen, staffHere, staffAsked, setStaffAsked };
}

/** The customer's (or cashier's) language and a kiosk's staff language, each back to the store's when its moment ends. */
function useLanguages(snap: Snapshot | null, staffHere: boolean, kioskStaff: boolean, tellCore: ((l: Lang | null) => void) | null) {
  const [lang, setLang] = useState<Lang | null>(null);
  // The customer display (another window) speaks what the customer chose here: the core carries it.
  const coreLang = snap?.lane.customerLang;
  useEffect(() => {
    if (tellCore && coreLang !== undefined && coreLang !== lang) tellCore(lang);
  }, [tellCore, coreLang, lang]);
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
  const staffLang: Lang = staffPick ?? (snap ? langForLocale(snap.profile.locale) : 'sv');
  const shownLang = kioskStaff ? staffLang : effectiveLang;
  useEffect(() => {
    document.documentElement.lang = shownLang;
  }, [shownLang]);
  return { effectiveLang, setLang, staffLang, setStaffPick };
}

export function App() {
  const { state, send, dismissApproval } = useTerminal();
  const snap = state.snapshot;
  const { staff, setStaff, selfOpen, staffHere, staffAsked, setStaffAsked } = useKioskStaff(snap);
  const kioskStaff = snap?.lane.mode === 'self' && (staffHere || !selfOpen || staffAsked !== null);
  const customer = new URLSearchParams(window.location.search).get('view') === 'customer';
  const tellCore = useCallback((l: Lang | null) => void send({ cmd: 'customerLanguage', lang: l }), [send]);
  const { effectiveLang, setLang, staffLang, setStaffPick } = useLanguages(snap, staffHere, kioskStaff, customer ? null : tellCore);
  const customerLang: Lang = snap?.lane.customerLang ?? (snap ? langForLocale(snap.profile.locale) : 'sv');
  useEffect(() => {
    if (customer) document.documentElement.lang = customerLang;
  }, [customer, customerLang, effectiveLang]);
  const self = snap?.lane.mode === 'self';
  const staffSelling = self && selfOpen && staffHere;
  const selfClosed = self && !selfOpen && !staff;
  // A kiosk's staff screens are in the staff's language; everything else in the customer's (or cashier's).
  const beforeSelling = snap !== null && (snap.lane.state === 'closed' || snap.lane.state === 'signedOut' || (snap.lane.state === 'signedIn' && !snap.lane.till));
  const screenLang = !customer && (staffSelling || selfClosed || (kioskStaff && !(self && selfOpen) && beforeSelling)) ? staffLang : effectiveLang;
  // First boot: the provisioning screen until the terminal is provisioned ("ready to sell" stays until the core moves on or store IT does).
  const [provisioned, setProvisioned] = useState(false);
  const provisioning = snap?.provisioning && !(snap.provisioning.phase === 'ready' && provisioned) ? snap.provisioning : null;

  return (
    <div className="app" data-lane-state={snap?.lane.state ?? 'unknown'}>
      <MessagesProvider lang={effectiveLang} profile={snap?.profile}>
        <ConnectionBanner state={state} />
        <Restarting state={state} />
      </MessagesProvider>
      {!snap ? null : (
        <MessagesProvider lang={customer ? customerLang : screenLang} profile={snap.profile}>
          {customer ? (
            <CustomerDisplay snap={snap} />
          ) : provisioning ? (
            <Provisioning view={provisioning} state={state} send={send} setLang={setLang} onDone={() => setProvisioned(true)} />
          ) : staffSelling ? (
            <Selling snap={snap} state={state} send={send} dismissApproval={dismissApproval} setLang={setStaffPick} onBackToSelf={() => send({ cmd: 'staffDone' })} />
          ) : self && selfOpen ? (
            <>
              <SelfCheckout snap={snap} state={state} send={send} dismissApproval={dismissApproval} setLang={setLang} onStaff={() => setStaffAsked(performance.now())} />
              {staffAsked !== null ? (
                <MessagesProvider lang={staffLang} profile={snap.profile}>
                  <StaffCheckModal state={state} since={staffAsked} send={send} onCancel={() => setStaffAsked(null)} />
                </MessagesProvider>
              ) : null}
            </>
          ) : selfClosed ? (
            <SelfClosed onStaff={() => setStaff(true)} />
          ) : snap.lane.state === 'closed' ? (
            <Closed send={send} />
          ) : snap.lane.state === 'signedOut' ? (
            <SignIn send={send} state={state} setLang={kioskStaff ? setStaffPick : setLang} />
          ) : snap.lane.state === 'signedIn' && !snap.lane.till ? (
            <OpenTill snap={snap} send={send} state={state} />
          ) : (
            <Selling snap={snap} state={state} send={send} dismissApproval={dismissApproval} setLang={setLang} />
          )}
        </MessagesProvider>
      )}
    </div>
  );
}
