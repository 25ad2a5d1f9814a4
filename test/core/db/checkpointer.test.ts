/** WAL checkpoints on a worker thread: the lane's connection never checkpoints, the worker does. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db';
import { startCheckpointer } from '../../../core/db/checkpointer';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const tmp = tempDir('kassa-ckpt-');
afterAll(() => tmp.cleanup());

describe('background checkpoints', () => {
  it('copy the write-ahead log into the database file from another thread; stopping hands it back to SQLite', async () => {
    const path = join(tmp.dir, 'a.db');
    const db = openDatabase(path);
    const ck = startCheckpointer(db, { everyMs: 100, checkpointAt: 4_000_000 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(path).size;
    db.exec('CREATE TABLE blob (x BLOB)');
    const ins = db.prepare('INSERT INTO blob VALUES (randomblob(4000))');
    // Less than the 4 MB it waits for: left in the log (a checkpoint that catches up makes the next commit flush).
    db.transaction(() => { for (let k = 0; k < 100; k++) ins.run(); })();
    await new Promise((r) => setTimeout(r, 500));
    expect(statSync(path).size).toBeLessThan(before + 400_000);
    for (let i = 0; i < 19; i++) db.transaction(() => { for (let k = 0; k < 100; k++) ins.run(); })();
    // 8 MB went into the WAL; the lane's connection did not copy it back — the worker does, at
    // least the first 4 MB (what came after may wait in the log for the next 4 MB).
    await until('checkpointed by the worker', () => statSync(path).size > before + 3_900_000, 10_000);
    expect(db.prepare('SELECT count(*) AS n FROM blob').get()).toEqual({ n: 2000 });
    await ck.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });
});
