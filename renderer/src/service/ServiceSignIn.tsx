/** Signing in on the service screen: number and PIN fields, and store IT's sign-in for IT's parts. */
import { useRef, useState } from 'react';
import { useMessages } from '../shared/messages';
import { validCred, type Cred } from './use-service';

/** Number and PIN fields (the IT or supervisor sign-in of this screen). */
export function CredFields(props: { who: Cred; setWho: (c: Cred) => void; prefix: string; autoFocus?: boolean }) {
  const { who, setWho, prefix } = props;
  const { t } = useMessages();
  const pinRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <label className="field">
        <span>{t.dev.operator}</span>
        <input
          autoFocus={props.autoFocus}
          inputMode="numeric"
          autoComplete="off"
          value={who.operator}
          onChange={(e) => setWho({ ...who, operator: e.target.value.replace(/\D/g, '').slice(0, 8) })}
          // Enter after the number goes on to the PIN (it never signs in with a half-typed form).
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            e.stopPropagation();
            pinRef.current?.focus();
          }}
          data-testid={`${prefix}-operator`}
        />
      </label>
      <label className="field">
        <span>{t.dev.pin}</span>
        <input ref={pinRef} type="password" inputMode="numeric" autoComplete="off" value={who.pin} onChange={(e) => setWho({ ...who, pin: e.target.value.replace(/\D/g, '').slice(0, 8) })} data-testid={`${prefix}-pin`} />
      </label>
    </>
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
