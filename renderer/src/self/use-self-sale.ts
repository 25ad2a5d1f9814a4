/** The kiosk's sale around the basket: started or not, the thank-you screen, the produce pictures, cancelling, and calling staff when a command needs them. */
import { useEffect, useRef, useState } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';

/** How long the thank-you screen stays before the attract screen (nothing is at stake: the sale is done). */
const THANKS_MS = 20_000;

export function useSelfSale(snap: Snapshot, state: TerminalState, send: (c: CommandBody) => boolean, dismissApproval: () => void) {
  const co = snap.checkout;
  const [started, setStarted] = useState(false);
  const [produceOpen, setProduceOpen] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);

  // The thank-you screen after a completed sale, then back to the attract screen.
  const [thanksFor, setThanksFor] = useState<string | null>(null);
  const lastSaleId = snap.lastSale?.saleId ?? null;
  const prevSale = useRef(lastSaleId);
  useEffect(() => {
    if (lastSaleId && lastSaleId !== prevSale.current) {
      setThanksFor(lastSaleId);
      setStarted(false);
      setProduceOpen(false);
      const timer = setTimeout(() => setThanksFor(null), THANKS_MS);
      prevSale.current = lastSaleId;
      return () => clearTimeout(timer);
    }
    prevSale.current = lastSaleId;
    return undefined;
  }, [lastSaleId]);
  useEffect(() => {
    if (co) setThanksFor(null);
    else {
      // The basket ended (paid, cancelled, abandoned): the next customer starts from the welcome screen.
      setConfirmCancel(false);
      setStarted(false);
    }
  }, [co?.saleId]);

  // An unknown barcode: set aside for staff (noted for the back office, help called).
  const lastErr = state.lastError;
  useEffect(() => {
    if (lastErr?.code === 'ITEM_NOT_FOUND' && lastErr.cmd === 'scan' && typeof lastErr.params?.code === 'string') send({ cmd: 'reportMissingItem', code: lastErr.params.code });
  }, [lastErr]);

  // A command refused for want of staff (cancelling a big basket, removing an item): call them.
  useEffect(() => {
    if (!state.approvalFor) return;
    dismissApproval();
    send({ cmd: 'callHelp' });
  }, [state.approvalFor]);
  return { started, setStarted, produceOpen, setProduceOpen, confirmCancel, setConfirmCancel, thanksFor, setThanksFor };
}
