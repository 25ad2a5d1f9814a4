/**
 * Which screen shows the customer display window: none, the first screen that is not the lane's,
 * or a configured one (KASSA_CUSTOMER_DISPLAY = off | auto | <display id>). Pure, for tests.
 */
export interface ScreenInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

export function pickCustomerDisplay<D extends ScreenInfo>(displays: readonly D[], primaryId: number, setting: string | undefined): D | null {
  const s = (setting ?? 'auto').trim().toLowerCase();
  if (s === 'off' || s === 'none') return null;
  const others = displays.filter((d) => d.id !== primaryId);
  if (s === 'auto' || s === '') {
    // The largest other screen (a customer-facing monitor beats a tiny status panel).
    return [...others].sort((a, b) => b.bounds.width * b.bounds.height - a.bounds.width * a.bounds.height)[0] ?? null;
  }
  const id = Number(s);
  return Number.isInteger(id) ? (others.find((d) => d.id === id) ?? null) : null;
}

/** The customer display page: the lane's page (kassa://app/) with ?view=customer. */
export function customerDisplayUrl(laneUrl: string): string {
  const u = new URL(laneUrl);
  u.search = '?view=customer';
  u.hash = '';
  return u.toString();
}
