/**
 * HQ storage, the same logic on SQLite and PostgreSQL: enrollment tokens and terminals, request
 * nonces (replay protection), and sales ingest — idempotent on (terminal, sequence) and on sale id,
 * acknowledging the highest contiguous sequence, recording gaps, clock skew and backlog.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EnrollRequest, EnrollResponse, SalesAck, SalesBatch } from '../protocol/hq';
import type { Checkin, SignedManifest } from '../protocol/catalog';
import type { CheckinAnswer } from '../protocol/roster';
import type { Sql } from './sql';
import { systemClock, type Clock } from '../core/clock';
import { checkPiece, JournalKeys, recordKeyFacts } from './keys';
import { SalePartitions } from './pg-ingest';
import { insertNewSales } from './batch-insert';
import { chainHead, joinChain, quarantineRow, type Quarantined } from './chain-join';
import { loadOrCreateRosterSigner, storeRoster, type RosterSigner } from './roster';
import { recordRelayed } from './relay';
import { staffOffer } from './staff';
import { legalOffer } from './store-legal';
import { HqError } from './errors';
import { checkExpected, reflash, reflashTarget } from './reflash';

export { HqError };
export interface TerminalRow {
  terminal_id: string;
  store_id: string;
  lane_id: string;
  public_key: string;
  software_version: string | null;
  enrolled_at: string;
  revoked_at: string | null;
  acked_through: number;
  max_sequence: number;
  /** The terminal's journal signing key (raw Ed25519, base64url) and the head of its chain HQ has checked. */
  journal_key: string | null;
  chain_seq: number;
  chain_hash: string | null;
  chain_outage: number;
  /** The last chain problem (a fork, a rewritten or unsigned journal) and when HQ saw it. */
  chain_alert: string | null;
  chain_alert_at: string | null;
  /** Sales stored and refusals recorded for this terminal, kept by ingest. */
  sales_count: number;
  rejected_count: number;
  last_contact: string | null;
  last_clock: string | null;
  skew_ms: number | null;
  backlog_count: number | null;
  backlog_oldest: string | null;
  catalog_version: number | null;
  catalog_expires_at: string | null; staff_version: number | null;
  /** JSON: the devices and open alerts the terminal reported at its last check-in. */
  devices: string | null;
  alerts: string | null;
  checkin_at: string | null;
  /** Where its peer listener is (host:port), as it last reported at check-in. */
  peer_address: string | null;
  /** The store peer that last sent sales on its behalf (it had not sent them itself), and when. */
  relayed_by: string | null; relayed_at: string | null;
  /** When it was last reflashed (hq/reflash.ts), and when HQ accepted the entry that moved its chain to the new key. */
  reflashed_at: string | null; recovered_at: string | null;
}

export interface CatalogVersionRow {
  version: number;
  published_at: string;
  items: number;
  full: SignedManifest;
  full_sha256: string;
  delta: SignedManifest | null;
  delta_sha256: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Clock difference above which a terminal is flagged. */
export const SKEW_FLAG_MS = 120_000;

export class HqStore {
  /** PostgreSQL's monthly sale partitions (hq/pg-ingest.ts). */
  private readonly partitions = new SalePartitions();
  /** Terminals' journal keys as key objects (made once each). */
  private readonly journalKeys = new JournalKeys();
  /** HQ's roster key, read (or made) once from the database. */
  private rosterSigner: Promise<RosterSigner> | null = null;

  /** HQ's clock (core/clock.ts): request ages, token expiry, receipt times, clock skew. */
  readonly now: Clock;
  constructor(
    readonly sql: Sql,
    opts: { now?: Clock } = {},
  ) {
    this.now = opts.now ?? systemClock;
  }

  /** `reflash`: the token re-enrolls the terminal enrolled for the lane (a reflashed till, hq/reflash.ts); refused when there is none. */
  async createEnrollmentToken(storeId: string, laneId: string, ttlMs = 24 * 3600_000, now = this.now(), opts: { reflash?: boolean } = {}): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const replaces = opts.reflash ? await reflashTarget(this.sql, storeId, laneId) : null;
    await this.sql.query('INSERT INTO enrollment_token (token_hash, store_id, lane_id, expires_at, replaces_terminal_id) VALUES ($1, $2, $3, $4, $5)', [
      sha256(token), storeId, laneId, new Date(now.getTime() + ttlMs).toISOString(), replaces,
    ]);
    return token;
  }

