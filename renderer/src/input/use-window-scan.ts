/** A window that takes some scans made while it is open (a supervisor badge, a receipt barcode): input/owner.ts. */
import { useEffect, useRef, type RefObject } from 'react';
import { SCAN_EVENT } from './owner';

/** `take` returns true when the code is for this window; otherwise the scan is refused on screen. */
export function useWindowScan(ref: RefObject<HTMLElement | null>, take: (code: string) => boolean): void {
  const takeRef = useRef(take);
  takeRef.current = take;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const on = (e: Event) => {
      if (takeRef.current((e as CustomEvent<string>).detail)) e.preventDefault();
    };
    el.addEventListener(SCAN_EVENT, on);
    return () => el.removeEventListener(SCAN_EVENT, on);
  }, [ref]);
}
