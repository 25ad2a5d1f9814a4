/** The on-screen keypad: types into the entry line (C clears it). */
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
