/**
 * First-boot provisioning (store IT setting up a till without identity): "insert the USB stick",
 * or type/scan the provisioning code; then the steps as the core reports them (enrolled, a
 * reflashed lane's sales back from the other tills, catalog x of y items, devices found) and
 * "ready to sell" — or what went wrong, what to do, and "try again". One thing per screen.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CommandBody, ProvisioningView } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill, type Lang, type Messages } from '../i18n';
import { ErrorBox, LanguageSwitch } from '../shared/common';
import { useMessages } from '../shared/messages';

type StepKey = 'reading' | 'enrolling' | 'recovering' | 'catalog' | 'devices' | 'ready';
const ORDER: StepKey[] = ['reading', 'enrolling', 'recovering', 'catalog', 'devices', 'ready'];

/** The typed/scanned code: a keyboard or a scanner typing into the field, Enter sends it. */
function CodeEntry({ send, primary }: { send: (c: CommandBody) => boolean; primary: boolean }) {
  const { t } = useMessages();
  const p = t.provisioning;
  const [text, setText] = useState('');
  const field = useRef<HTMLInputElement>(null);
  // A scanner types wherever the focus is: a key typed outside a field goes to the code field (the key itself lands there).
  useEffect(() => {
    if (!primary) return undefined;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key.length !== 1 || e.ctrlKey || e.altKey || e.metaKey || target?.closest('input, textarea, select')) return;
      field.current?.focus();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [primary]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === '') return;
    if (send({ cmd: 'provisionSubmit', text: text.trim() })) setText('');
  };
  return (
    <form className="prov-code" onSubmit={submit}>
      <label className="field">
        <span>{p.scanLabel}</span>
        <input ref={field} data-testid="prov-code" className="entry" value={text} onChange={(e) => setText(e.target.value)} autoFocus={primary} autoComplete="off" spellCheck={false} autoCapitalize="off" />
      </label>
      <p className="prov-hint">{p.scanHint}</p>
      <button type="submit" data-testid="prov-submit" className={primary ? 'primary big' : 'big'}>
        {p.submit}
      </button>
    </form>
  );
}

/** Where a reflashed lane's sales come back from, and how many came. */
function recoveryText(r: ProvisioningView['recovery'], s: Messages['provisioning']['steps'], n: (v: number) => string): string {
  if (!r) return s.recovering;
  if (r.sales === null) return r.source === 'hq' ? s.recoveringHq : s.recovering;
  if (r.source === 'hq') return fill(s.recoveredHq, { sales: n(r.sales) });
  return r.fromLane ? fill(s.recovered, { sales: n(r.sales), lane: r.fromLane }) : s.recoveredNone;
}

