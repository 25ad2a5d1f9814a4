/**
 * The kiosk's scan line: a scan from the field or from anywhere on the screen (through the one
 * owner of focus and input, input/owner.ts) starts the sale and sells the item.
 */
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import { InputOwner } from '../input/owner';
import { WedgeDetector } from '../wedge';

export function useSelfScan(snap: Snapshot, send: (c: CommandBody) => boolean, o: { setStarted: (on: boolean) => void; produceOpen: boolean; setProduceOpen: (open: boolean) => void }) {
  const { setStarted, produceOpen, setProduceOpen } = o;
  const [input, setInput] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const wedge = useRef(new WedgeDetector(snap.devices.wedge));
  wedge.current.setTiming(snap.devices.wedge);

  const submit = (code: string, source: 'wedge' | 'keyboard') => {
    if (!code) return;
    setStarted(true);
    send({ cmd: 'scan', code: code.slice(0, 128), source });
  };
  const submitRef = useRef(submit);
  submitRef.current = submit;
  // The one owner of focus and input (input/owner.ts): a barcode scanned while the produce search
  // (or any other field) has the focus is never typed into it. A customer who scans while the
  // produce pictures are open gets the item: the pictures close.
  const owner = useRef<InputOwner | null>(null);
  owner.current ??= new InputOwner(snap.devices.wedge, {
    entry: () => inputRef.current,
    onScan: (code) => submitRef.current(code.trim(), 'wedge'),
    onRefused: (code) => {
      setProduceOpen(false);
      submitRef.current(code.trim(), 'wedge');
    },
  });
  owner.current.run.setTiming(snap.devices.wedge);
  // Keyboard-wedge scanners type into the scan field wherever the focus is.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (owner.current!.keydown(e)) return;
      const field = inputRef.current;
      if (!field || document.activeElement === field || produceOpen) return;
      if (document.activeElement instanceof HTMLInputElement) return;
      if ((e.key.length === 1 || e.key === 'Enter') && !e.ctrlKey && !e.metaKey && !e.altKey) field.focus();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [produceOpen]);

  const scan = () => {
    const code = input.trim();
    setInput('');
    submit(code, wedge.current.finish(code.length));
  };
  const onKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      scan();
    } else if (e.key.length === 1) wedge.current.key(e.timeStamp);
  };
  return { inputRef, input, setInput, onKeyDown };
}
