/**
 * Replication between the store's tills (issue 19), measured:
 *  1. a peer catches up a till's 10,000-sale backlog over loopback (one peer; two at once), the
 *     receiving tills in processes of their own checking each batch as HQ does; then the check of each
 *     copied entry's own signature, which a till makes afterwards while its lane is idle;
 *  2. scan → committed on the selling till (its lane service, timed from when the scan was due, so a
 *     busy event loop counts) alone, and while two peer uploaders in its process catch up 10,000 sales each
 *     (the receiving tills' files on this machine's disk, and on disks of their own: /dev/shm);
 *     with the processor time the lane's thread used in each phase (/proc: what replication left on it,
 *     a figure a loaded machine does not inflate as it does latencies);
 *  3. a reflashed till recovers its 10,000-sale journal from that peer (the one of 1).
 *
 *   npx tsx bench/peers.ts [--scan] [--profile DIR] [--in-thread]
 *   --scan: only 2 (the selling till's scans, alone and during the catch-ups);
 *   --profile DIR: the event loop's delay in 2 (monitorEventLoopDelay), and a CPU profile of this process during each catch-up into DIR;
 *   --in-thread: the batches built and sent, and those received read, checked and kept, on the selling till's own thread, as before the batch worker (core/peers/batch-host.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_ITEMS } from '../core/catalog/demo';
import type { Db } from '../core/db';
import type { LaneService } from '../core/lane/host';
import { peerUploader } from '../core/peers/send';
import { PeerBatchWorker } from '../core/peers/batch-host';
import { enroll, loadHqLink } from '../core/sync/link';
import { HqLinkRepo } from '../core/sync/repo';
import { RosterRepo } from '../core/peers/roster';
import { recoverFromPeers } from '../core/peers/recover';
import { CopyAudit } from '../core/peers/audit';
import { PeerCopies } from '../core/peers/copies';
import { PeerServer, type PeerIdentity } from '../core/peers/server';
import { PeerIntake } from '../core/peers/intake';
import type { SalesBatch } from '../protocol/hq';
import { openDatabase } from '../core/db';
import { startCheckpointer } from '../core/db/checkpointer';
import { systemClock } from '../core/clock';
import { sqliteSql } from '../hq/sql';
import { demoDb, openDemoLane } from '../test/helpers/demo-lane';
import { run } from '../test/helpers/lane';
import { drainSource, enrolledLane } from './hq-drain';
import { ADMIN, readyLine, startHq } from './hq-process';
import { table } from './table';
import { rawEd25519 } from '../protocol/journal-chain';

const SALES = 10_000;
const DIR = resolve('.bench', 'peers');
const OWN_DISKS = '/dev/shm/kassa-bench-peers';
const ARGS = parseArgs({ options: { scan: { type: 'boolean', default: false }, profile: { type: 'string' }, 'in-thread': { type: 'boolean', default: false } } }).values;

async function receiver(name: string, peers: unknown, self = name, rosterKey?: string, dir = DIR, tlsKey?: string): Promise<{ url: string; key: string; stop: () => void }> {
  // The other tills are other machines: on this one they run on the second core, the selling till on the first.
  const child = spawn('taskset', ['-c', '1', process.execPath, '--import', 'tsx', 'bench/peer-receiver.ts', join(dir, `${name}.db`), JSON.stringify(peers), self, ...(rosterKey ? [rosterKey] : [])], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...(tlsKey ? { KASSA_BENCH_TLS_KEY: tlsKey } : {}) } });
  const { port, key } = await readyLine(child, (l) => (l.peerReceiver === 'ready' ? { port: Number(l.port), key: String(l.key) } : undefined), `peer ${name}`);
  return { url: `https://127.0.0.1:${port}`, key, stop: () => child.kill('SIGTERM') };
}

/** `n` fresh receiving tills, started (and warm) before anything is timed; then `go()` sends the lane's 10,000 sales to all at once and resolves with the seconds until every one holds them all. */
async function receivers(db: Db, identity: unknown, n: number, tag: string, dir = DIR): Promise<{ go: () => Promise<number> }> {
  const link = loadHqLink(db)!;
  const peers = await Promise.all(Array.from({ length: n }, (_, i) => receiver(`${tag}-${i}`, [identity], `${tag}-${i}`, undefined, dir)));
  const worker = ARGS['in-thread'] ? undefined : new PeerBatchWorker(db);
  worker?.start(); // as the core starts it with its peer replication
  return {
    go: async () => {
      const t0 = performance.now();
      const ups = peers.map((p, i) => peerUploader(db, link, { terminalId: `${tag}-${i}`, url: p.url, key: p.key }, { log: () => {} }, worker));
      for (const u of ups) u.uploader.start();
      await new Promise<void>((res) => {
        const t = setInterval(() => {
          if (ups.every((u) => u.feed.ackedThrough() >= SALES)) (clearInterval(t), res());
        }, 5);
      });
      const s = (performance.now() - t0) / 1000;
      for (const u of ups) u.uploader.stop();
      await worker?.close();
      for (const p of peers) p.stop();
      return s;
    },
  };
}

