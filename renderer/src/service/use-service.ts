/**
 * The service screen's state: who may use it (IT or a supervisor signed in, or credentials given
 * on the screen and held in memory until it closes), what the core answered, and the commands it
 * sends while open (the devices read again every two seconds).
 */
import { useEffect, useRef, useState } from 'react';
import type { CommandBody, DeviceConfigResult, DeviceInfo, DeviceTestResult, DiagnosticsResult, ServiceInfo, ServiceLog, Snapshot } from '../../../protocol/terminal';
import type { LastAck, TerminalState } from '../connection';

export type Tab = 'devices' | 'log' | 'config' | 'diagnostics';
export type Cred = { operator: string; pin: string };

export const validCred = (c: Cred) => /^\d{1,8}$/.test(c.operator) && /^\d{4,8}$/.test(c.pin);

type Send = (c: CommandBody) => boolean;

function useServiceAccess(snap: Snapshot) {
  // IT or a supervisor signed in needs nothing more; anyone else asks one to sign in here, and their
  // credentials go with this screen's commands until it closes (held in memory only).
  const trusted = snap.lane.role === 'it' || snap.lane.role === 'supervisor';
  const [cred, setCred] = useState<Cred | null>(null);
  // Credentials the core accepted (its deviceInfo answer came back): only then do IT's commands go
  // out with them, so a wrong PIN counts once towards the lockout.
  const [verified, setVerified] = useState<Cred | null>(null);
  const credRef = useRef(cred);
  credRef.current = cred;
  const [who, setWho] = useState<Cred>({ operator: '', pin: '' });
  const auth = cred ? { approval: cred } : {};
  const authRef = useRef(auth);
  authRef.current = auth;
  const ready = trusted || cred !== null;
  // Store IT's parts: IT signed in on the lane, or IT's credentials given here (a supervisor's are refused by the core).
  const [itDenied, setItDenied] = useState(false);
  // Credentials the core took as IT's (its serviceInfo answer came back): until then IT's parts stay
  // locked, so a supervisor's number never shows them open while the core is still answering.
  const [itAccepted, setItAccepted] = useState<Cred | null>(null);
  const tryIt = cred ? !itDenied : snap.lane.role === 'it';
  const isIt = tryIt && (cred === null || itAccepted === cred);
  const itReady = ready && tryIt && (cred === null || verified === cred);
  // Only with credentials the core has accepted: a wrong PIN must not be sent again every two seconds.
  const readyRef = useRef(ready);
  readyRef.current = trusted || (cred !== null && verified === cred);
  return { cred, setCred, setVerified, credRef, who, setWho, auth, authRef, ready, itDenied, setItDenied, setItAccepted, isIt, itReady, readyRef };
}

function useServiceResults() {
  const [info, setInfo] = useState<DeviceInfo | null>(null);
  const [outcome, setOutcome] = useState<DeviceTestResult['deviceTest'] | null>(null);
  const [service, setService] = useState<ServiceInfo | null>(null);
  const [log, setLog] = useState<ServiceLog | null>(null);
  const [config, setConfig] = useState<DeviceConfigResult | null>(null);
  const [configOutcome, setConfigOutcome] = useState<DeviceConfigResult | null>(null);
  const [diag, setDiag] = useState<DiagnosticsResult | null>(null);
  const [exitDone, setExitDone] = useState(false);
  return { info, setInfo, outcome, setOutcome, service, setService, log, setLog, config, setConfig, configOutcome, setConfigOutcome, diag, setDiag, exitDone, setExitDone };
}

type Access = ReturnType<typeof useServiceAccess>;
type Results = ReturnType<typeof useServiceResults>;

export function useServiceScreen(snap: Snapshot, state: TerminalState, send: Send) {
  const [opened] = useState(() => performance.now());
  const access = useServiceAccess(snap);
  const [tab, setTab] = useState<Tab>('devices');
  const results = useServiceResults();
  const seen = useRef<unknown>(null);
  const sendIt = (c: CommandBody) => send({ ...c, ...access.authRef.current } as CommandBody);
  const { ready, cred, itReady } = access;
  useEffect(() => {
    if (ready) send({ cmd: 'deviceInfo', ...access.auth });
  }, [ready, cred]);
  useEffect(() => {
    if (itReady) sendIt({ cmd: 'serviceInfo' });
  }, [itReady]);
  useEffect(() => {
    if (!itReady) return;
    if (tab === 'log') sendIt({ cmd: 'serviceLog' });
    if (tab === 'config' && !results.config) sendIt({ cmd: 'deviceConfig' });
  }, [tab, itReady]);
  // Wrong credentials: ask again. Credentials that are not IT's: IT's parts ask for IT's.
  useEffect(() => {
    const e = state.lastError;
    if (!e || e.at < opened) return;
    if (e.code === 'APPROVAL_DENIED' && e.params?.role === 'it') access.setItDenied(true);
    else if (e.code === 'APPROVAL_DENIED' || e.code === 'BAD_CREDENTIALS' || e.code === 'OPERATOR_LOCKED_OUT') access.setCred(null);
  }, [state.lastError]);
  // While the screen is open the devices and their printouts are read again every two seconds:
  // the states are live, and a test page shows once the printer has finished the receipts queued
  // before it, however long that takes. (Right after a test or a saved configuration, once more at once.)
  const refreshSoon = () => {
    if (access.readyRef.current) send({ cmd: 'deviceInfo', ...access.authRef.current });
  };
  useEffect(() => {
    const timer = setInterval(refreshSoon, 2_000);
    return () => clearInterval(timer);
  }, []);
  // Acks for our commands after the screen opened.
  useEffect(() => {
    const a = state.lastAck;
    if (!a || a.at < opened || a === seen.current) return;
    seen.current = a;
    takeAck(a, access, results, sendIt, refreshSoon);
  }, [state.lastAck]);
  return { opened, access, results, tab, setTab, sendIt };
}

/** One answer of the core to this screen's commands (each result typed by its command). */
function takeAck(a: LastAck, access: Access, r: Results, sendIt: (c: CommandBody) => boolean, refreshSoon: () => void): void {
  if (a.cmd === 'exitKiosk') return r.setExitDone(true);
  if (a.cmd === 'deviceInfo' && a.result) {
    r.setInfo(a.result);
    access.setVerified(access.credRef.current);
  } else if (a.cmd === 'serviceInfo' && a.result) {
    r.setService(a.result.serviceInfo);
    access.setItAccepted(access.credRef.current);
  }
  else if (a.cmd === 'serviceLog' && a.result) r.setLog(a.result.serviceLog);
  else if (a.cmd === 'exportDiagnostics' && a.result) r.setDiag(a.result.diagnostics);
  else if (a.cmd === 'deviceConfig' && a.result) r.setConfig(a.result.deviceConfig);
  else if (a.cmd === 'saveDeviceConfig' && a.result) {
    r.setConfigOutcome(a.result.deviceConfig);
    if (a.result.deviceConfig.saved) {
      // The new devices and their test buttons, and the file it now lives in.
      sendIt({ cmd: 'deviceConfig' });
      sendIt({ cmd: 'serviceInfo' });
      refreshSoon();
    }
  } else if (a.cmd === 'deviceTest' && a.result) {
    r.setOutcome(a.result.deviceTest);
    refreshSoon(); // show what the test printed
  }
}
