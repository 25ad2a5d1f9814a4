/**
 * Which lanes need attention, decided at HQ from what the fleet table holds and HQ's clock: each
 * terminal's problems, a summary count per problem, and the order the fleet page lists them in
 * (problem lanes first). Pure functions: "now" and the thresholds are parameters.
 */

/** When a lane counts as having a problem (HQ configuration: `npm run hq -- --stale-after 15m …`). */
export interface FleetThresholds {
  /** No contact (upload or check-in) for longer than this: stale. */
  staleMs: number;
  /** Sales waiting on the terminal, the oldest for longer than this: behind. */
  behindMs: number;
  /** A newer catalog, published longer ago than this, not in use: old catalog. */
  catalogLagMs: number;
  /** Enrolled longer ago than this without one sale: never sold. */
  neverSoldMs: number;
}

export const DEFAULT_FLEET_THRESHOLDS: FleetThresholds = { staleMs: 15 * 60_000, behindMs: 15 * 60_000, catalogLagMs: 15 * 60_000, neverSoldMs: 24 * 3600_000 };

/** Problems in the order the summary names them. */
export const PROBLEM_CODES = ['hqBehind', 'journal', 'quarantined', 'relayed', 'reflashed', 'stale', 'behind', 'gaps', 'alerts', 'noCatalog', 'oldCatalog', 'neverSold', 'clock'] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** How the page's summary names each problem ("2 stale, 1 never sold"). */
export const PROBLEM_LABELS: Record<ProblemCode, string> = {
  hqBehind: 'ahead of HQ (restored from a backup?)',
  journal: 'with a broken journal chain',
  quarantined: 'with quarantined sales',
  relayed: 'speaking through a peer',
  reflashed: 'recovering after a reflash',
  stale: 'stale',
  behind: 'behind',
  gaps: 'with gaps',
  alerts: 'with alerts',
  noCatalog: 'no catalog',
  oldCatalog: 'old catalog',
  neverSold: 'never sold',
  clock: 'clock off',
};

export interface Problem {
  code: ProblemCode;
  /** What is wrong, in words, for the fleet page. */
  text: string;
}

/** What HQ knows of one terminal (a row of HqStore.fleet()). */
export interface TerminalFacts {
  enrolled_at: string;
  revoked_at: string | null;
  last_contact: string | null;
  backlog_count: number | null;
  backlog_oldest: string | null;
  acked_through: number;
  gaps: number;
  alerts: unknown[];
  catalog_version: number | null;
  /** The staff list version it reported at its last check-in. */
  staff_version?: number | null;
  sales: number;
  rejected: number;
  /** The last journal chain problem HQ found (fork, rewritten or unsigned entries). */
  chain_alert: string | null;
  /** The store peer that last sent this terminal's sales on its behalf, and when. */
  relayed_by?: string | null;
  relayed_at?: string | null;
  /** When it was reflashed (hq/reflash.ts), and when HQ accepted the entry that continued its chain with the new key. */
  reflashed_at?: string | null;
  recovered_at?: string | null;
  skewFlag: boolean;
  skew_ms: number | null;
}

export interface LatestCatalog {
  version: number;
  publishedAt: string;
}