  /** HQ's roster key (hq/roster.ts): the store rosters are signed with it. */
  roster(): Promise<RosterSigner> {
    this.rosterSigner ??= loadOrCreateRosterSigner(this.sql, this.now()).catch((err: unknown) => {
      this.rosterSigner = null;
      throw err;
    });
    return this.rosterSigner;
  }

  async enroll(req: EnrollRequest, now = this.now()): Promise<EnrollResponse> {
    const signer = await this.roster();
    const rosterKey = signer.publicKey;
    return this.sql.tx(async (q) => {
      type Token = { store_id: string; lane_id: string; expires_at: string; used_at: string | null; replaces_terminal_id: string | null };
      const [t] = await q.query<Token>('SELECT store_id, lane_id, expires_at, used_at, replaces_terminal_id FROM enrollment_token WHERE token_hash = $1', [sha256(req.token)]);
      if (!t) throw new HqError(403, 'ENROLL_REFUSED', 'unknown enrollment token');
      if (t.used_at) throw new HqError(403, 'ENROLL_REFUSED', 'this enrollment token was already used');
      if (t.expires_at < now.toISOString()) throw new HqError(403, 'ENROLL_REFUSED', 'this enrollment token has expired');
      checkExpected(req.expect, t); // a stick labelled for another lane: refused before the token is used (still good for its own)
      const [dup] = await q.query('SELECT terminal_id FROM terminal WHERE public_key = $1', [req.publicKey]);
      if (dup) throw new HqError(409, 'KEY_IN_USE', 'this public key is already enrolled');
      await q.query('UPDATE enrollment_token SET used_at = $1 WHERE token_hash = $2', [now.toISOString(), sha256(req.token)]);
      const replaces = t.replaces_terminal_id;
      if (replaces) return { terminalId: replaces, storeId: t.store_id, laneId: t.lane_id, rosterKey, reflash: await reflash(q, replaces, t, req, signer, now) };
      const terminalId = `T-${randomUUID()}`;
      await q.query('INSERT INTO terminal (terminal_id, store_id, lane_id, public_key, journal_key, software_version, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        terminalId, t.store_id, t.lane_id, req.publicKey, req.journalKey, req.softwareVersion, now.toISOString(),
      ]);
      return { terminalId, storeId: t.store_id, laneId: t.lane_id, rosterKey };
    });
  }

  async terminal(terminalId: string): Promise<TerminalRow | null> {
    const [t] = await this.sql.query<TerminalRow>('SELECT * FROM terminal WHERE terminal_id = $1', [terminalId]);
    return t ?? null;
  }

  async revoke(terminalId: string, now = this.now()): Promise<boolean> {
    const r = await this.sql.query<{ terminal_id: string }>('UPDATE terminal SET revoked_at = $1 WHERE terminal_id = $2 AND revoked_at IS NULL RETURNING terminal_id', [now.toISOString(), terminalId]);
    return r.length > 0;
  }

  /** Records a request nonce; false if it was seen before (a replay). Nonces older than two days are dropped now and then. */
  async useNonce(terminalId: string, nonce: string, now = this.now(), q: Sql = this.sql): Promise<boolean> {
    const r = await q.query<{ nonce: string }>('INSERT INTO request_nonce (terminal_id, nonce, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING nonce', [terminalId, nonce, now.toISOString()]);
    if (Math.random() < 0.01) await q.query('DELETE FROM request_nonce WHERE at < $1', [new Date(now.getTime() - 48 * 3600_000).toISOString()]);
    return r.length > 0;
  }

  /** Stores one sale of a batch (new ones only): accepted, a duplicate of what is stored, or refused with why. */
  private async storeOne(q: Sql, terminalId: string, s: SalesBatch['sales'][number], now: Date): Promise<'accepted' | 'duplicate' | { rejected: string }> {
    const ins =
      q.dialect === 'sqlite'
        ? // One row holds the sale; both unique keys are on it.
          await q.query(
            'INSERT INTO sale (sale_id, terminal_id, sequence, kind, business_date, total, created_at, received_at, body, journal_seq, journal_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING sale_id',
            [s.saleId, terminalId, s.sequence, s.kind, s.businessDate, s.total, s.createdAt, now.toISOString(), s.body, s.entry?.seq ?? null, s.entry?.hash ?? null],
          )
        : await q.query('INSERT INTO sale_seq (terminal_id, sequence, sale_id, business_date, journal_seq, journal_hash) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING sale_id', [
            terminalId, s.sequence, s.saleId, s.businessDate, s.entry?.seq ?? null, s.entry?.hash ?? null,
          ]);
    if (ins.length === 0) {
      const stored = await this.storedAs(q, terminalId, s);
      return stored === 'duplicate' ? 'duplicate' : { rejected: stored ?? `sale ${s.saleId} could not be stored` };
    }
    if (q.dialect === 'postgres')
      await q.query('INSERT INTO sale (sale_id, terminal_id, sequence, kind, business_date, total, created_at, received_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
        s.saleId, terminalId, s.sequence, s.kind, s.businessDate, s.total, s.createdAt, now.toISOString(), s.body,
      ]);
    return 'accepted';
  }

  /** How HQ holds a sale already: the same one ('duplicate'), why another one conflicts with it, or null when it holds neither. */
  private async storedAs(q: Sql, terminalId: string, s: SalesBatch['sales'][number]): Promise<'duplicate' | string | null> {
    const [bySeq] = await q.query<{ sale_id: string }>('SELECT sale_id FROM sale_seq WHERE terminal_id = $1 AND sequence = $2', [terminalId, s.sequence]);
    if (bySeq?.sale_id === s.saleId) return 'duplicate';
    if (bySeq) return `sequence ${s.sequence} already holds sale ${bySeq.sale_id}`;
    const [byId] = await q.query<{ terminal_id: string; sequence: number }>('SELECT terminal_id, sequence FROM sale_seq WHERE sale_id = $1', [s.saleId]);
    if (!byId) return null;
    return `sale ${s.saleId} was already received as ${byId.terminal_id === terminalId ? `sequence ${byId.sequence}` : 'another terminal’s'}`;
  }

  /**
   * The sequences done (stored, or refused for good) after the terminal's acknowledgement, ascending,
   * once this batch is stored. Every sequence of the batch is done by now (ingest stores each sale or
   * records its refusal; a step that left one neither would have to read the tables). When nothing
   * done lay beyond the acknowledgement before this batch (max_sequence, kept by ingest under the
   * terminal's lock, is not past acked_through), the batch's sequences are all there is: the usual
   * case of batches arriving in order needs no read of sale_seq and rejected_sale.
   */
  private async doneAfterAck(q: Sql, t: TerminalRow, batch: SalesBatch): Promise<number[]> {
    const acked = Number(t.acked_through);
    if (Number(t.max_sequence) <= acked) return [...new Set(batch.sales.map((s) => s.sequence).filter((n) => n > acked))].sort((a, b) => a - b);
    const rows = await q.query<{ sequence: number }>(
      'SELECT sequence FROM sale_seq WHERE terminal_id = $1 AND sequence > $2 UNION SELECT sequence FROM rejected_sale WHERE terminal_id = $1 AND sequence > $2 ORDER BY 1',
      [t.terminal_id, acked],
    );
    return rows.map((r) => Number(r.sequence));
  }

  /**
   * `nonce`: the signed request's nonce, recorded in the same transaction (a replay stores nothing).
   * One function on purpose (over 80 lines): every step runs in the terminal's one transaction, under its lock, on one read of its row.
   * `relayedBy`: a store peer sends them for the terminal (checked alike, but refused whole — nothing written against the terminal — on any problem; its own contact, clock, backlog, version untouched).
   * The batch's piece of journal chain is checked first (hq/chain.ts, hq/chain-join.ts): a batch
   * that is not the terminal's unbroken, signed chain is quarantined whole, with the reason.
   */
  async ingest(terminalId: string, batch: SalesBatch, now = this.now(), nonce?: string, relayedBy?: string): Promise<SalesAck> {
    // Partitions first, outside the ingest transaction (DDL and concurrent ingests do not mix well).
    for (const d of new Set(batch.sales.map((s) => s.businessDate))) await this.partitions.ensure(this.sql, d);
    return this.sql.tx(async (q) => {
      // One ingest per terminal at a time (a retry may arrive while the first try still runs).
      const [t] = await q.query<TerminalRow>(`SELECT * FROM terminal WHERE terminal_id = $1${q.dialect === 'postgres' ? ' FOR UPDATE' : ''}`, [terminalId]);
      if (!t) throw new HqError(401, 'UNKNOWN_TERMINAL', 'unknown terminal');
      if (nonce !== undefined && !(await this.useNonce(terminalId, nonce, now, q))) throw new HqError(401, 'REPLAYED', 'this request was already received');
      let accepted = 0;
      let duplicates = 0;
      const rejected: Array<{ sequence: number; reason: string }> = [];
      /** Refusals recorded for the first time (the terminal's counter). */
      let newlyRejected = 0;
      let alert: string | null = null;
      const reject = async (s: Quarantined, reason: string) => {
        // A peer speaking for a till never writes a refusal against it: the relay alone is refused (rolled back).
        if (relayedBy) throw new HqError(422, 'RELAY_REFUSED', `sale ${s.sequence}: ${reason}`);
        rejected.push({ sequence: s.sequence, reason });
        newlyRejected += await quarantineRow(q, terminalId, s, reason, now);
      };
      // A reflashed terminal's piece is checked against its key ring (hq/keys.ts); what it adds is kept with it.
      const { chain, facts } = batch.sales.length ? await checkPiece(q, t, batch, this.journalKeys) : { chain: null, facts: null };
      const joined = chain?.ok ? await joinChain(q, terminalId, batch, chain) : null;
      const refusal = chain && !chain.ok ? chain.reason : (joined?.refusal ?? null);
      alert = refusal ?? joined?.alert ?? null;
      if (relayedBy && alert) throw new HqError(422, 'RELAY_REFUSED', alert);
      if (facts && !refusal) await recordKeyFacts(q, terminalId, facts, now);
      // Bodies that are not JSON are refused for good; the rest are stored, new ones only.
      const good: SalesBatch['sales'] = [];
      for (const s of batch.sales) {
        if (refusal) {
          // What HQ holds already stays; the rest of a batch that is not the terminal's chain is quarantined.
          const outcome = await this.storedAs(q, terminalId, s);
          if (outcome === 'duplicate') duplicates++;
          else await reject(s, outcome ?? refusal);
          continue;
        }
        const mislabelled = chain?.ok ? chain.mislabelled.get(s.sequence) : undefined;
        if (mislabelled) {
          alert ??= mislabelled;
          await reject(s, mislabelled);
          continue;
        }
        try {
          JSON.parse(s.body);
          good.push(s);
        } catch {
          await reject(s, 'the sale body is not JSON');
        }
      }
      // The batch in a few set-based statements (hq/batch-insert.ts); what they did not insert is looked at one by one below.
      const inserted = good.length > 1 && new Set(good.map((s) => s.sequence)).size === good.length ? await insertNewSales(q, terminalId, good, now) : null;
      for (const s of good) {
        const outcome = inserted?.has(s.sequence) ? 'accepted' : await this.storeOne(q, terminalId, s, now);
        if (outcome === 'accepted') accepted++;
        else if (outcome === 'duplicate') duplicates++;
        else {
          // A sequence that holds another sale: the terminal's sales went back and were made again.
          alert ??= `sale ${s.sequence} came again as a different sale: the terminal's journal went back (${outcome.rejected})`;
          await reject(s, outcome.rejected);
        }
      }
      // Highest contiguous sequence: stored or rejected for good both count as done.
      const later = await this.doneAfterAck(q, t, batch);
      const { acked, gaps } = ackedAndGaps(Number(t.acked_through), later);
      const maxSeq = Math.max(Number(t.max_sequence), ...later, 0);
      const clock = new Date(batch.clock);
      const skew = Number.isNaN(clock.getTime()) ? null : clock.getTime() - now.getTime();
      // The backlog a batch reports is what waits after it: a batch that is not the newest one
      // (terminals keep two in flight; they may land in either order) does not overwrite it.
      const newest = batch.sales.length === 0 || Math.max(...batch.sales.map((x) => x.sequence)) >= Number(t.max_sequence);
      if (relayedBy) {
        await recordRelayed(q, terminalId, { acked, maxSeq, accepted, head: chainHead(t, chain, null), at: now.toISOString(), relayedBy });
        return { ackedThrough: acked, accepted, duplicates, rejected, gaps };
      }
      await q.query(
        `UPDATE terminal SET acked_through = $1, max_sequence = $2, last_contact = $3, last_clock = $4, skew_ms = $5,
           backlog_count = CASE WHEN $10 THEN $6 ELSE backlog_count END, backlog_oldest = CASE WHEN $10 THEN $7 ELSE backlog_oldest END,
           software_version = COALESCE($8, software_version), sales_count = sales_count + $11, rejected_count = rejected_count + $12,
           chain_seq = $13, chain_hash = $14, chain_outage = $15, chain_alert = COALESCE($16, chain_alert), chain_alert_at = CASE WHEN $16 IS NULL THEN chain_alert_at ELSE $3 END
         WHERE terminal_id = $9`,
        [acked, maxSeq, now.toISOString(), batch.clock, skew, batch.backlog.count, batch.backlog.oldestAt, batch.softwareVersion ?? null, terminalId, newest, accepted, newlyRejected, ...chainHead(t, chain, refusal), alert],
      );
      return { ackedThrough: acked, accepted, duplicates, rejected, gaps };
    });
  }

  async latestCatalog(): Promise<CatalogVersionRow | null> {
    const [r] = await this.sql.query<{ version: number; published_at: string; items: number; full_manifest: string; full_sha256: string; delta_manifest: string | null; delta_sha256: string | null }>(
      'SELECT * FROM catalog_version ORDER BY version DESC LIMIT 1',
    );
    if (!r) return null;
    return {
      version: Number(r.version),
      published_at: r.published_at,
      items: Number(r.items),
      full: JSON.parse(r.full_manifest) as SignedManifest,
      full_sha256: r.full_sha256,
      delta: r.delta_manifest ? (JSON.parse(r.delta_manifest) as SignedManifest) : null,
      delta_sha256: r.delta_sha256,
    };
  }

  async insertCatalogVersion(v: { version: number; publishedAt: string; items: number; full: SignedManifest; fullSha256: string; delta: SignedManifest | null; deltaSha256: string | null }): Promise<void> {
    await this.sql.query('INSERT INTO catalog_version (version, published_at, items, full_manifest, full_sha256, delta_manifest, delta_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      v.version,
      v.publishedAt,
      v.items,
      JSON.stringify(v.full),
      v.fullSha256,
      v.delta ? JSON.stringify(v.delta) : null,
      v.deltaSha256,
    ]);
  }

  async updateCatalogManifests(version: number, full: SignedManifest, delta: SignedManifest | null): Promise<void> {
    await this.sql.query('UPDATE catalog_version SET full_manifest = $1, delta_manifest = $2 WHERE version = $3', [JSON.stringify(full), delta ? JSON.stringify(delta) : null, version]);
  }

  /** True if `hash` names a published payload (only those are served). */
  async isPublishedPayload(hash: string): Promise<boolean> {
    const r = await this.sql.query('SELECT version FROM catalog_version WHERE full_sha256 = $1 OR delta_sha256 = $1 LIMIT 1', [hash]);
    return r.length > 0;
  }

  /**
   * Stores what the terminal reports (its peer address too, when it says one); answers with the
   * newest catalog (and a delta from its version when there is one) and its store's roster, signed now.
   */
  async checkin(terminalId: string, c: Checkin, now = this.now()): Promise<CheckinAnswer> {
    const clock = new Date(c.clock);
    const skew = Number.isNaN(clock.getTime()) ? null : clock.getTime() - now.getTime();
    await this.sql.query(
      `UPDATE terminal SET last_contact = $1, checkin_at = $1, last_clock = $2, skew_ms = $3, software_version = $4, catalog_version = $5, catalog_expires_at = $6,
         devices = $7, alerts = $8,
         backlog_count = CASE WHEN CAST($12 AS BIGINT) < 0 THEN CAST($9 AS BIGINT) WHEN CAST($12 AS BIGINT) + CAST($9 AS BIGINT) > acked_through THEN CAST($12 AS BIGINT) + CAST($9 AS BIGINT) - acked_through ELSE 0 END,
         backlog_oldest = CASE WHEN CAST($12 AS BIGINT) >= 0 AND CAST($12 AS BIGINT) + CAST($9 AS BIGINT) <= acked_through THEN NULL ELSE $10 END,
         peer_address = CASE WHEN $13 THEN $14 ELSE peer_address END, staff_version = COALESCE(CAST($15 AS BIGINT), staff_version)
       WHERE terminal_id = $11`,
      // The terminal counted its backlog against the acknowledgement it knew (ackedThrough); a batch
      // acknowledged since (the upload runs beside the check-in) is taken off with HQ's own figure.
      [now.toISOString(), c.clock, skew, c.softwareVersion, c.catalog.version, c.catalog.expiresAt, JSON.stringify(c.devices), JSON.stringify(c.alerts), c.backlog.count, c.backlog.oldestAt, terminalId, c.backlog.ackedThrough ?? -1, c.peerAddress !== undefined, c.peerAddress ?? null, c.staff?.version ?? null],
    );
    const roster = await storeRoster(this.sql, terminalId, now);
    if (!roster) throw new HqError(401, 'UNKNOWN_TERMINAL', 'unknown terminal');
    const signer = await this.roster();
    const [staff, legal] = [await staffOffer(this.sql, signer, roster.storeId, c.staff, now), await legalOffer(this.sql, signer, terminalId, roster.storeId, c.legal, now)];
    const latest = await this.latestCatalog();
    const delta = latest?.delta && latest.version === c.catalog.version + 1 ? latest.delta : null;
    return { full: latest?.full ?? null, delta, roster: signer.sign(roster), ...staff, ...legal };
  }

  /** Per store and terminal: last contact, backlog, gaps, clock skew, catalog version, devices and open alerts. */
  async fleet(): Promise<Array<Omit<TerminalRow, 'devices' | 'alerts' | 'sales_count' | 'rejected_count'> & { devices: unknown[]; alerts: unknown[]; gaps: number; rejected: number; skewFlag: boolean; sales: number }>> {
    // One read of the terminal table: its counters are kept by ingest (nothing here counts sales).
    const rows = await this.sql.query<TerminalRow>('SELECT * FROM terminal ORDER BY store_id, lane_id, terminal_id');
    const out = [];
    for (const { sales_count: n, rejected_count: r, ...t } of rows) {
      out.push({
        ...t,
        catalog_version: t.catalog_version === null ? null : Number(t.catalog_version),
        devices: t.devices ? (JSON.parse(t.devices) as unknown[]) : [],
        alerts: t.alerts ? (JSON.parse(t.alerts) as unknown[]) : [],
        sales: Number(n),
        rejected: Number(r),
        gaps: Number(t.max_sequence) - Number(t.acked_through) > 0 ? 1 : 0,
        skewFlag: t.skew_ms !== null && Math.abs(Number(t.skew_ms)) > SKEW_FLAG_MS,
      });
    }
    return out;
  }
}

/** Highest contiguous sequence from what was acknowledged and the later sequences done (stored or refused for good), and the gaps after it. */
function ackedAndGaps(ackedThrough: number, later: readonly number[]): { acked: number; gaps: Array<{ from: number; to: number }> } {
  let acked = ackedThrough;
  for (const n of later) {
    if (n === acked + 1) acked = n;
    else if (n > acked + 1) break;
  }
  const gaps: Array<{ from: number; to: number }> = [];
  let expect = acked + 1;
  for (const n of later) {
    if (n <= acked) continue;
    if (n > expect) gaps.push({ from: expect, to: n - 1 });
    expect = n + 1;
  }
  return { acked, gaps };
}
