/**
 * A store's other till sending its sales to the selling till, as its own process, for bench/peers.ts:
 * `tsx bench/peer-sender.ts <db> <peer URL> <the peer's terminal id>` prints {"peerSender":"ready"};
 * a line on stdin starts it; once the peer holds every sale it prints {"peerSender":"done","seconds":S}.
 */
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../core/db';
import { PeerBatchWorker } from '../core/peers/batch-host';
import { peerUploader } from '../core/peers/send';
import { loadHqLink } from '../core/sync/link';

const [file, url, peerId, peerKey] = process.argv.slice(2);
const db = openDatabase(file!);
const worker = new PeerBatchWorker(db);
worker.start();
const { uploader } = peerUploader(db, loadHqLink(db)!, { terminalId: peerId!, url: url!, key: peerKey! }, { log: () => {} }, worker);
process.stdout.write(JSON.stringify({ peerSender: 'ready' }) + '\n');
createInterface({ input: process.stdin }).once('line', () => {
  const t0 = performance.now();
  void uploader.drain().then(async () => {
    process.stdout.write(JSON.stringify({ peerSender: 'done', seconds: (performance.now() - t0) / 1000 }) + '\n');
    await worker.close();
    db.close();
    process.exit(0);
  });
});
