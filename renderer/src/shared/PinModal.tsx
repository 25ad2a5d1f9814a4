/** The PIN window (unlock, supervisor approval, a kiosk's staff check). */
import { useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useWindowScan } from '../input/use-window-scan';
import { BackButton, ErrorBox } from './common';
import { NumberPinFields } from './DigitsField';
import { useMessages } from './messages';

/** A modal asking for one operator's PIN (unlock) or a supervisor's number + PIN (approval). */
export function PinModal(props: {
  title: string;
  body: string;
  withOperator: boolean;
  operatorLabel: string;
  error: string | null;
  submitLabel: string;
  onSubmit: (operator: string, pin: string) => void;
  /** When set, a supervisor badge can be scanned instead of number + PIN. */
  onBadge?: (badge: string) => void;
  onCancel?: () => void;
  testid: string;
}) {
  const { t } = useMessages();
  const [badge, setBadge] = useState('');
  const [operator, setOperator] = useState('');
  const [pin, setPin] = useState('');
  const dialogRef = useRef<HTMLDivElement>(null);
  // A supervisor badge scanned while the focus is in the number or PIN field is taken as the badge.
  useWindowScan(dialogRef, (code) => {
    if (!props.onBadge || !/^B[A-Za-z0-9_-]{20,64}$/.test(code)) return false;
    props.onBadge(code);
    return true;
  });
  const submit = () => {
    if ((props.withOperator && !/^\d{1,8}$/.test(operator)) || !/^\d{4,8}$/.test(pin)) return;
    props.onSubmit(operator, pin);
    setPin('');
  };
  const onKey = (e: ReactKeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape' && props.onCancel) props.onCancel();
  };
  return (
    <div className="modal-backdrop">
      <div ref={dialogRef} className="modal" role="dialog" aria-modal="true" aria-labelledby={`${props.testid}-title`} data-testid={props.testid} onKeyDown={onKey}>
        <h2 id={`${props.testid}-title`}>{props.title}</h2>
        <p>{props.body}</p>
        <NumberPinFields
          operatorLabel={props.operatorLabel}
          pinLabel={t.pin}
          operator={operator}
          setOperator={setOperator}
          pin={pin}
          setPin={setPin}
          onSubmit={submit}
          testids={{ operator: `${props.testid}-operator`, pin: `${props.testid}-pin` }}
          withOperator={props.withOperator}
          autoFocus
        />
        {props.onBadge ? (
          <label className="field">
            <span>{t.badge}</span>
            <input
              type="password"
              data-scan-field
              data-testid={`${props.testid}-badge`}
              autoComplete="off"
              value={badge}
              aria-label={t.badge}
              onChange={(e) => setBadge(e.target.value.trim().slice(0, 80))}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && /^B[A-Za-z0-9_-]{20,64}$/.test(badge)) {
                  props.onBadge?.(badge);
                  setBadge('');
                }
              }}
            />
          </label>
        ) : null}
        <ErrorBox text={props.error} testid={null} />
        <div className="modal-actions">
          {props.onCancel ? (
            <BackButton onClick={props.onCancel} />
          ) : null}
          <button type="button" className="primary big" onClick={submit}>
            {props.submitLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
