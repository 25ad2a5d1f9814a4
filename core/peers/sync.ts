/**
 * Replication between the store's tills, as long as the core runs. Each till listens for its peers
 * (core/peers/server.ts: the sales protocol HQ speaks) and keeps what they send as verified copies
 * (core/peers/copies.ts); and it sends its own sales to every peer the store's signed roster names
 * and gives an address (core/peers/roster.ts), with the uploader it uses for HQ — one uploader per
 * peer, each with its own feed and watermark (core/peers/feed.ts), one batch in flight (a copy takes
 * them in order). The roster and the HQ link are read every round (`checkMs`), so a roster HQ sends
 * at check-in, or an address store IT adds by hand, applies without a restart.
 *
 * Replication never stands in a sale's way: batches are built, sent, read, checked and kept by a
 * worker thread (core/peers/batch-host.ts), the only writer of the copies' own file
 * (core/db/copies-file.ts); the lane's thread only records its own batches' answers, a short
 * transaction each, and the peers' batches come one at a time, paced while the lane is at work
 * (core/peers/intake.ts); and a peer that is gone only leaves its uploader probing it every few seconds.
 */
import type { Snapshot } from '../../protocol/terminal';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { loadHqLink, type HqLink } from '../sync/link';
import type { Uploader } from '../sync/uploader';
import { performance } from 'node:perf_hooks';
import { laneBusy } from '../busy';
import { CopyAudit } from './audit';
import { PeerBatchWorker } from './batch-host';
import { PeerCopies } from './copies';
import { PeerFeed } from './feed';
import { relayUploader, shouldRelay } from './relay';
import { peerUploader } from './send';
import { RosterRepo } from './roster';
import { PeerIntake } from './intake';
import { PeerServer } from './server';

/** What peer replication needs of the lane (LaneService has it). */
export interface PeerHost {
  subscribe(listener: (snap: Snapshot) => void): () => void;
  setPeerStatus(provider: (() => Snapshot['peers'] | null) | null): void;
  refresh(): void;
}

export interface PeerSyncOptions {
  now: Clock;
  log: (line: string) => void;
  /** The copies of the peers' journals (the lane's returns read the same); made here when not given. */
  copies?: PeerCopies;
  /** Where this till listens for its peers (port 0: any); null: it sends to its peers but takes nothing from them. */
  listen: { host: string; port: number } | null;
  /** One request to a peer may take this long (ms). */
  timeoutMs?: number;
  /** How often the roster and the link are read (ms). */
  checkMs?: number;
  /** A peer HQ has not heard from for this long (by the roster) gets its held sales sent to HQ by this till (ms, default 10 minutes). */
  relayGraceMs?: number;
}

interface Sender {
  key: string;
  laneId: string;
  address: string;
  uploader: Uploader;
}

type PeerRow = NonNullable<Snapshot['peers']>[number];

/** Entries whose signatures one audit step checks (about 100 µs each): on the lane's thread (a database in memory), on the worker. */
const AUDIT_STEP = 50;
const AUDIT_STEP_WORKER = 500;
/** How long the audit waits after the lane worked or a peer's batch came (ms). */
const AUDIT_WAIT_MS = 300;

export class PeerSync {
  private server: PeerServer | null = null;
  /** Builds and sends the batches to the peers off the lane's thread (null: a database in memory, built here). */
  private worker: PeerBatchWorker | null = null;
  private readonly senders = new Map<string, Sender>();
  /** Uploaders sending a lost peer's held sales to HQ on its behalf (core/peers/relay.ts), by the peer's id. */
  private readonly relays = new Map<string, { key: string; uploader: Uploader }>();
  private readonly roster: RosterRepo;
  readonly copies: PeerCopies;
  private timer: NodeJS.Timeout | null = null;
  /** Each copied entry's own signature, checked after the batch is kept (core/peers/audit.ts). */
  private readonly audit: CopyAudit;
  private auditing: NodeJS.Timeout | null = null;
  /** When a peer's batch was last taken (performance.now()): the audit waits while batches come. */
  private lastIngest = Number.NEGATIVE_INFINITY;
  private unsubscribe: (() => void) | null = null;
  private lastSaleId: string | null = null;
  /** What the screens show of the peers, computed each round and after each batch (never per snapshot: a scan must not wait for it). */
  private view: NonNullable<Snapshot['peers']> | null = null;
  private shown = 'null';

  constructor(
    private readonly db: Db,
    private readonly host: PeerHost,
    private readonly opts: PeerSyncOptions,
  ) {
    this.roster = new RosterRepo(db);
    this.copies = opts.copies ?? new PeerCopies(db);
    this.audit = new CopyAudit(db);
  }

