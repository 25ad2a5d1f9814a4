/**
 * Journal archiving (docs/retention.md, core/journal/archive.ts): after a Z, entries older than the
 * market's keeping period that HQ already holds go to a signed, verified file and leave the
 * database; the chain still verifies, returns of old receipts still work, and a day's export reads
 * the same from the archive as it did from the database.
 */
import { rawAppend } from '../../helpers/journal';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { Journal } from '../../../core/journal';
import { archivableThrough, verifyArchiveFile, verifyArchives } from '../../../core/journal/archive';
import { exportJournalDay } from '../../../core/journal/export';
import { archiveDirFor } from '../../../core/journal/file';
import { Ed25519Signer } from '../../../core/journal/signer';
import { PROFILES } from '../../../core/profile';
import type { ReturnResult } from '../../../protocol/terminal';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { exec, run } from '../../helpers/lane';
import { MONDAY } from '../../helpers/clock';
import { tempDir } from '../../helpers/tmp';

const SUP = { operator: '7', pin: '7777' };
const DAY = 86_400_000;
let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function lane() {
  const t = tempDir();
  const db = demoDb(t.dir);
  const clock = new ManualClock(MONDAY);
  const signer = Ed25519Signer.generate().signer;
  const dir = join(t.dir, 'journal-archive');
  const journal = new Journal(db, { signer });
  const s = openDemoLane(db, { now: clock.now, journal, journalArchiveDir: dir });
  cleanups.push(() => {
    s.dispose();
    db.close();
    t.cleanup();
  });
  const sell = () => {
    clock.advance(60_000);
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'scan', code: DEMO_ITEMS.bread.codes[0]! });
    run(s, { cmd: 'tenderCash' });
    return run(s, { cmd: 'complete', receipt: 'none' }).lastSale!;
  };
  const closeDay = () => {
    clock.advance(60_000);
    run(s, { cmd: 'closeTill', counted: [], approval: SUP });
  };
  // A Z leaves the cashier signed in; the next day starts with opening the till.
  const openDay = () => {
    run(s, { cmd: 'openTill', float: [] });
  };
  /** What the uploader records when HQ acknowledges every sale so far. */
  const hqHoldsAll = () =>
    db.prepare('INSERT INTO sync_state (id, acked_through) VALUES (1, (SELECT max(sequence) FROM sale)) ON CONFLICT (id) DO UPDATE SET acked_through = excluded.acked_through').run();
  /** Closes the day HQ then holds, and the Z of a day 35 days later archives it. */
  const archiveDay = () => {
    closeDay();
    hqHoldsAll();
    clock.advance(35 * DAY);
    openDay();
    sell();
    hqHoldsAll();
    closeDay();
  };
  const firstSeq = () => (db.prepare('SELECT min(seq) AS n FROM journal').get() as { n: number }).n;
  return { db, s, clock, dir, journal, sell, closeDay, openDay, hqHoldsAll, archiveDay, firstSeq };
}

