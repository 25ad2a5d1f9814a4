/** Signing in on the service screen: number and PIN fields, and store IT's sign-in for IT's parts. */
import { useState } from 'react';
import { NumberPinFields } from '../shared/DigitsField';
import { useMessages } from '../shared/messages';
import { validCred, type Cred } from './use-service';

/** Number and PIN fields (the IT or supervisor sign-in of this screen). */
export function CredFields(props: { who: Cred; setWho: (c: Cred) => void; prefix: string; autoFocus?: boolean }) {
  const { who, setWho, prefix } = props;
  const { t } = useMessages();
  return (
    <NumberPinFields
      operatorLabel={t.dev.operator}
      pinLabel={t.dev.pin}
      operator={who.operator}
      setOperator={(operator) => setWho({ ...who, operator })}
      pin={who.pin}
      setPin={(pin) => setWho({ ...who, pin })}
      testids={{ operator: `${prefix}-operator`, pin: `${prefix}-pin` }}
      autoFocus={props.autoFocus}
      inForm
    />
  );
}

/** Store IT's parts need the IT number and PIN: asked for here, in place. */
export function ItSignIn(props: { denied: boolean; onCred: (c: Cred) => void }) {
  const it = useMessages().t.dev.it;
  const [who, setWho] = useState<Cred>({ operator: '', pin: '' });
  return (
    <form
      className="it-signin"
      data-testid="it-signin"
      onSubmit={(e) => {
        e.preventDefault();
        if (validCred(who)) props.onCred({ ...who });
      }}
    >
      <p className="left">
        <span aria-hidden="true">🔒 </span>
        {props.denied ? it.notIt : it.itOnly}
      </p>
      <div className="service-row">
        <CredFields who={who} setWho={setWho} prefix="it" />
        <button type="submit" className="primary" data-testid="it-signin-ok">
          {it.signInIt}
        </button>
      </div>
    </form>
  );
}
