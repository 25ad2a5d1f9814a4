/** Small shared pieces of the lane UI. */
import type { KeyboardEvent as ReactKeyboardEvent, RefObject } from 'react';
import type { Line, Snapshot } from '../../../protocol/terminal';
import { fill, LANGS, paymentText, type Lang } from '../i18n';
import { useMessages } from './messages';

/** An error in words; `testid` null for one inside a form or window (the lane's message line is "message"). */
export function ErrorBox({ text, testid = 'message' }: { text: string | null; testid?: string | null }) {
  if (!text) return null;
  return (
    <div className="message error" role="alert" data-testid={testid ?? undefined}>
      <span aria-hidden="true">⚠ </span>
      {text}
    </div>
  );
}

/** A window's way back: the button Escape presses (renderer/src/input/owner.ts `[data-dismiss]`). */
export function BackButton({ onClick }: { onClick: () => void }) {
  const { t } = useMessages();
  return (
    <button type="button" className="big" data-dismiss onClick={onClick}>
      {t.back}
    </button>
  );
}

/** A window's two ways out: back (Escape), and its one primary action. */
export function BackAndAction({ onBack, label, testid, onAction }: { onBack: () => void; label: string; testid: string; onAction: () => void }) {
  return (
    <div className="modal-actions">
      <BackButton onClick={onBack} />
      <button type="button" className="primary big" data-testid={testid} onClick={onAction}>
        {label}
      </button>
    </div>
  );
}

/** Count of notes and coins, one field per denomination (float, blind close). */
export function CountGrid(props: {
  denominations: readonly number[];
  counts: Record<number, string>;
  setCounts: (f: (c: Record<number, string>) => Record<number, string>) => void;
  testidPrefix: string;
  onEnter?: () => void;
  /** The first field takes the focus (a screen that is only this count), so typing and Enter work at once. */
  autoFocus?: boolean;
}) {
  const { money } = useMessages();
  return (
    <div className="count-grid">
      {props.denominations.map((d, i) => (
        <label key={d} className="count">
          <span>{money(d)}</span>
          <input
            data-testid={`${props.testidPrefix}-${d}`}
            inputMode="numeric"
            autoComplete="off"
            autoFocus={props.autoFocus === true && i === 0}
            value={props.counts[d] ?? ''}
            aria-label={money(d)}
            onChange={(e) => props.setCounts((c) => ({ ...c, [d]: e.target.value.replace(/\D/g, '').slice(0, 5) }))}
            onKeyDown={(e) => e.key === 'Enter' && props.onEnter?.()}
          />
        </label>
      ))}
    </div>
  );
}

/** The language buttons: the profile picks the default; a cashier or customer switches here. */
export function LanguageSwitch({ setLang }: { setLang: (l: Lang) => void }) {
  const { t, lang } = useMessages();
  return (
    <div className="langs" role="group" aria-label={t.language}>
      {LANGS.map((l) => (
        <button key={l} type="button" className={l === lang ? 'lang active' : 'lang'} aria-pressed={l === lang} onClick={() => setLang(l)}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

/** A line's name with its tags: the age limit (where the screen shows it, else null) and "voided". */
export function LineName({ name, ageLimit, voided }: { name: string; ageLimit: number | null; voided: boolean }) {
  const { t } = useMessages();
  return (
    <span className="name">
      {name}
      {ageLimit ? <span className="tag">{fill(t.ageLimit, { n: ageLimit })}</span> : null}
      {voided ? <span className="tag void">{t.voided}</span> : null}
    </span>
  );
}

/** A line's promotions and discounts, each explained with what it takes off. */
export function LineDiscounts({ line }: { line: Line }) {
  const { money } = useMessages();
  if (line.voided) return null;
  return (
    <>
      {line.discounts.map((d) => (
        <div key={`${d.source}-${d.id}`} className="line-discount" data-testid="line-discount">
          <span>
            <span aria-hidden="true">★ </span>
            {d.text}
          </span>
          <span className="amount">−{money(d.amount)}</span>
        </div>
      ))}
    </>
  );
}

/** What the payment terminal shows while a card payment is under way (in the screen's language where it is a standard status). */
export function TerminalText({ payment }: { payment: Snapshot['payment'] }) {
  const { t } = useMessages();
  const text = paymentText(payment, t);
  return text ? (
    <p className="terminal-text" role="status" data-testid="terminal-text">
      {text}
    </p>
  ) : null;
}

/** The scan line: a scanner's or a person's codes (the lane's entry line also takes quantities and amounts). */
export function ScanLine(props: {
  className: string;
  inputRef: RefObject<HTMLInputElement | null>;
  input: string;
  setInput: (v: string) => void;
  onKeyDown: (e: ReactKeyboardEvent<HTMLInputElement>) => void;
}) {
  const { t } = useMessages();
  return (
    <input
      ref={props.inputRef}
      className={props.className}
      data-testid="scan-input"
      autoFocus
      autoComplete="off"
      spellCheck={false}
      placeholder={t.scanPlaceholder}
      aria-label={t.scanLabel}
      value={props.input}
      maxLength={128}
      onChange={(e) => props.setInput(e.target.value)}
      onKeyDown={props.onKeyDown}
    />
  );
}
