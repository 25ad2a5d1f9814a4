/**
 * A till's peer listener and its copies as their own process, for bench/peers.ts (as on a store's
 * other till): `tsx bench/peer-receiver.ts <db> <peers JSON> <its own terminal id>` prints {"peerReceiver":"ready","port":N}.
 */
import { openDatabase } from '../core/db';
import { PeerCopies } from '../core/peers/copies';
import { PeerServer, type PeerIdentity } from '../core/peers/server';
import { systemClock } from '../core/clock';

const [file, peersJson, self] = process.argv.slice(2);
const db = openDatabase(file!);
const copies = new PeerCopies(db);
const peers = JSON.parse(peersJson!) as PeerIdentity[];
const server = new PeerServer({ host: '127.0.0.1', port: 0, now: systemClock, peers: () => peers, self: () => self ?? null, receive: (p, batch, now) => copies.ingest(p.terminalId, p.journalKey!, batch, now) });
void server.listen().then((port) => process.stdout.write(JSON.stringify({ peerReceiver: 'ready', port }) + '\n'));
process.on('SIGTERM', () => void server.close().then(() => (db.close(), process.exit(0))));
