/**
 * HQ on SQLite: a transaction (an ingest) is acknowledged only once its commit is on disk, and the
 * fsync that puts it there runs off the event loop — HQ goes on reading and checking the next request
 * meanwhile, and commits made while one fsync runs share the next (hq/sql.ts walSync).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteSql } from '../../hq/sql';
import { tempDir } from '../helpers/tmp';

const tmp = tempDir('kassa-hq-commit-');
afterAll(() => tmp.cleanup());

describe('a transaction on SQLite', () => {
  it('is acknowledged after its fsync, which holds up no other statement: one asked for meanwhile runs first', async () => {
    const sql = sqliteSql(join(tmp.dir, 'hq.db'));
    await sql.query('CREATE TABLE t (x INTEGER)');
    const order: string[] = [];
    const written = sql.tx(async (q) => {
      await q.query('INSERT INTO t (x) VALUES (1)');
      return 'written';
    });
    const read = sql.query<{ n: number }>('SELECT count(*) AS n FROM t');
    await Promise.all([written.then((w) => order.push(w)), read.then(([r]) => order.push(`read ${r!.n}`))]);
    // The read sees the commit (it ran after it) and is answered while the commit's fsync still runs.
    expect(order).toEqual(['read 1', 'written']);
    await sql.close();
  });

  it('many at once: each is acknowledged with its own result, all of them stored, a failing one rolled back alone', async () => {
    const sql = sqliteSql(join(tmp.dir, 'many.db'));
    await sql.query('CREATE TABLE t (x INTEGER PRIMARY KEY)');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        sql.tx(async (q) => {
          await q.query('INSERT INTO t (x) VALUES ($1)', [i === 7 ? 3 : i]);
          return i;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, (_, i) => (i === 7 ? 'rejected' : 'fulfilled')));
    expect(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))).toEqual(Array.from({ length: 20 }, (_, i) => i).filter((i) => i !== 7));
    expect((await sql.query<{ n: number }>('SELECT count(*) AS n FROM t'))[0]!.n).toBe(19);
    await sql.close();
  });
});