const catchUp = async (db: Db, identity: unknown, n: number, tag: string) => (await receivers(db, identity, n, tag)).go();

/** Scan → committed, one scan every 5 ms until `done` (at most `n`), each timed from when it was due; a sale completed every 5 scans. */
interface ScanTimes {
  n: number;
  p50: number;
  p99: number;
  max: number;
  loopP99: number;
  /** Seconds of processor the lane's thread used meanwhile (its scans and what else ran on it), and seconds it took. */
  cpuS: number;
  wallS: number;
}

/** Processor seconds the process's main thread (the lane's) has used, from /proc (Linux; 0 elsewhere): a figure a loaded machine does not inflate, unlike latency. */
function laneThreadCpuS(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (fields 14 and 15 of stat), in clock ticks of 1/100 s
  } catch {
    return 0;
  }
}

async function scanLatency(lane: LaneService, n: number, done: () => boolean = () => false): Promise<ScanTimes> {
  const times: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpu0 = laneThreadCpuS();
  const start = performance.now();
  for (let i = 0; i < n && !done(); i++) {
    const due = start + i * 5;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    run(lane, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    times.push(performance.now() - due);
    if (i % 5 === 4) (run(lane, { cmd: 'tenderCash' }), run(lane, { cmd: 'complete' }));
  }
  if (lane.snapshot().checkout?.lines.length) (run(lane, { cmd: 'tenderCash' }), run(lane, { cmd: 'complete' }));
  loop.disable();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))]!;
  return { n: times.length, p50: at(0.5), p99: at(0.99), max: times[times.length - 1]!, loopP99: loop.percentile(99) / 1e6, cpuS: laneThreadCpuS() - cpu0, wallS: (performance.now() - start) / 1000 };
}

/** 1. One peer, then two, catch up the lane's 10,000 sales; then the audit of one copy. */
async function catchUpTables(db: Db, identity: { journalKey: string }): Promise<void> {
  const one = await catchUp(db, identity, 1, 'one');
  const two = await catchUp(db, identity, 2, 'two');
  // Each copied entry's own signature is checked afterwards, while the receiving lane is idle (core/peers/audit.ts): timed on the copy of 1.
  const copy = openDatabase(join(DIR, 'one-0.db'));
  const t0 = performance.now();
  const audited = new CopyAudit(copy).step(() => [identity.journalKey], Number.MAX_SAFE_INTEGER, new Date().toISOString());
  const auditS = (performance.now() - t0) / 1000;
  copy.close();
  table(`A peer catches up ${SALES.toLocaleString('en')} sales over loopback (receivers in their own processes, each batch checked as HQ checks one; target ≤ 2 s)`, [
    { peers: 1, seconds: one.toFixed(2), 'sales/s per peer': Math.round(SALES / one) },
    { peers: 2, seconds: two.toFixed(2), 'sales/s per peer': Math.round(SALES / two) },
  ]);
  table('…then each copied entry’s own signature, checked while the receiving lane is idle', [{ entries: audited, seconds: auditS.toFixed(2), 'entries/s': Math.round(audited / auditS) }]);
}

