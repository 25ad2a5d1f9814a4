/**
 * The least any HQ that checks what it stores (issue 18.5) must do with one terminal's 10,000 sales,
 * whatever the wire format: take the bytes off a loopback socket, hash every sale's journal entry
 * (the chain check recomputes each hash from the entry's body), read each body as JSON (HQ refuses
 * one that is not), and insert each sale into HQ's own sale table on SQLite (its schema, its two
 * unique keys, a commit with fsync per batch of 1,000). No envelope, no zod, no request signature,
 * no acknowledgement, no HTTP: what is left when every cost the protocol adds is taken away. The
 * drain's target (PouchDB's time / ours ≥ 10×) is set against this in the table bench/hq-drain.ts prints.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { openDatabase } from '../core/db';
import { OutboxRepo } from '../core/sync/repo';
import { migrate, sqliteSql } from '../hq/sql';

const ms = (t0: number) => performance.now() - t0;

/** Sends `bytes` over a loopback TCP socket and resolves when the other side has read them all. */
function loopback(bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer((sock) => {
      let got = 0;
      sock.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= bytes.length) {
          sock.end();
          server.close();
          resolve();
        }
      });
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      const c = connect(port, '127.0.0.1', () => c.end(bytes));
      c.on('error', reject);
    });
  });
}

/** Milliseconds per irreducible stage for `source`'s outbox (best of three). */
export async function drainFloor(source: string, dir: string): Promise<Array<{ stage: string; ms: number }>> {
  const lane = openDatabase(source);
  const rows = new OutboxRepo(lane).batch(0, 10_000);
  lane.close();
  const bodies = rows.map((r) => Buffer.from(r.payload));
  const all = Buffer.concat(bodies);
  let best: number[] = [];
  for (let run = 0; run < 3; run++) {
    const file = join(dir, `floor-hq-${run}.db`);
    const sql = sqliteSql(file);
    await migrate(sql, join(import.meta.dirname, '../migrations/hq'));
    await sql.close();
    const hq = new Database(file);
    hq.pragma('journal_mode = WAL');
    hq.pragma('synchronous = FULL');
    const insert = hq.prepare(
      'INSERT INTO sale (sale_id, terminal_id, sequence, kind, business_date, total, created_at, received_at, body, journal_seq, journal_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const times: number[] = [];
    let t = performance.now();
    await loopback(all);
    times.push(ms(t));
    t = performance.now();
    const hashes = bodies.map((b) => createHash('sha256').update(b).digest('hex'));
    times.push(ms(t));
    t = performance.now();
    for (const b of bodies) JSON.parse(b.toString('utf8'));
    times.push(ms(t));
    t = performance.now();
    for (let i = 0; i < rows.length; i += 1_000) {
      hq.transaction(() => {
        for (let k = i; k < Math.min(rows.length, i + 1_000); k++) {
          const r = rows[k]!;
          insert.run(r.sale_id, 'T-floor', r.sequence, r.kind, r.business_date, r.total, r.created_at, r.created_at, r.payload, r.journal_seq, hashes[k]);
        }
      })();
    }
    times.push(ms(t));
    hq.close();
    best = run === 0 ? times : best.map((b, k) => Math.min(b, times[k]!));
  }
  const mb = (all.length / 1e6).toFixed(1);
  return [
    { stage: `the sales' bodies (${mb} MB) over a loopback socket`, ms: best[0]! },
    { stage: 'SHA-256 of every body (the chain check hashes each entry)', ms: best[1]! },
    { stage: 'every body read as JSON (HQ refuses one that is not)', ms: best[2]! },
    { stage: "insert into HQ's sale table on SQLite, 10 commits with fsync", ms: best[3]! },
  ];
}
