/**
 * A till's peer listener and its copies as their own process, for bench/peers.ts (as on a store's
 * other till): `tsx bench/peer-receiver.ts <db> <peers JSON> <its own terminal id> [HQ's roster key]` prints {"peerReceiver":"ready","port":N}.
 * With HQ's roster key it takes a newer signed roster handed over (a reflashed till recovering) and hears the terminals it names.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { openDatabase } from '../core/db';
import { PeerCopies } from '../core/peers/copies';
import { PeerServer, type PeerIdentity } from '../core/peers/server';
import { systemClock } from '../core/clock';
import { verifyRoster } from '../protocol/roster';
import { rawEd25519 } from '../protocol/journal-chain';

const [file, peersJson, self, rosterKey] = process.argv.slice(2);
const db = openDatabase(file!);
const copies = new PeerCopies(db);
let peers = JSON.parse(peersJson!) as PeerIdentity[];
const takeRoster = (signed: unknown) => {
  if (!rosterKey) return { ok: false as const, reason: 'NO_KEY' };
  peers = verifyRoster(signed, rosterKey).terminals;
  return { ok: true as const };
};
// Its TLS key (a till's enrolled request key; this bench till is not enrolled): the senders pin it.
// (KASSA_BENCH_TLS_KEY: the enrolled key of the till it speaks for, PKCS#8 DER base64, bench only.)
const given = process.env.KASSA_BENCH_TLS_KEY;
const own = given ? { privateKey: createPrivateKey({ key: Buffer.from(given, 'base64'), format: 'der', type: 'pkcs8' }) } : generateKeyPairSync('ed25519');
const key = rawEd25519(own.privateKey);
const server = new PeerServer({
  host: '127.0.0.1', port: 0, now: systemClock, peers: () => peers, self: () => (self ? { terminalId: self, key: own.privateKey } : null), takeRoster,
  receive: (p, batch, now) => copies.ingest(p.terminalId, [...(p.retiredJournalKeys ?? []), p.journalKey!], batch, now),
  copy: (terminalId, after, limit) => copies.copyPage(terminalId, after, limit),
});
void server.listen().then((port) => process.stdout.write(JSON.stringify({ peerReceiver: 'ready', port, key }) + '\n'));
process.on('SIGTERM', () => void server.close().then(() => (db.close(), process.exit(0))));
