/**
 * The sync feature's tables, each behind typed methods: the link to HQ (`hq_link`, migration 0013),
 * the outbox and the uploader's state (`outbox`, `outbox_quarantine`, `sync_state`, 0003/0013/0015),
 * and the catalog updater's keys and state (`catalog_key`, `catalog_sync`, 0014; the catalog's
 * `catalog_meta` as the updater reads it). Every statement is prepared once, when its repository
 * is made; callers hold the repository as long as the database.
 */
import type { Db } from '../db';
import { OUTBOX_PAYLOAD, SALE_ENTRY_SEQ, SALE_KIND } from '../db/sale-body';

/** The terminal's link to HQ as stored: keys as written at enrollment (private: PKCS#8 DER base64, public: raw base64url). */
export interface StoredHqLink {
  hqUrl: string;
  terminalId: string;
  storeId: string;
  laneId: string;
  privateKey: string;
  publicKey: string;
  enrolledAt: string;
  /** HQ's roster key (raw Ed25519, base64url), pinned at enrollment (migration 0021); null for a link made before HQ had one. */
  rosterKey?: string | null;
}

interface HqLinkRow {
  hq_url: string;
  terminal_id: string;
  store_id: string;
  lane_id: string;
  private_key: string;
  public_key: string;
  enrolled_at: string;
  roster_key: string | null;
}

/** `hq_link`: one row once the terminal is enrolled. */
export class HqLinkRepo {
  private readonly row;
  private readonly save;

  constructor(db: Db) {
    this.row = db.prepare<[], HqLinkRow>('SELECT hq_url, terminal_id, store_id, lane_id, private_key, public_key, enrolled_at, roster_key FROM hq_link WHERE id = 1');
    this.save = db.prepare(
      'INSERT OR REPLACE INTO hq_link (id, hq_url, terminal_id, store_id, lane_id, private_key, public_key, enrolled_at, roster_key) VALUES (1, @hqUrl, @terminalId, @storeId, @laneId, @privateKey, @publicKey, @enrolledAt, @rosterKey)',
    );
  }

  /** The link, or null before enrollment. */
  get(): StoredHqLink | null {
    const r = this.row.get();
    return r ? { hqUrl: r.hq_url, terminalId: r.terminal_id, storeId: r.store_id, laneId: r.lane_id, privateKey: r.private_key, publicKey: r.public_key, enrolledAt: r.enrolled_at, rosterKey: r.roster_key } : null;
  }

  /** Stores the link (replacing any earlier one). */
  put(link: StoredHqLink): void {
    this.save.run({ rosterKey: null, ...link });
  }
}

/** The outbox rows after a sequence, in order, each with its payload (read from the journal where kept there). */
export const OUTBOX_BATCH_SQL = `SELECT o.sequence, o.sale_id, o.kind, ${OUTBOX_PAYLOAD} AS payload, o.created_at, s.business_date, s.total, ${SALE_ENTRY_SEQ} AS journal_seq
  FROM outbox o JOIN sale s ON s.sale_id = o.sale_id LEFT JOIN journal j ON j.seq = s.journal_seq
  WHERE o.sequence > ? ORDER BY o.sequence LIMIT ?`;

/** One outbox row as sent: the payload is the sale's (or return's) journal body, as text. */
export interface OutboxRow {
  sequence: number;
  sale_id: string;
  kind: string;
  payload: string;
  created_at: string;
  business_date: string;
  total: number;
  /** The sale's journal entry (null where the journal no longer has it). */
  journal_seq: number | null;
}

