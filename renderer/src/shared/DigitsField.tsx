/** The one digits-only field (operator numbers, PINs) and the number + PIN pair every sign-in uses. */
import { useRef, type Ref } from 'react';

/** A labelled digits-only field: at most 8 digits; Enter calls onEnter (moves on, or submits). */
export function DigitsField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  onEnter?: () => void;
  testid: string;
  secret?: boolean;
  autoFocus?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  /** Inside a form: Enter goes no further (it never submits a half-typed form). */
  holdEnter?: boolean;
}) {
  const { onEnter, holdEnter } = props;
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        ref={props.inputRef}
        data-testid={props.testid}
        autoFocus={props.autoFocus}
        type={props.secret ? 'password' : 'text'}
        inputMode="numeric"
        autoComplete="off"
        value={props.value}
        aria-label={props.label}
        onChange={(e) => props.onChange(e.target.value.replace(/\D/g, '').slice(0, 8))}
        onKeyDown={
          onEnter
            ? (e) => {
                if (e.key !== 'Enter') return;
                if (holdEnter) {
                  e.preventDefault();
                  e.stopPropagation();
                }
                onEnter();
              }
            : undefined
        }
      />
    </label>
  );
}

/**
 * An operator's number (unless withOperator is false) and PIN: Enter after the number moves on to
 * the PIN, Enter after the PIN calls onSubmit (without it, a surrounding form submits).
 */
export function NumberPinFields(props: {
  operatorLabel: string;
  pinLabel: string;
  operator: string;
  setOperator: (v: string) => void;
  pin: string;
  setPin: (v: string) => void;
  onSubmit?: () => void;
  testids: { operator: string; pin: string };
  autoFocus?: boolean;
  withOperator?: boolean;
  /** Inside a form: Enter after the number only moves on. */
  inForm?: boolean;
}) {
  const pinRef = useRef<HTMLInputElement>(null);
  const withOperator = props.withOperator !== false;
  return (
    <>
      {withOperator ? (
        <DigitsField
          label={props.operatorLabel}
          value={props.operator}
          onChange={props.setOperator}
          onEnter={() => pinRef.current?.focus()}
          holdEnter={props.inForm}
          testid={props.testids.operator}
          autoFocus={props.autoFocus}
        />
      ) : null}
      <DigitsField label={props.pinLabel} value={props.pin} onChange={props.setPin} onEnter={props.onSubmit} testid={props.testids.pin} secret autoFocus={props.autoFocus && !withOperator} inputRef={pinRef} />
    </>
  );
}
