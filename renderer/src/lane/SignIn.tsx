/** The lane before selling: closed (open it with Enter) and the cashier's sign-in. */
import { useEffect, useState } from 'react';
import type { CommandBody } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill, type Lang } from '../i18n';
import { ErrorBox, LanguageSwitch } from '../shared/common';
import { useMessages } from '../shared/messages';
import { NumberPinFields } from '../shared/DigitsField';
import type { Local } from './lane-message';

export function Closed({ send }: { send: (c: CommandBody) => boolean }) {
  const { t } = useMessages();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter') send({ cmd: 'openLane' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [send]);
  return (
    <main className="centered">
      <h1>{t.laneClosed}</h1>
      <button type="button" className="primary big" onClick={() => send({ cmd: 'openLane' })}>
        {t.openLane}
      </button>
    </main>
  );
}

export function SignIn(props: { send: (c: CommandBody) => boolean; state: TerminalState; setLang: (l: Lang) => void }) {
  const { send, state } = props;
  const { t } = useMessages();
  const [operator, setOperator] = useState('');
  const [pin, setPin] = useState('');
  const [local, setLocal] = useState<Local | null>(null);
  const submit = () => {
    if (!/^\d{1,8}$/.test(operator) || !/^\d{4,8}$/.test(pin)) return;
    if (!send({ cmd: 'signIn', operator, pin })) setLocal({ text: t.notConnected, kind: 'error', at: performance.now() });
    setPin('');
  };
  const error = state.lastError && (!local || state.lastError.at > local.at) ? fill(t.errors[state.lastError.code], state.lastError.params) : local?.text;
  return (
    <main className="centered">
      <LanguageSwitch setLang={props.setLang} />
      <h1>{t.signInTitle}</h1>
      <NumberPinFields operatorLabel={t.operatorNumber} pinLabel={t.pin} operator={operator} setOperator={setOperator} pin={pin} setPin={setPin} onSubmit={submit} testids={{ operator: 'signin-input', pin: 'pin-input' }} autoFocus />
      <button type="button" className="primary big" onClick={submit}>
        {t.signIn}
      </button>
      <ErrorBox text={error ?? null} />
    </main>
  );
}
