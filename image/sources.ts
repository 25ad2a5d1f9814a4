/** The Debian release the image is built from, and where its packages come from. */
export const SUITE = 'bookworm';

/**
 * Where the packages come from: Debian's live mirror, or with --snapshot one moment of
 * snapshot.debian.org's archive — the same package versions whenever the build runs, so the same
 * commit and snapshot give the same image years later (image:repro checks two builds alike).
 */
export function aptSources(snapshot: string | null): string[] {
  if (snapshot === null) return [`deb http://deb.debian.org/debian ${SUITE} main`, `deb http://deb.debian.org/debian ${SUITE}-updates main`, `deb http://deb.debian.org/debian-security ${SUITE}-security main`];
  if (!/^\d{8}T\d{6}Z$/.test(snapshot)) throw new Error(`--snapshot takes a snapshot.debian.org time like 20261201T000000Z (got ${snapshot})`);
  const archive = (name: string) => `http://snapshot.debian.org/archive/${name}/${snapshot}`;
  // A snapshot's Release files are past their Valid-Until by design: apt is told to accept them (signatures still checked).
  return [`deb [check-valid-until=no] ${archive('debian')} ${SUITE} main`, `deb [check-valid-until=no] ${archive('debian')} ${SUITE}-updates main`, `deb [check-valid-until=no] ${archive('debian-security')} ${SUITE}-security main`];
}