/** The steps as the core reports them; after a failure only those reached (the one that failed last). */
function Steps({ view }: { view: ProvisioningView }) {
  const { t, locale } = useMessages();
  const s = t.provisioning.steps;
  const n = (v: number) => new Intl.NumberFormat(locale).format(v);
  const current = ORDER.indexOf(view.step ?? 'reading');
  const reflash = view.enrolled?.reflash === true || view.recovery !== null || view.step === 'recovering';
  const text: Record<StepKey, string> = {
    reading: view.source === 'usb' ? t.provisioning.fromUsb : view.source === 'typed' ? t.provisioning.fromTyped : s.reading,
    enrolling: view.enrolled ? fill(s.enrolled, { store: view.enrolled.storeId, lane: view.enrolled.laneId }) : s.enrolling,
    recovering: recoveryText(view.recovery, s, n),
    catalog: view.catalog ? fill(s.catalog, { done: n(view.catalog.done), total: n(view.catalog.total) }) : s.catalogWaiting,
    devices: view.devices ? (view.devices.found > 0 ? fill(s.devices, { n: n(view.devices.found) }) : s.devicesNone) : fill(s.devices, { n: '…' }),
    ready: s.ready,
  };
  return (
    <ol className="prov-steps" data-testid="prov-steps">
      {ORDER.filter((k) => (k !== 'recovering' || reflash) && !(view.phase === 'failed' && ORDER.indexOf(k) > current)).map((k) => {
        const i = ORDER.indexOf(k);
        const state = i < current || view.phase === 'ready' ? 'done' : i > current ? 'todo' : view.phase === 'failed' ? 'failed' : 'now';
        const mark = { done: '✓', now: '…', todo: '○', failed: '✕' }[state];
        return (
          <li key={k} className={`prov-step ${state}`} data-testid={`prov-step-${k}`} data-state={state}>
            <span className="prov-mark" aria-hidden="true">
              {mark}
            </span>
            <span className="prov-text">
              {state === 'failed' ? text[k].replace(/\s*…$/, '') : text[k]}
              {k === 'enrolling' && view.enrolled ? <small>{fill(s.terminal, { id: view.enrolled.terminalId })}</small> : null}
              {k === 'devices' && view.devices && view.devices.names.length > 0 ? <small>{view.devices.names.slice(0, 4).join(' · ')}</small> : null}
              {k === 'catalog' && view.catalog && view.catalog.total > 0 && state !== 'done' ? <progress max={view.catalog.total} value={view.catalog.done} aria-label={text.catalog} /> : null}
              {k === 'catalog' && view.staff ? (
                <small className={view.staff.count === 0 ? 'prov-warn' : undefined} data-testid="prov-staff">
                  {view.staff.count > 0 ? fill(s.staff, { n: n(view.staff.count) }) : s.staffNone}
                </small>
              ) : null}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export function Provisioning(props: { view: ProvisioningView; send: (c: CommandBody) => boolean; state: TerminalState; setLang: (l: Lang) => void; onDone: () => void }) {
  const { view, send, state } = props;
  const { t } = useMessages();
  const p = t.provisioning;
  const coreError = state.lastError && (state.lastError.cmd === 'provisionSubmit' || state.lastError.cmd === 'provisionRetry') ? fill(t.errors[state.lastError.code], state.lastError.params) : null;
  const failure = view.phase === 'failed' && view.failure ? p.failures[view.failure.code] : null;
  return (
    <main className="provisioning" data-testid="provisioning" data-phase={view.phase}>
      <header className="prov-head">
        <h1>{p.title}</h1>
        <LanguageSwitch setLang={props.setLang} />
      </header>
      {view.phase === 'waiting' ? (
        <>
          <section className="prov-stick" data-testid="prov-stick">
            <span className="prov-icon" aria-hidden="true">
              ⇩
            </span>
            <h2>{p.insertStick}</h2>
            <p>{view.dirs.length ? fill(p.lookingIn, { dirs: view.dirs.join(', ') }) : p.lookingNowhere}</p>
          </section>
          <p className="prov-or">{p.or}</p>
          <CodeEntry send={send} primary />
        </>
      ) : view.phase === 'ready' ? (
        <section className="prov-ready" data-testid="prov-ready">
          <h2>
            <span aria-hidden="true">✓ </span>
            {p.ready}
          </h2>
          <Steps view={view} />
          <p>{p.readyNext}</p>
          <button type="button" className="primary big" data-testid="prov-to-signin" onClick={props.onDone} autoFocus>
            {p.toSignIn}
          </button>
        </section>
      ) : view.phase === 'failed' && failure && view.failure ? (
        <>
          <h2 className="prov-status">{p.failedTitle}</h2>
          <div className="message error prov-failure" role="alert" data-testid="prov-failure" data-code={view.failure.code}>
            <strong>
              <span aria-hidden="true">⚠ </span>
              {failure.what}
            </strong>
            <p>{failure.todo}</p>
            <details>
              <summary>{p.detail}</summary>
              <code data-testid="prov-detail">{view.failure.detail}</code>
            </details>
          </div>
          <button type="button" className="primary big" data-testid="prov-retry" onClick={() => send({ cmd: 'provisionRetry' })} autoFocus>
            {p.tryAgain}
          </button>
          <Steps view={view} />
          {view.enrolled ? null : (
            <>
              <p className="prov-or">{p.or}</p>
              <CodeEntry send={send} primary={false} />
            </>
          )}
        </>
      ) : (
        <>
          <h2 className="prov-status">{p.working}</h2>
          <Steps view={view} />
        </>
      )}
      <ErrorBox text={coreError} testid="prov-error" />
    </main>
  );
}
