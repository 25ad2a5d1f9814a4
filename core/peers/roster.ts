/**
 * The till's store roster (migration 0021): the newest roster HQ signed that verified with the roster
 * key pinned at enrollment (protocol/roster.ts), and the peer addresses store IT added by hand
 * (`npm run peer -- add`). Who a peer is comes only from the signed roster; a hand-typed address only
 * says where a terminal the roster names listens, and wins over the address the roster reports.
 * Every statement is prepared once, when the repository is made.
 */
import type { Db } from '../db';
import { PeerAddressSchema, RosterSchema, verifyRoster, type Roster, type RosterTerminal } from '../../protocol/roster';
import { takeStoreDocument } from '../sync/store-document';
import { HqLinkRepo } from '../sync/repo';

/** A store peer as this till uses it: its identity from the signed roster, its address (store IT's, else the roster's). */
export interface Peer {
  terminalId: string;
  laneId: string;
  publicKey: string;
  journalKey: string | null;
  /** The journal keys it signed with before it was reflashed, oldest first (none: never reflashed). */
  retiredJournalKeys: string[];
  address: string | null;
  /** Where the address came from: typed in by store IT, reported to HQ by the peer, or none. */
  addressFrom: 'manual' | 'roster' | null;
  hqAckedThrough: number;
  lastContact: string | null;
}

export type RosterStoreResult = { ok: true } | { ok: false; reason: string };

export class RosterRepo {
  private readonly s;
  private readonly links: HqLinkRepo;

  constructor(db: Db) {
    this.links = new HqLinkRepo(db);
    this.s = {
      held: db.prepare<[], { body: string; issued_at: string; signature: string }>('SELECT body, issued_at, signature FROM peer_roster WHERE id = 1'),
      save: db.prepare(
        `INSERT INTO peer_roster (id, store_id, body, signature, issued_at) VALUES (1, @storeId, @body, @signature, @issuedAt)
         ON CONFLICT (id) DO UPDATE SET store_id = excluded.store_id, body = excluded.body, signature = excluded.signature, issued_at = excluded.issued_at`,
      ),
      clear: db.prepare('DELETE FROM peer_roster'),
      addresses: db.prepare<[], { terminal_id: string; address: string; added_at: string }>('SELECT terminal_id, address, added_at FROM peer_address ORDER BY terminal_id'),
      add: db.prepare('INSERT INTO peer_address (terminal_id, address, added_at) VALUES (?, ?, ?) ON CONFLICT (terminal_id) DO UPDATE SET address = excluded.address, added_at = excluded.added_at'),
      remove: db.prepare('DELETE FROM peer_address WHERE terminal_id = ?'),
    };
  }

  /**
   * Keeps a signed roster from HQ if it verifies with `rosterKey` (HQ's, pinned at enrollment), is for
   * this terminal's store, and is not older than the one held (no going back to an earlier roster).
   * A refusal changes nothing and says why.
   */
  store(signed: unknown, rosterKey: string | null): RosterStoreResult {
    const taken = takeStoreDocument(signed, rosterKey, verifyRoster, this.links.get(), { key: 'roster key', doc: 'the roster', takes: 'a roster' });
    if (!taken.ok) return taken;
    const roster = taken.doc;
    const held = this.s.held.get();
    if (held && Date.parse(roster.issuedAt) < Date.parse(held.issued_at)) return { ok: false, reason: `ROLLBACK: the roster was issued at ${roster.issuedAt}, before the one held (${held.issued_at}); kept that one` };
    const s = signed as { body: string; signature: string }; // verified above
    this.s.save.run({ storeId: roster.storeId, body: s.body, signature: s.signature, issuedAt: roster.issuedAt });
    return { ok: true };
  }

  /** The roster held (it verified when it was stored), or null before the first. */
  current(): Roster | null {
    const held = this.s.held.get();
    return held ? RosterSchema.parse(JSON.parse(held.body)) : null;
  }

  /** The roster held as HQ signed it (a reflashed till hands it to its peers: core/peers/recover.ts), or null. */
  signed(): { body: string; signature: string } | null {
    const held = this.s.held.get();
    return held ? { body: held.body, signature: held.signature } : null;
  }

  /** Forgets the roster held (a new enrollment: another identity, perhaps another store). Addresses stay: they name terminals, not this one. */
  clear(): void {
    this.s.clear.run();
  }

  /** The store's other terminals, from the roster held (none before the first); store IT's address wins over the roster's. */
  peers(selfTerminalId: string): Peer[] {
    const roster = this.current();
    if (!roster) return [];
    const manual = new Map(this.s.addresses.all().map((a) => [a.terminal_id, a.address]));
    return roster.terminals.filter((t) => t.terminalId !== selfTerminalId).map((t) => peerOf(t, manual.get(t.terminalId)));
  }

  /** The addresses store IT added by hand, whether or not the roster names their terminals. */
  addresses(): Array<{ terminalId: string; address: string; addedAt: string }> {
    return this.s.addresses.all().map((a) => ({ terminalId: a.terminal_id, address: a.address, addedAt: a.added_at }));
  }

  /** Store IT's address for a terminal (host:port; replaces an earlier one). Throws on an address that is not host:port. */
  addAddress(terminalId: string, address: string, at: string): void {
    if (!/^[\x21-\x7e]{1,128}$/.test(terminalId)) throw new Error(`"${terminalId}" is not a terminal id`);
    const a = PeerAddressSchema.safeParse(address);
    if (!a.success) throw new Error(`"${address}" is not a peer address: ${a.error.issues[0]?.message ?? 'host:port'}`);
    this.s.add.run(terminalId, a.data, at);
  }

  /** Takes store IT's address for a terminal away; false when there was none. */
  removeAddress(terminalId: string): boolean {
    return this.s.remove.run(terminalId).changes > 0;
  }
}

function peerOf(t: RosterTerminal, manual: string | undefined): Peer {
  return {
    terminalId: t.terminalId,
    laneId: t.laneId,
    publicKey: t.publicKey,
    journalKey: t.journalKey,
    retiredJournalKeys: t.retiredJournalKeys ?? [],
    address: manual ?? t.address,
    addressFrom: manual !== undefined ? 'manual' : t.address !== null ? 'roster' : null,
    hqAckedThrough: t.hqAckedThrough,
    lastContact: t.lastContact,
  };
}
