/**
 * The "restarting" screen: shown when the core goes away after the lane was up (a crash, an
 * update), until it is back. In Electron the main process also says what its supervisor is doing
 * (restart attempt, next try); in a browser the dropped WebSocket is enough. The basket lives in
 * the core's database, so nothing is lost meanwhile.
 */
import { useEffect, useRef, useState } from 'react';
import { CoreStateSchema, type CoreState } from '../../../protocol/terminal/process';
import type { TerminalState } from '../connection';
import { fill } from '../i18n';
import { useMessages } from './messages';

/** A short drop (a reload of the page, a quick reconnect) shows nothing. */
const GRACE_MS = 800;

function useCoreState(): CoreState | null {
  const [s, setS] = useState<CoreState | null>(null);
  useEffect(() => {
    const bridge = (window as { kassa?: { onCoreState?: unknown } }).kassa;
    if (typeof bridge?.onCoreState !== 'function') return;
    const off = (bridge.onCoreState as (cb: (s: unknown) => void) => unknown)((raw) => {
      const parsed = CoreStateSchema.safeParse(raw);
      if (parsed.success) setS(parsed.data);
    });
    return typeof off === 'function' ? (off as () => void) : undefined;
  }, []);
  return s;
}

export function Restarting({ state }: { state: TerminalState }) {
  const { t } = useMessages();
  const core = useCoreState();
  const wasOpen = useRef(false);
  const [show, setShow] = useState(false);
  if (state.status === 'open') wasOpen.current = true;
  const down = wasOpen.current && state.status !== 'open';
  useEffect(() => {
    if (!down) {
      setShow(false);
      return;
    }
    const timer = setTimeout(() => setShow(true), GRACE_MS);
    return () => clearTimeout(timer);
  }, [down]);
  const restarting = core?.state === 'restarting' || core?.state === 'failed';
  if (!show && !restarting) return null;
  return (
    <div className="restarting" role="alertdialog" aria-modal="true" aria-labelledby="restarting-title" data-testid="restarting">
      <div className="restarting-box">
        <div className="spinner" aria-hidden="true" />
        <h1 id="restarting-title">{t.kiosk.restartingTitle}</h1>
        <p>{t.kiosk.restartingBody}</p>
        {core && core.attempt > 0 ? <p className="restarting-attempt">{fill(t.kiosk.restartingAttempt, { n: core.attempt })}</p> : null}
      </div>
    </div>
  );
}
