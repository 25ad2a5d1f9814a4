/**
 * Which lanes need attention, decided at HQ with HQ's clock and its thresholds: stale, behind, gaps,
 * open alerts, no catalog or an old one, never sold, clock off; the summary count; problem lanes
 * first; thresholds as HQ's options take them.
 */
import { describe, expect, it } from 'vitest';
import { attentionSummary, byAttention, DEFAULT_FLEET_THRESHOLDS, parseDuration, terminalProblems, type TerminalFacts } from '../../hq/fleet-problems';

const NOW = new Date('2026-11-23T10:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MIN = 60_000;
const H = 60 * MIN;

/** A lane that is fine: enrolled a week ago, in contact a minute ago, selling, on the newest catalog. */
const healthy: TerminalFacts = {
  enrolled_at: ago(7 * 24 * H),
  revoked_at: null,
  last_contact: ago(MIN),
  backlog_count: 0,
  backlog_oldest: null,
  acked_through: 40,
  gaps: 0,
  alerts: [],
  catalog_version: 2,
  sales: 40,
  rejected: 0,
  chain_alert: null,
  skewFlag: false,
  skew_ms: 300,
};
const latest = { version: 2, publishedAt: ago(3 * H) };
const codes = (t: Partial<TerminalFacts>, l: typeof latest | null = latest, th = DEFAULT_FLEET_THRESHOLDS) => terminalProblems({ ...healthy, ...t }, l, NOW, th).map((p) => p.code);

describe('a lane’s problems', () => {
  it('a healthy lane has none', () => {
    expect(codes({})).toEqual([]);
  });

  it('an enrolled lane that never sold and has no catalog is not fine (it showed green "active")', () => {
    const p = terminalProblems({ ...healthy, enrolled_at: ago(2 * 24 * H), last_contact: null, catalog_version: null, sales: 0, acked_through: 0 }, latest, NOW);
    expect(p).toEqual([
      { code: 'stale', text: 'never in contact (enrolled 2 d ago)' },
      { code: 'noCatalog', text: 'no catalog from HQ (v2 published)' },
      { code: 'neverSold', text: 'no sale since enrolment 2 d ago' },
    ]);
  });

  it('stale after the threshold, with how long ago', () => {
    expect(codes({ last_contact: ago(15 * MIN) })).toEqual([]);
    expect(terminalProblems({ ...healthy, last_contact: ago(15 * MIN + 1_000) }, latest, NOW)).toEqual([{ code: 'stale', text: 'no contact for 15 min' }]);
    expect(codes({ last_contact: ago(20 * MIN) }, latest, { ...DEFAULT_FLEET_THRESHOLDS, staleMs: 30 * MIN })).toEqual([]);
    // Just enrolled, not in contact yet: not stale before the threshold either.
    expect(codes({ enrolled_at: ago(5 * MIN), last_contact: null })).toEqual([]);
  });

  it('behind when sales wait on the terminal longer than the threshold', () => {
    expect(codes({ backlog_count: 3, backlog_oldest: ago(MIN) })).toEqual([]);
    expect(terminalProblems({ ...healthy, backlog_count: 12, backlog_oldest: ago(40 * MIN) }, latest, NOW)).toEqual([{ code: 'behind', text: '12 sales waiting, oldest 40 min' }]);
  });

  it('gaps, open alerts and a clock that is off', () => {
    expect(codes({ gaps: 1, alerts: [{ code: 'DEVICE_OFFLINE' }, { code: 'DRAWER_LEFT_OPEN' }], skewFlag: true, skew_ms: -300_000 })).toEqual(['gaps', 'alerts', 'clock']);
    expect(terminalProblems({ ...healthy, gaps: 1, acked_through: 17 }, latest, NOW)[0]!.text).toBe('sales missing after no. 17');
  });

  it('an old catalog only once the newer one has had time to arrive; none when HQ has published nothing', () => {
    expect(codes({ catalog_version: 1 })).toEqual(['oldCatalog']);
    expect(codes({ catalog_version: 1 }, { version: 2, publishedAt: ago(5 * MIN) })).toEqual([]);
    expect(codes({ catalog_version: 0 }, null)).toEqual([]);
    expect(codes({ catalog_version: 0 }, { version: 1, publishedAt: ago(MIN) })).toEqual(['noCatalog']);
  });

  it('never sold counts a lane whose sales wait unsent as selling', () => {
    expect(codes({ sales: 0, acked_through: 0, backlog_count: 2, backlog_oldest: ago(MIN) })).toEqual([]);
    expect(codes({ sales: 0, acked_through: 0, enrolled_at: ago(2 * H) })).toEqual([]);
    expect(codes({ sales: 0, acked_through: 0, enrolled_at: ago(25 * H) })).toEqual(['neverSold']);
  });

  it('a revoked lane is out of the fleet on purpose: no problems', () => {
    expect(codes({ revoked_at: ago(H), last_contact: ago(30 * 24 * H) })).toEqual([]);
  });

  it('a lane holding a newer catalog or staff list than HQ has says HQ is behind it (restored from an older backup)', () => {
    const p = terminalProblems({ ...healthy, catalog_version: 5, staff_version: 9 }, latest, NOW, DEFAULT_FLEET_THRESHOLDS, 7);
    expect(p.map((x) => x.text)).toEqual([
      "holds catalog v5, newer than HQ's newest (v2): was HQ restored from an older backup? Publish the catalog again",
      "holds staff list v9, newer than HQ's (v7): was HQ restored from an older backup? Make the staff changes since the backup again",
    ]);
    expect(codes({ catalog_version: 2, staff_version: 0 })).toEqual([]);
    expect(terminalProblems({ ...healthy, staff_version: 7 }, latest, NOW, DEFAULT_FLEET_THRESHOLDS, 7)).toEqual([]);
  });
});

describe('the fleet’s summary and order', () => {
  const row = (lane: string, problems: Array<{ code: 'stale' | 'neverSold' | 'noCatalog' | 'alerts'; text: string }>, revoked = false) => ({ store_id: 's1', lane_id: lane, terminal_id: `T-${lane}`, revoked_at: revoked ? ago(H) : null, problems });
  const stale = { code: 'stale' as const, text: '' };
  const never = { code: 'neverSold' as const, text: '' };
  const noCat = { code: 'noCatalog' as const, text: '' };

  it('counts the lanes needing attention and each problem once per lane', () => {
    expect(attentionSummary([[stale, never, noCat], [stale], []])).toEqual({ lanes: 2, counts: { stale: 2, noCatalog: 1, neverSold: 1 }, text: '2 lanes need attention: 2 stale, 1 no catalog, 1 never sold' });
    expect(attentionSummary([[], []]).text).toBe('All 2 lanes are fine');
    expect(attentionSummary([[stale]]).text).toBe('1 lane needs attention: 1 stale');
  });

  it('lists problem lanes first (most problems first), then the rest by lane, revoked last', () => {
    const rows = [row('1', []), row('2', [stale]), row('10', [], true), row('3', [stale, never, noCat]), row('11', [])];
    expect(byAttention(rows).map((r) => r.lane_id)).toEqual(['3', '2', '1', '11', '10']);
  });
});

describe('thresholds as HQ’s options take them', () => {
  it('reads 90s, 15m, 2h, 1d and a bare number as minutes; refuses anything else by the option’s name', () => {
    expect([parseDuration('90s', '--x'), parseDuration('15m', '--x'), parseDuration('2h', '--x'), parseDuration('1d', '--x'), parseDuration('20', '--x')]).toEqual([90_000, 15 * MIN, 2 * H, 24 * H, 20 * MIN]);
    expect(() => parseDuration('fifteen', '--stale-after')).toThrow(/--stale-after takes a duration such as 90s, 15m, 2h or 1d, got "fifteen"/);
    expect(() => parseDuration('0m', '--stale-after')).toThrow(/more than zero/);
    expect(() => parseDuration('-5m', '--stale-after')).toThrow(/--stale-after/);
  });
});