/** Profiles this process's CPU from now until the returned function is called with where to write it. */
async function profiler(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function main(): Promise<void> {
  // The selling till (this process: its lane and its uploaders) on the first core.
  spawnSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  drainSource();
  const hqFile = join(DIR, 'hq.db');
  const hq = await startHq(['--db', hqFile]);
  const db = await enrolledLane(DIR, 'till', hq.url);
  const link = loadHqLink(db)!;
  const sql = sqliteSql(hqFile);
  const [t] = await sql.query<{ public_key: string; journal_key: string }>('SELECT public_key, journal_key FROM terminal WHERE terminal_id = $1', [link.terminalId]);
  await sql.close();
  const identity = { terminalId: link.terminalId, publicKey: t!.public_key, journalKey: t!.journal_key };

  await catchUp(db, identity, 1, 'warm');
  if (!ARGS.scan) await catchUpTables(db, identity);

  // The selling till's lane (its own database here; the uploaders run on its event loop, as in the core).
  const laneDb = demoDb(DIR, 'selling.db');
  const checkpointer = startCheckpointer(laneDb, { log: (l) => console.error(l) }); // as the core runs: WAL checkpoints off the lane's thread
  const lane = openDemoLane(laneDb);
  const alone = await scanLatency(lane, 1_000);
  const during = async (tag: string, dir: string) => {
    let finished = false;
    const ready = await receivers(db, identity, 2, tag, dir);
    const profile = ARGS.profile ? await profiler() : null;
    const busy = ready.go().then(() => (finished = true));
    const r = await scanLatency(lane, 100_000, () => finished);
    await busy;
    await profile?.(join(ARGS.profile!, `${tag}.cpuprofile`));
    return r;
  };
  const shared = await during('busy', DIR);
  // The other tills are other machines with disks of their own: here, memory (their fsyncs then do not queue on the selling till's disk).
  rmSync(OWN_DISKS, { recursive: true, force: true });
  mkdirSync(OWN_DISKS, { recursive: true });
  const own = await during('own', OWN_DISKS);
  rmSync(OWN_DISKS, { recursive: true, force: true });
  const taking = await receiving(laneDb, hq.url, (done) => scanLatency(lane, 100_000, done));
  const ms = (x: number) => x.toFixed(2);
  const loop = (r: ScanTimes): Record<string, string> => ({ 'lane thread CPU s / s taken': `${r.cpuS.toFixed(2)} / ${r.wallS.toFixed(1)}`, ...(ARGS.profile ? { 'event-loop delay p99': ms(r.loopP99) } : {}) });
  table('Scan → committed on the selling till, one scan every 5 ms, timed from when each was due (ms; target: unchanged within noise with two peers replicating)', [
    { while: 'nothing else', scans: alone.n, p50: ms(alone.p50), p99: ms(alone.p99), max: ms(alone.max), ...loop(alone) },
    { while: `two peers catching up ${SALES.toLocaleString('en')} sales each, their files on this disk`, scans: shared.n, p50: ms(shared.p50), p99: ms(shared.p99), max: ms(shared.max), ...loop(shared) },
    { while: '… their files on disks of their own (memory)', scans: own.n, p50: ms(own.p50), p99: ms(own.p99), max: ms(own.max), ...loop(own) },
    { while: `two peers sending it their ${SALES.toLocaleString('en')} sales each (its copies in its own database)`, scans: taking.n, p50: ms(taking.p50), p99: ms(taking.p99), max: ms(taking.max), ...loop(taking) },
  ]);
  lane.dispose();
  await checkpointer.stop();
  db.close();
  if (!ARGS.scan) await recovery(hq.url, identity);
  await hq.stop();
}

/**
 * 2b. The other way: two peers (processes of their own on the second core) send the selling till
 * their 10,000 sales each; its listener checks and keeps them in its own database, as core/peers/sync.ts does.
 */
async function receiving(laneDb: Db, hqUrl: string, scans: (done: () => boolean) => Promise<ScanTimes>): Promise<ScanTimes> {
  const senders = await Promise.all(['sender-a', 'sender-b'].map(async (name) => {
    const db = await enrolledLane(DIR, name, hqUrl);
    const id = loadHqLink(db)!.terminalId;
    db.close();
    return { name, id };
  }));
  const sql = sqliteSql(join(DIR, 'hq.db'));
  const peers: PeerIdentity[] = [];
  for (const s of senders) {
    const [t] = await sql.query<{ public_key: string; journal_key: string }>('SELECT public_key, journal_key FROM terminal WHERE terminal_id = $1', [s.id]);
    peers.push({ terminalId: s.id, publicKey: t!.public_key, journalKey: t!.journal_key });
  }
  await sql.close();
  const copies = new PeerCopies(laneDb);
  // As core/peers/sync.ts takes them: read, checked and kept by the batch worker in the copies' own file (--in-thread: on the lane's thread, as before the batch worker).
  const worker = ARGS['in-thread'] ? null : new PeerBatchWorker(laneDb);
  const intake = new PeerIntake(copies, worker);
  const ways = worker ? { receive: intake.receive.bind(intake), keep: intake.keep! } : { receive: (p: PeerIdentity, batch: SalesBatch, now: Date) => copies.ingest(p.terminalId, p.journalKey!, batch, now) };
  worker?.start();
  const own = generateKeyPairSync('ed25519'); // the selling till's TLS key (its enrolled key in the core)
  const ownKey = rawEd25519(own.publicKey);
  const server = new PeerServer({ host: '127.0.0.1', port: 0, now: systemClock, peers: () => peers, self: () => ({ terminalId: 'selling', key: own.privateKey }), ...ways });
  const url = `https://127.0.0.1:${await server.listen()}`;
  const children = await Promise.all(senders.map(async (s) => {
    const child = spawn('taskset', ['-c', '1', process.execPath, '--import', 'tsx', 'bench/peer-sender.ts', join(DIR, `${s.name}.db`), url, 'selling', ownKey], { stdio: ['pipe', 'pipe', 'inherit'] });
    await readyLine(child, (l) => (l.peerSender === 'ready' ? true : undefined), `sender ${s.name}`);
    return { child, done: readyLine(child, (l) => (l.peerSender === 'done' ? true : undefined), `sender ${s.name}`) };
  }));
  let finished = false;
  const all = Promise.all(children.map((c) => c.done)).then(() => (finished = true));
  const profile = ARGS.profile ? await profiler() : null;
  for (const c of children) c.child.stdin!.write('go\n');
  const r = await scans(() => finished);
  await all;
  await profile?.(join(ARGS.profile!, 'receiving.cpuprofile'));
  await server.close();
  await worker?.close();
  return r;
}

/**
 * 3. The till reflashed: enrolled again with a reflash token into an empty database, it recovers its
 * 10,000 sales from the peer that caught up in 1 (its copy, in its own process on the second core).
 */
async function recovery(hqUrl: string, identity: { terminalId: string }): Promise<void> {
  const peerDb = await enrolledLane(DIR, 'peerlane', hqUrl);
  const peerId = loadHqLink(peerDb)!.terminalId;
  // It speaks for that enrolled till: TLS with its enrolled key, which the reflashed till's roster pins.
  const peerKey = loadHqLink(peerDb)!.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  const rosterKey = new HqLinkRepo(peerDb).get()!.rosterKey!;
  peerDb.close();
  const holder = await receiver('one-0', [identity], peerId, rosterKey, DIR, peerKey);
  const admin = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` };
  const { token } = (await (await fetch(`${hqUrl}/v1/admin/enrollment-tokens`, { method: 'POST', headers: admin, body: JSON.stringify({ storeId: 'bench', laneId: 'till', reflash: true }) })).json()) as { token: string };
  const db = openDatabase(join(DIR, 'reflashed.db'));
  const r = await enroll(db, hqUrl, token, 'bench');
  new RosterRepo(db).addAddress(peerId, holder.url.replace(/^https?:\/\//, ''), new Date(0).toISOString());
  const t0 = performance.now();
  const got = await recoverFromPeers(db, loadHqLink(db)!, r.reflash!, { now: systemClock, log: () => {}, waitMs: 0 });
  const s = (performance.now() - t0) / 1000;
  holder.stop();
  db.close();
  table(`A reflashed till recovers its journal of ${SALES.toLocaleString('en')} sales from a peer over loopback (every page checked, kept in one transaction, the whole journal verified; target ≤ 5 s)`, [
    { sales: got.sales, 'journal entries': got.entries, seconds: s.toFixed(2), 'sales/s': Math.round(got.sales / s) },
  ]);
}

void main().then(() => process.exit(0));