/** The outbox as the uploader works it: batches after the watermark, acknowledgement, quarantine, retention. */
export class OutboxRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      batch: db.prepare<[number, number], OutboxRow>(OUTBOX_BATCH_SQL),
      // Outbox sequences have no gaps: the backlog is the newest sequence minus the acknowledged one,
      // and the oldest unsent sale is the first after it.
      backlogAfter: db.prepare<[{ after: number }], { n: number; oldest: string | null }>(
        'SELECT max(0, (SELECT coalesce(max(sequence), 0) FROM sale) - @after) AS n, (SELECT created_at FROM outbox WHERE sequence > @after ORDER BY sequence LIMIT 1) AS oldest',
      ),
      ackedThrough: db.prepare<[], { n: number }>('SELECT coalesce(max(acked_through), 0) AS n FROM sync_state'),
      ack: db.prepare('INSERT INTO sync_state (id, acked_through) VALUES (1, @through) ON CONFLICT (id) DO UPDATE SET acked_through = max(acked_through, excluded.acked_through)'),
      quarantine: db.prepare('INSERT OR IGNORE INTO outbox_quarantine (sequence, reason, at) VALUES (?, ?, ?)'),
      quarantined: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox_quarantine'),
      // Retention: a row HQ holds is not needed here again (the sale itself stays); a quarantined one is kept with its reason.
      compact: db.prepare('DELETE FROM outbox WHERE sequence > @from AND sequence <= @through AND sequence NOT IN (SELECT sequence FROM outbox_quarantine)'),
      // The rows compacted away after `through`, back from the sales (the payload read from the journal, as for any row stored without it).
      refill: db.prepare(`INSERT OR IGNORE INTO outbox (sequence, sale_id, kind, payload, created_at)
        SELECT s.sequence, s.sale_id, ${SALE_KIND}, '', s.completed_at
        FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq WHERE s.sequence > @through AND s.sequence <= (SELECT coalesce(max(acked_through), 0) FROM sync_state)`),
      unack: db.prepare('UPDATE sync_state SET acked_through = min(acked_through, @through) WHERE id = 1'),
      isQuarantined: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM outbox_quarantine WHERE sequence = ?'),
      state: db.prepare<[], { last_success: string | null }>('SELECT last_success FROM sync_state WHERE id = 1'),
      saveState: db.prepare(
        `INSERT INTO sync_state (id, last_success, last_error, last_attempt) VALUES (1, @success, @error, @attempt)
         ON CONFLICT (id) DO UPDATE SET last_success = COALESCE(@success, last_success), last_error = @error, last_attempt = @attempt`,
      ),
    };
  }

  /** Up to `limit` rows after sequence `after`. */
  batch(after: number, limit: number): OutboxRow[] {
    return this.s.batch.all(after, limit);
  }

  /** How many sales wait after sequence `after`, and when the oldest of them was made. */
  backlogAfter(after: number): { n: number; oldest: string | null } {
    return this.s.backlogAfter.get({ after })!;
  }

  /** Every row up to this sequence is at HQ (or quarantined). */
  ackedThrough(): number {
    return this.s.ackedThrough.get()!.n;
  }

  /** Moves the watermark up to `through` (never down). */
  ack(through: number): void {
    this.s.ack.run({ through });
  }

  /** Sets a row HQ refused aside with the reason; 1 if it was not set aside before. */
  quarantine(sequence: number, reason: string, at: string): number {
    return this.s.quarantine.run(sequence, reason, at).changes;
  }

  quarantinedCount(): number {
    return this.s.quarantined.get()!.n;
  }

  /** HQ holds only through `through` now (restored from an older backup): its rows after that go again. */
  rewind(through: number): void {
    this.s.refill.run({ through });
    this.s.unack.run({ through });
  }

  isQuarantined(sequence: number): boolean {
    return this.s.isQuarantined.get(sequence)!.n > 0;
  }

  /** Drops the rows HQ acknowledged in (from, through], keeping quarantined ones. */
  compact(from: number, through: number): void {
    this.s.compact.run({ from, through });
  }

  lastSuccess(): string | null {
    return this.s.state.get()?.last_success ?? null;
  }

  /** Records an attempt: its time, the success time (null: keep the last) and the error (null: none). */
  saveAttempt(a: { success: string | null; error: string | null; attempt: string }): void {
    this.s.saveState.run(a);
  }
}

/** The catalog updater's tables: pinned keys, its last check and refusal, and the catalog's meta values it reads. */
export class CatalogSyncRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      pin: db.prepare('INSERT OR REPLACE INTO catalog_key (key_id, public_key, pinned_at) VALUES (?, ?, ?)'),
      unpin: db.prepare('DELETE FROM catalog_key WHERE key_id = ?'),
      keys: db.prepare<[], { key_id: string; public_key: string }>('SELECT key_id, public_key FROM catalog_key'),
      state: db.prepare<[], { last_check: string | null; last_error: string | null }>('SELECT last_check, last_error FROM catalog_sync WHERE id = 1'),
      record: db.prepare(
        `INSERT INTO catalog_sync (id, last_check, last_error, last_error_at) VALUES (1, @at, @error, CASE WHEN @error IS NULL THEN NULL ELSE @at END)
         ON CONFLICT (id) DO UPDATE SET last_check = @at, last_error = @error, last_error_at = CASE WHEN @error IS NULL THEN last_error_at ELSE @at END`,
      ),
      meta: db.prepare<[string], { value: string }>('SELECT value FROM catalog_meta WHERE key = ?'),
      expires: db.prepare("UPDATE catalog_meta SET value = ? WHERE key = 'expires_at'"),
      items: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM item'),
    };
  }

  pinKey(keyId: string, rawPublicKey: string, at: string): void {
    this.s.pin.run(keyId, rawPublicKey, at);
  }

  /** Forgets a pinned key (first-boot provisioning takes back the keys of a stick whose catalog they do not sign). */
  unpinKey(keyId: string): void {
    this.s.unpin.run(keyId);
  }

  /** The pinned keys: id and raw Ed25519 public key (base64url). */
  pinnedKeys(): Array<{ keyId: string; publicKey: string }> {
    return this.s.keys.all().map((r) => ({ keyId: r.key_id, publicKey: r.public_key }));
  }

  /** The last check-in and the refusal it ended with (null: none yet). */
  state(): { lastCheck: string | null; lastError: string | null } {
    const r = this.s.state.get();
    return { lastCheck: r?.last_check ?? null, lastError: r?.last_error ?? null };
  }

  /** Records a check-in at `at`: its error, or null when it went well (the time of the last error is kept). */
  recordCheck(at: string, error: string | null): void {
    this.s.record.run({ at, error });
  }

  meta(key: 'expires_at' | 'hq_version' | 'published_at' | 'applied_at'): string | null {
    return this.s.meta.get(key)?.value ?? null;
  }

  /** HQ re-signed the catalog in use with a later expiry. */
  extendExpiry(expiresAt: string): void {
    this.s.expires.run(expiresAt);
  }

  itemCount(): number {
    return this.s.items.get()!.n;
  }
}