describe('archiving the journal after a Z', () => {
  it('keeps everything while HQ does not hold the sales, and everything younger than the keeping period', () => {
    const l = lane();
    l.sell();
    l.closeDay();
    l.clock.advance(40 * DAY);
    l.openDay();
    l.sell();
    l.closeDay(); // HQ has acknowledged nothing: no sale, nor anything after it, may leave the terminal
    const firstSale = (l.db.prepare('SELECT min(journal_seq) AS n FROM sale').get() as { n: number }).n;
    expect(l.firstSeq()).toBe(firstSale);
    l.hqHoldsAll();
    l.openDay();
    l.sell();
    l.hqHoldsAll();
    l.closeDay(); // the first day is 40 days old, the second is not
    const kept = l.db.prepare<[], { at: string }>('SELECT min(at) AS at FROM journal').get()!.at;
    expect(Date.parse(kept)).toBeGreaterThan(l.clock.now().getTime() - PROFILES.SE.journalKeepDays * DAY);
    expect(l.firstSeq()).toBeGreaterThan(1);
  });

  it('moves old entries to a signed file that verifies; the chain verifies from it; old receipts can still be returned', () => {
    const l = lane();
    const old = [l.sell(), l.sell()];
    const tz = PROFILES.SE.timeZone;
    const oldDate = old[0]!.completedAt.slice(0, 10);
    l.closeDay();
    l.hqHoldsAll();
    const before = exportJournalDay(l.db, oldDate, { timeZone: tz, now: l.clock.now });
    expect(before.entries.map((e) => e.kind)).toEqual(['operator.signIn', 'till.opened', 'sale.completed', 'sale.completed', 'approval', 'report.z']);
    l.clock.advance(35 * DAY);
    l.openDay();
    l.sell();
    l.hqHoldsAll();
    l.closeDay();

    // Each archive (the first Z already archived what came before the first sale HQ lacked) is a
    // file with its signature; together they cover the chain from its start without a gap.
    const records = l.db.prepare<[], { first_seq: number; through_seq: number; file: string }>('SELECT first_seq, through_seq, file FROM journal_archive ORDER BY through_seq').all();
    expect(records.length).toBeGreaterThan(0);
    expect(readdirSync(l.dir).sort()).toEqual(records.flatMap((r) => [r.file, `${r.file}.sig`]).sort());
    let next = 1;
    for (const r of records) {
      expect(r.first_seq).toBe(next);
      expect(verifyArchiveFile(join(l.dir, r.file))).toMatchObject({ ok: true, signed: true, entries: r.through_seq - r.first_seq + 1 });
      next = r.through_seq + 1;
    }
    expect(l.firstSeq()).toBe(next);
    expect(new Journal(l.db).verify()).toMatchObject({ ok: true, archivedThrough: next - 1 });

    // The day's export reads the same entries from the archive.
    const after = exportJournalDay(l.db, oldDate, { timeZone: tz, now: l.clock.now, archiveDir: l.dir });
    expect(after.entries).toEqual(before.entries);
    expect(after.anchor).toEqual(before.anchor);

    // A return of a receipt whose journal entry was archived finds its sale and refunds it.
    l.openDay();
    const receiptCode = `R${old[0]!.saleId.replace(/-/g, '')}`;
    const found = exec(l.s, { cmd: 'findSale', receiptCode }).result as { lines: Array<{ lineId: string }> };
    expect(found.lines).toHaveLength(2);
    const r = exec(l.s, { cmd: 'returnLines', receiptCode, lines: [{ lineId: found.lines[0]!.lineId, quantity: 1 }], reason: 'fel vara' }).result as ReturnResult;
    expect(r.refund).toBe(Math.round(DEMO_ITEMS.milk.price / 100) * 100); // cash, to the whole krona
    expect(new Journal(l.db).verify()).toMatchObject({ ok: true });
  });

  it('refuses a tampered archive file, and the database refuses deleting entries not archived', () => {
    const l = lane();
    l.sell();
    l.archiveDay();
    const file = l.db.prepare<[], { file: string }>('SELECT file FROM journal_archive ORDER BY through_seq DESC LIMIT 1').get()!.file;
    const path = join(l.dir, file);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"Mellanmjölk', '"Mellanmjolk'));
    expect(verifyArchiveFile(path)).toMatchObject({ ok: false, reason: expect.stringMatching(/hash does not match/) });
    // Recomputing the hashes cannot help: the signatures and the file signature no longer match.
    writeFileSync(path, text.replace('"archivedAt":"', '"archivedAt":"0'));
    expect(verifyArchiveFile(path)).toMatchObject({ ok: false, reason: 'the file signature does not match the file' });
    writeFileSync(path, text);
    expect(verifyArchiveFile(path)).toMatchObject({ ok: true });
    expect(verifyArchives(l.db, l.dir)).toMatchObject({ ok: true });
    // Only the terminal's enrolled key is trusted: a file signed by another verifies against nothing.
    expect(verifyArchives(l.db, l.dir, new Set(['some-other-key']))).toMatchObject({ ok: false, reason: expect.stringMatching(/not trusted/) });
    // An archive the database records but that is gone is named.
    writeFileSync(path + '.moved', text);
    rmSync(path);
    expect(verifyArchives(l.db, l.dir)).toMatchObject({ ok: false, file, reason: expect.stringMatching(/missing/) });
    expect(() => l.db.prepare('DELETE FROM journal WHERE seq = ?').run(l.firstSeq())).toThrow(/append-only/);
    expect(() => l.db.prepare('DELETE FROM journal_archive').run()).toThrow(/append-only/);
  });

  it('never cuts into the open till or the last Z', () => {
    const l = lane();
    l.sell();
    l.hqHoldsAll();
    l.clock.advance(60 * DAY);
    // The till opened 60 days ago is still open: its entries are read by its Z.
    const openSeq = (l.db.prepare('SELECT open_seq AS n FROM till_session WHERE closed_at IS NULL').get() as { n: number }).n;
    expect(archivableThrough(l.db, { now: l.clock.now, keepDays: 31 })).toBe(openSeq - 1);
    l.closeDay();
    const z = (l.db.prepare("SELECT max(seq) AS n FROM journal WHERE kind = 'report.z'").get() as { n: number }).n;
    // Everything before the Z may go; the Z itself stays (the next Z's counter and float read it).
    expect(archivableThrough(l.db, { now: () => new Date(l.clock.now().getTime() + 60 * DAY), keepDays: 31 })).toBe(z - 1);
  });

  it('store IT verifies and exports an archived journal with the same commands as before', async () => {
    const l = lane();
    const old = l.sell();
    l.archiveDay();
    const dbPath = l.db.name;
    expect(l.dir).toBe(archiveDirFor(dbPath));
    const run = promisify(execFile);
    const ok = await run(process.execPath, ['--import', 'tsx', 'scripts/journal-verify.ts', dbPath]);
    expect(ok.stdout).toMatch(/^OK: \d+ entries, .* \(entries 1–\d+ in 1 verified archive files\)/);
    const day = await run(process.execPath, ['--import', 'tsx', 'scripts/journal-export.ts', dbPath, old.completedAt.slice(0, 10)]);
    const kinds = (JSON.parse(day.stdout) as { entries: Array<{ kind: string; ref: string | null }> }).entries.filter((e) => e.kind === 'sale.completed').map((e) => e.ref);
    expect(kinds).toEqual([old.saleId]);
    // A changed archive file fails the verification, naming the file.
    const file = join(l.dir, readdirSync(l.dir).find((f) => f.endsWith('.json'))!);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Mellanmjölk', '"Mellanmjolk'));
    const bad: { code?: number; stdout: string } = await run(process.execPath, ['--import', 'tsx', 'scripts/journal-verify.ts', dbPath]).catch((e: { code: number; stdout: string }) => e);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^TAMPERED: archive journal-0+1-0+\d+\.json: entry \d+: hash does not match/);
  });

  it('continues the chain from the archive when every entry was archived', () => {
    const l = lane();
    l.sell();
    const journal = l.journal;
    const last = l.db.prepare<[], { seq: number; hash: string; at: string }>('SELECT seq, hash, at FROM journal ORDER BY seq DESC LIMIT 1').get()!;
    // As archiveJournal records an archive and deletes what it holds (here: all of it).
    l.db.transaction(() => {
      l.db.prepare("INSERT INTO journal_archive VALUES (?, 1, ?, ?, ?, ?, 'journal-x.json', 'x', ?)").run(last.seq, last.hash, MONDAY, last.at, last.seq, last.at);
      l.db.prepare('DELETE FROM journal').run();
    })();
    const next = l.db.transaction(() => rawAppend(journal, 'operator.signOut', '1', {}, l.clock.now().toISOString()))();
    expect(next).toMatchObject({ seq: last.seq + 1, prevHash: last.hash });
    expect(journal.verify()).toMatchObject({ ok: true, entries: 1, archivedThrough: last.seq, head: next.hash });
  });
});