/** "40 s", "12 min", "3 h", "2 d". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

const age = (iso: string | null, now: Date): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : now.getTime() - t;
};

/** One terminal's problems, now. A revoked terminal has none (it is out of the fleet on purpose). */
export function terminalProblems(t: TerminalFacts, latest: LatestCatalog | null, now: Date, th: FleetThresholds = DEFAULT_FLEET_THRESHOLDS, hqStaffVersion = 0): Problem[] {
  if (t.revoked_at) return [];
  const out: Problem[] = [];
  // It holds more than HQ has: HQ went back (restored from an older backup). HQ's next catalog and staff change are numbered past it (hq/held.ts).
  const held = Number(t.catalog_version ?? 0);
  if (held > (latest?.version ?? 0)) out.push({ code: 'hqBehind', text: `holds catalog v${held}, newer than HQ's newest (${latest ? `v${latest.version}` : 'none'}): was HQ restored from an older backup? Publish the catalog again` });
  const staff = Number(t.staff_version ?? 0);
  if (staff > hqStaffVersion) out.push({ code: 'hqBehind', text: `holds staff list v${staff}, newer than HQ's (v${hqStaffVersion}): was HQ restored from an older backup? Make the staff changes since the backup again` });
  if (t.chain_alert) out.push({ code: 'journal', text: `journal chain: ${t.chain_alert}` });
  const quarantined = Number(t.rejected);
  if (quarantined > 0) out.push({ code: 'quarantined', text: `${quarantined} sale${quarantined === 1 ? '' : 's'} quarantined at HQ (not stored: see the reasons)` });
  // Its sales came from a store peer since it last spoke itself: the till may be wiped or dead.
  if (t.relayed_by && t.relayed_at && (t.last_contact === null || t.relayed_at > t.last_contact)) out.push({ code: 'relayed', text: `its sales were sent by store peer ${t.relayed_by} ${duration(age(t.relayed_at, now) ?? 0)} ago: the till has not sent them itself` });
  // Reflashed, its chain not yet continued at HQ: the till is getting its journal back from its peers.
  if (t.reflashed_at && !t.recovered_at) out.push({ code: 'reflashed', text: `reflashed ${duration(age(t.reflashed_at, now) ?? 0)} ago: recovering its journal from its peers` });
  const contact = age(t.last_contact, now);
  const enrolled = age(t.enrolled_at, now) ?? 0;
  if (contact === null ? enrolled > th.staleMs : contact > th.staleMs)
    out.push({ code: 'stale', text: contact === null ? `never in contact (enrolled ${duration(enrolled)} ago)` : `no contact for ${duration(contact)}` });
  const waiting = Number(t.backlog_count ?? 0);
  const oldest = age(t.backlog_oldest, now);
  if (waiting > 0 && (oldest === null || oldest > th.behindMs)) out.push({ code: 'behind', text: `${waiting} sale${waiting === 1 ? '' : 's'} waiting${oldest === null ? '' : `, oldest ${duration(oldest)}`}` });
  if (t.gaps > 0) out.push({ code: 'gaps', text: `sales missing after no. ${t.acked_through}` });
  if (t.alerts.length > 0) out.push({ code: 'alerts', text: `${t.alerts.length} open alert${t.alerts.length === 1 ? '' : 's'}` });
  const have = t.catalog_version ?? 0;
  if (latest && have === 0) out.push({ code: 'noCatalog', text: `no catalog from HQ (v${latest.version} published)` });
  else if (latest && have < latest.version && (age(latest.publishedAt, now) ?? 0) > th.catalogLagMs) out.push({ code: 'oldCatalog', text: `catalog v${have}, v${latest.version} published ${duration(age(latest.publishedAt, now) ?? 0)} ago` });
  if (Number(t.sales) === 0 && Number(t.rejected) === 0 && waiting === 0 && enrolled > th.neverSoldMs) out.push({ code: 'neverSold', text: `no sale since enrolment ${duration(enrolled)} ago` });
  if (t.skewFlag && t.skew_ms !== null) out.push({ code: 'clock', text: `clock off by ${duration(Math.abs(Number(t.skew_ms)))}` });
  return out;
}

export interface AttentionSummary {
  /** Lanes with at least one problem. */
  lanes: number;
  /** Of those, how many have each problem (only problems that occur). */
  counts: Partial<Record<ProblemCode, number>>;
  /** "2 lanes need attention: 2 stale, 1 never sold" or "All 3 lanes are fine". */
  text: string;
}

export function attentionSummary(problems: Problem[][]): AttentionSummary {
  const counts: Partial<Record<ProblemCode, number>> = {};
  let lanes = 0;
  for (const ps of problems) {
    if (ps.length) lanes++;
    for (const c of new Set(ps.map((p) => p.code))) counts[c] = (counts[c] ?? 0) + 1;
  }
  const parts = PROBLEM_CODES.filter((c) => counts[c]).map((c) => `${counts[c]} ${PROBLEM_LABELS[c]}`);
  const text = lanes === 0 ? `All ${problems.length} lane${problems.length === 1 ? ' is' : 's are'} fine` : `${lanes} lane${lanes === 1 ? ' needs' : 's need'} attention: ${parts.join(', ')}`;
  return { lanes, counts, text };
}

/** Problem lanes first (most problems first), then the others, revoked last; by store and lane within each. */
export function byAttention<T extends { store_id: string; lane_id: string; terminal_id: string; revoked_at: string | null; problems: Problem[] }>(rows: T[]): T[] {
  const rank = (r: T) => (r.revoked_at ? 1 : r.problems.length ? -r.problems.length : 0);
  return [...rows].sort((a, b) => rank(a) - rank(b) || a.store_id.localeCompare(b.store_id) || a.lane_id.localeCompare(b.lane_id, 'en', { numeric: true }) || a.terminal_id.localeCompare(b.terminal_id));
}

/** A duration as HQ's options take it: "90s", "15m", "2h", "1d" (a bare number is minutes). */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d{1,6})(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new Error(`${option} takes a duration such as 90s, 15m, 2h or 1d, got "${text}"`);
  const ms = Number(m[1]) * { s: 1_000, m: 60_000, h: 3600_000, d: 86_400_000 }[(m[2] ?? 'm') as 's' | 'm' | 'h' | 'd'];
  if (ms <= 0) throw new Error(`${option} must be more than zero`);
  return ms;
}
