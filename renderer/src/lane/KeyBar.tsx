/** The function-key bar at the foot of the lane: every key's action, also by touch. */
import { useMessages } from '../shared/messages';
import type { LaneActions } from './use-lane-actions';

export function KeyBar({ actions, showVat }: { actions: LaneActions; showVat: boolean }) {
  const { t } = useMessages();
  return (
    <footer className="keybar">
      <KeyButton k="F1" label={t.keys.qty} onClick={actions.qty} />
      <KeyButton k="F2" label={t.keys.void} onClick={actions.void} />
      <KeyButton k="F3" label={t.priceCheck} onClick={actions.priceCheck} />
      <KeyButton k="F4" label={t.suspend} onClick={actions.suspend} />
      <KeyButton k="F5" label={t.keys.discount} onClick={() => actions.discount(false)} />
      <KeyButton k="⇧F5" label={t.keys.saleDiscount} onClick={() => actions.discount(true)} />
      <KeyButton k="F6" label={showVat ? t.hideVat : t.showVat} onClick={actions.vat} />
      <KeyButton k="F11" label={t.keys.cancel} onClick={actions.cancel} />
      <KeyButton k="F8" label={t.keys.subtotal} onClick={actions.subtotal} />
      <KeyButton k="F10" label={t.keys.cash} onClick={actions.cash} />
      <KeyButton k="Esc" label={t.keys.back} onClick={actions.back} />
    </footer>
  );
}

function KeyButton({ k, label, onClick }: { k: string; label: string; onClick: () => void }) {
  return (
    <button type="button" className="key" onClick={onClick} aria-keyshortcuts={k === 'Esc' ? 'Escape' : k}>
      <kbd>{k}</kbd>
      <span>{label}</span>
    </button>
  );
}
