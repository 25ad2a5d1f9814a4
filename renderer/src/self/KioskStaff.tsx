/** A kiosk's ways in for staff: the closed screen (staff sign in to open it) and the staff check (number and PIN) before its staff screens. */
import type { CommandBody } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill } from '../i18n';
import { useMessages } from '../shared/messages';
import { PinModal } from '../shared/PinModal';

export function SelfClosed({ onStaff }: { onStaff: () => void }) {
  const { t } = useMessages();
  return (
    <main className="self centered" data-testid="self-closed">
      <h1>{t.kiosk.closedTitle}</h1>
      <p className="self-lead">{t.kiosk.closedBody}</p>
      <button type="button" className="big" data-testid="staff-sign-in" onClick={onStaff}>
        {t.kiosk.staffSignIn}
      </button>
    </main>
  );
}

/** Staff prove who they are on the kiosk; `since` is when they asked (older errors are not theirs). */
export function StaffCheckModal(props: { state: TerminalState; since: number; send: (c: CommandBody) => boolean; onCancel: () => void }) {
  const { state } = props;
  const { t } = useMessages();
  return (
    <PinModal
      testid="staff-check"
      title={t.kiosk.staffSignIn}
      body=""
      withOperator
      operatorLabel={t.supervisorNumber}
      error={state.lastError && state.lastError.at > props.since && state.lastError.cmd === 'staffCheck' ? fill(t.errors[state.lastError.code], state.lastError.params) : null}
      submitLabel={t.signIn}
      onSubmit={(operator, pin) => props.send({ cmd: 'staffCheck', approval: { operator, pin } })}
      onCancel={props.onCancel}
    />
  );
}