  /** Starts listening (if asked) and sending; resolves with the listener's port (null: not listening). */
  async start(): Promise<number | null> {
    let port: number | null = null;
    if (PeerBatchWorker.usable(this.db)) this.worker = new PeerBatchWorker(this.db, this.opts.log);
    if (this.opts.listen) {
      const intake = new PeerIntake(this.copies, this.worker, () => (this.lastIngest = performance.now()));
      this.server = new PeerServer({
        host: this.opts.listen.host,
        port: this.opts.listen.port,
        now: this.opts.now,
        log: this.opts.log,
        peers: () => this.identities(),
        self: () => {
          const link = loadHqLink(this.db, this.opts.now);
          return link ? { terminalId: link.terminalId, key: link.privateKey } : null;
        },
        receive: async (peer, batch, now) => {
          const ack = await intake.receive(peer, batch, now);
          this.auditSoon(AUDIT_WAIT_MS);
          return ack;
        },
        ...(intake.keep ? { keep: this.auditAfter(intake.keep) } : {}),
        copy: (terminalId, after, limit) => this.copies.copyPage(terminalId, after, limit),
        takeRoster: (signed) => this.roster.store(signed, loadHqLink(this.db, this.opts.now)?.rosterKey ?? null),
      });
      port = await this.server.listen();
      this.opts.log(`store peers: listening on ${this.opts.listen.host}:${port}`);
    }
    this.unsubscribe = this.host.subscribe((snap) => {
      if (snap.lastSale && snap.lastSale.saleId !== this.lastSaleId) {
        this.lastSaleId = snap.lastSale.saleId;
        for (const s of this.senders.values()) s.uploader.poke();
      }
    });
    this.host.setPeerStatus(() => this.view);
    this.round();
    this.timer = setInterval(() => this.round(), this.opts.checkMs ?? 2_000);
    this.timer.unref();
    return port;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.auditing) clearTimeout(this.auditing);
    this.auditing = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const s of [...this.senders.values(), ...this.relays.values()]) s.uploader.stop();
    this.senders.clear();
    this.relays.clear();
    this.host.setPeerStatus(null);
    await this.server?.close();
    this.server = null;
    await this.worker?.close();
    this.worker = null;
  }

  /** The roster's peers as the listener checks them (none before enrollment). */
  private identities() {
    const link = loadHqLink(this.db, this.opts.now);
    return link ? this.roster.peers(link.terminalId) : [];
  }

  /** One round: an uploader for each peer with an address (new, moved or gone peers follow the roster); the screens told of changes. */
  private round(): void {
    const link = loadHqLink(this.db, this.opts.now);
    const wanted = new Map<string, { laneId: string; address: string; publicKey: string }>();
    if (link) for (const p of this.roster.peers(link.terminalId)) if (p.address) wanted.set(p.terminalId, { laneId: p.laneId, address: p.address, publicKey: p.publicKey });
    this.server?.refreshTls();
    for (const [id, s] of this.senders) {
      const w = wanted.get(id);
      if (!w || !link || s.key !== `${link.terminalId} ${w.address} ${w.publicKey}`) {
        s.uploader.stop();
        this.senders.delete(id);
      }
    }
    if (link) {
      for (const [id, w] of wanted) {
        if (this.senders.has(id)) continue;
        this.worker?.start(); // with the first peer to send to (a till alone in its store starts no thread)
        const { uploader } = peerUploader(this.db, link, { terminalId: id, url: `https://${w.address}`, key: w.publicKey }, { now: this.opts.now, log: this.opts.log, timeoutMs: this.opts.timeoutMs ?? 15_000, onSettled: () => this.changed() }, this.worker ?? undefined);
        this.senders.set(id, { key: `${link.terminalId} ${w.address} ${w.publicKey}`, laneId: w.laneId, address: w.address, uploader });
        uploader.start();
        this.opts.log(`store peers: sending this till's sales to lane ${w.laneId} at ${w.address}`);
      }
    }
    this.speakFor(link);
    this.changed();
    this.auditSoon();
  }

  /**
   * Checks the copies' entries' own signatures a step at a time, only while the lane is idle and no
   * peer's batch is coming (catching up and scanning go first).
   */
  private auditSoon(delayMs = 0): void {
    if (this.auditing || !this.timer) return;
    // Held until the step is done (a step on the worker is answered later): one step at a time.
    this.auditing = setTimeout(() => {
      void this.auditStep().then(
        (more) => {
          this.auditing = null;
          if (more) this.auditSoon();
        },
        (err: unknown) => {
          this.auditing = null;
          if (this.timer) this.opts.log(`store peers: checking the copies' signatures failed (${err instanceof Error ? err.message : String(err)}); again at the next round`);
        },
      );
    }, delayMs);
    this.auditing.unref();
  }

  /** One step of the audit, on the worker (else here); false when there was nothing to check or the lane is busy (the next round or batch asks again). */
  private async auditStep(): Promise<boolean> {
    if (laneBusy() || performance.now() - this.lastIngest < AUDIT_WAIT_MS) return false;
    const link = loadHqLink(this.db, this.opts.now);
    if (!link) return false;
    const keys: Record<string, string[]> = {};
    for (const p of this.roster.peers(link.terminalId)) if (p.journalKey) keys[p.terminalId] = [...(p.retiredJournalKeys ?? []), p.journalKey];
    // A till alone in its store has nothing to check (and starts no worker for it).
    if (!Object.keys(keys).length) return false;
    const at = this.opts.now();
    const r = this.worker ? await this.worker.audit(keys, AUDIT_STEP_WORKER, at) : this.audit.stepWith(keys, AUDIT_STEP, at.toISOString());
    if (r.alerted) this.changed();
    return r.checked > 0;
  }

  /** A batch kept on the worker, then the audit asked to go on once batches stop coming. */
  private auditAfter(keep: NonNullable<PeerIntake['keep']>): NonNullable<PeerIntake['keep']> {
    return async (peer, body, now) => {
      const r = await keep(peer, body, now);
      this.auditSoon(AUDIT_WAIT_MS);
      return r;
    };
  }

  /** Starts (or stops) sending to HQ, on their behalf, the held sales of peers HQ has not heard from. */
  private speakFor(link: HqLink | null): void {
    const roster = this.roster.current();
    const held = new Map(this.copies.heads().map((h) => [h.terminalId, h.ackedThrough]));
    const graceMs = this.opts.relayGraceMs ?? 10 * 60_000;
    const wanted = link && roster ? this.roster.peers(link.terminalId).filter((p) => p.journalKey && shouldRelay(p, held.get(p.terminalId) ?? 0, roster.issuedAt, graceMs)) : [];
    const key = link ? `${link.terminalId} ${link.hqUrl}` : '';
    for (const [id, r] of this.relays) {
      if (r.key === key && wanted.some((p) => p.terminalId === id)) continue;
      r.uploader.stop();
      this.relays.delete(id);
    }
    for (const p of wanted) {
      if (!link || this.relays.has(p.terminalId)) continue;
      const uploader = relayUploader(this.db, link, this.copies, p, { now: this.opts.now, log: this.opts.log, timeoutMs: this.opts.timeoutMs ?? 15_000, onSettled: () => this.changed() });
      this.relays.set(p.terminalId, { key, uploader });
      uploader.start();
      this.opts.log(`store peers: HQ lacks sales of lane ${p.laneId} this till holds (${(held.get(p.terminalId) ?? 0) - p.hqAckedThrough}) and has not heard from it: sending them on its behalf`);
    }
  }

  /** Tells the screens when what they show of the peers changed. */
  private changed(): void {
    this.view = this.status();
    const now = JSON.stringify(this.view);
    if (now !== this.shown) {
      this.shown = now;
      this.host.refresh();
    }
  }

  /** Each roster peer: where, when last heard from or answering, how far behind each way, and what is wrong. */
  status(): NonNullable<Snapshot['peers']> | null {
    const link = loadHqLink(this.db, this.opts.now);
    if (!link || !this.roster.current()) return null;
    const heads = new Map(this.copies.heads().map((h) => [h.terminalId, h]));
    return this.roster.peers(link.terminalId).map((p): PeerRow => {
      const sender = this.senders.get(p.terminalId);
      const sent = sender?.uploader.status();
      const heard = this.server?.contacts.get(p.terminalId);
      const head = heads.get(p.terminalId);
      const contacts = [sent?.lastSuccess ?? null, heard?.at ?? null].filter((x): x is string => x !== null).sort();
      return {
        terminalId: p.terminalId,
        laneId: p.laneId,
        address: p.address,
        lastContact: contacts.at(-1) ?? null,
        behind: sent?.backlog ?? unsent(new PeerFeed(this.db, p.terminalId)),
        held: head?.ackedThrough ?? 0,
        problem: sent?.lastError ?? heard?.problem ?? head?.alert ?? null,
      };
    });
  }
}

/** How many of this till's sales a peer's feed has not delivered. */
function unsent(feed: PeerFeed): number {
  return feed.backlogAfter(feed.ackedThrough()).n;
}
