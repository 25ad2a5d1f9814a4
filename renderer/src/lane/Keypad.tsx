/** The entry line (scans, quantities, amounts, codes) and the on-screen keypad that types into it. */
import type { KeyboardEvent as ReactKeyboardEvent, RefObject } from 'react';
import { useMessages } from '../shared/messages';

export function EntryLine(props: { inputRef: RefObject<HTMLInputElement | null>; input: string; setInput: (v: string) => void; onKeyDown: (e: ReactKeyboardEvent<HTMLInputElement>) => void }) {
  const { t } = useMessages();
  return (
    <input
      ref={props.inputRef}
      className="entry"
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

export function Keypad({ onKey }: { onKey: (k: string) => void }) {
  const keys = ['7', '8', '9', '4', '5', '6', '1', '2', '3', 'C', '0', ','];
  return (
    <div className="keypad">
      {keys.map((k) => (
        <button key={k} type="button" className="pad" onClick={() => onKey(k)} aria-label={k === 'C' ? 'Clear' : k}>
          {k}
        </button>
      ))}
    </div>
  );
}
