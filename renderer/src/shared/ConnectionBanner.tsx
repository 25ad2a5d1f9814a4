/** Says when the lane has no connection to its core (or is still connecting); otherwise only a hidden state for tests and screen readers. */
import type { TerminalState } from '../connection';
import { useMessages } from './messages';

export function ConnectionBanner({ state }: { state: TerminalState }) {
  const { t } = useMessages();
  if (state.status === 'open')
    return (
      <span className="sr-only" data-testid="connection-state" data-status="open">
        {t.connected}
      </span>
    );
  return (
    <div className="banner" role="status" data-testid="connection-state">
      <span aria-hidden="true">⟳ </span>
      {state.status === 'no-connection-info' ? t.notConnected : t.connecting}
    </div>
  );
}
