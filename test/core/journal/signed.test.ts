/** The signed journal: tampering, deletion, reordering, foreign keys and signer outages are found. */
import { rawAppend } from '../../helpers/journal';
import Database from 'better-sqlite3';
import { testClock } from '../../helpers/clock';
import { execFile } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { canonicalJson, Journal } from '../../../core/journal';
import { exportJournalDay } from '../../../core/journal/export';
import { verifyJournalFile } from '../../../core/journal/file';
import { Ed25519Signer, loadOrCreateTerminalSigner, type FiscalSigner } from '../../../core/journal/signer';
import { tempDir } from '../../helpers/tmp';

let tmp: ReturnType<typeof tempDir>;
let path: string;
let db: Db;
beforeEach(() => {
  tmp = tempDir();
  path = join(tmp.dir, 'j.db');
  db = openDatabase(path);
});
afterEach(() => {
  if (db.open) db.close();
  tmp.cleanup();
});

function fill(journal: Journal, n: number, at = '2026-11-24T10:00:00.000Z') {
  const write = db.transaction((i: number) => rawAppend(journal, 'sale.completed', `s${i}`, { i, total: i * 100, name: `Vara ${i}` }, at));
  for (let i = 1; i <= n; i++) write(i);
}

/** Opens the file as a tamperer would: triggers dropped, raw SQL. */
function tamper(sql: string, ...params: unknown[]) {
  db.close();
  const raw = new Database(path);
  raw.exec('DROP TRIGGER IF EXISTS journal_append_only_update; DROP TRIGGER IF EXISTS journal_append_only_delete;');
  if (params.length) raw.prepare(sql).run(...params);
  else raw.exec(sql);
  raw.close();
}

function flipByte(s: string, at: number): string {
  const c = s.charCodeAt(at);
  const repl = c === 0x30 ? '1' : c === 0x41 ? 'B' : String.fromCharCode(c === 0x7a ? 0x79 : c + 1);
  return s.slice(0, at) + repl + s.slice(at + 1);
}

describe('signed journal', () => {
  it('signs every entry with the terminal key and verifies from the file alone', () => {
    const signer = loadOrCreateTerminalSigner(db);
    expect(loadOrCreateTerminalSigner(db).keyId).toBe(signer.keyId); // same key on the next start
    fill(new Journal(db, { signer }), 10);
    db.close();
    expect(verifyJournalFile(path)).toMatchObject({ ok: true, entries: 10, signed: 10, unsigned: 0 });
    expect(verifyJournalFile(path, new Set([signer.keyId]))).toMatchObject({ ok: true });
    expect(verifyJournalFile(path, new Set(['0000000000000000']))).toMatchObject({ ok: false, seq: 1 });
  });

  for (const column of ['body', 'at', 'kind', 'ref', 'hash', 'prev_hash', 'signature'] as const) {
    it(`finds one changed byte in ${column} at the right entry`, () => {
      fill(new Journal(db, { signer: loadOrCreateTerminalSigner(db) }), 8);
      const row = db.prepare(`SELECT ${column} AS v FROM journal WHERE seq = 5`).get() as { v: string };
      const pos = column === 'body' ? row.v.indexOf('Vara') : column === 'signature' ? 3 : row.v.length - 2;
      tamper(`UPDATE journal SET ${column} = ? WHERE seq = 5`, flipByte(row.v, pos));
      const r = verifyJournalFile(path);
      expect(r.ok).toBe(false);
      expect(r.ok === false && r.seq).toBe(5);
    });
  }

  it('finds a deleted entry where the gap is', () => {
    fill(new Journal(db, { signer: loadOrCreateTerminalSigner(db) }), 8);
    tamper('DELETE FROM journal WHERE seq = 4');
    expect(verifyJournalFile(path)).toEqual({ ok: false, seq: 5, reason: 'gap: expected sequence 4' });
  });

  it('finds two reordered entries at the first of them', () => {
    fill(new Journal(db, { signer: loadOrCreateTerminalSigner(db) }), 8);
    tamper('UPDATE journal SET seq = -3 WHERE seq = 3; UPDATE journal SET seq = 3 WHERE seq = 6; UPDATE journal SET seq = 6 WHERE seq = -3;');
    expect(verifyJournalFile(path)).toMatchObject({ ok: false, seq: 3 });
  });

  it('finds a rewritten tail re-signed with a foreign key when the terminal key is pinned', () => {
    const signer = loadOrCreateTerminalSigner(db);
    fill(new Journal(db, { signer }), 5);
    // The attacker rewrites from entry 4 on and signs with their own key.
    db.prepare("DROP TRIGGER journal_append_only_delete").run();
    db.prepare('DELETE FROM journal WHERE seq >= 4').run();
    const evil = Ed25519Signer.generate().signer;
    const j2 = new Journal(db, { signer: evil });
    db.transaction(() => rawAppend(j2, 'sale.completed', 's4', { i: 4, total: 1 }, 'now'))();
    db.close();
    expect(verifyJournalFile(path).ok).toBe(true); // consistent on its own…
    expect(verifyJournalFile(path, new Set([signer.keyId]))).toMatchObject({ ok: false, seq: 4 }); // …but not with the enrolled key
  });

  it('journals a signer outage; unsigned entries pass only inside it', () => {
    const real = loadOrCreateTerminalSigner(db);
    let up = true;
    const flaky: FiscalSigner = { keyId: real.keyId, publicKeyPem: real.publicKeyPem, available: () => up, sign: (d) => real.sign(d) };
    const journal = new Journal(db, { signer: flaky });
    fill(journal, 2);
    up = false;
    fill(journal, 2);
    expect(journal.signerState()).toBe('outage');
    up = true;
    fill(journal, 2);
    expect(journal.signerState()).toBe('ok');
    const kinds = (db.prepare('SELECT kind, signature IS NOT NULL AS signed FROM journal ORDER BY seq').all() as Array<{ kind: string; signed: number }>).map((r) => `${r.kind}:${r.signed}`);
    expect(kinds).toEqual([
      'sale.completed:1',
      'sale.completed:1',
      'signer.outage.start:0',
      'sale.completed:0',
      'sale.completed:0',
      'signer.outage.end:1',
      'sale.completed:1',
      'sale.completed:1',
    ]);
    db.close();
    expect(verifyJournalFile(path)).toMatchObject({ ok: true, signed: 5, unsigned: 3 });
    tamper('UPDATE journal SET signature = NULL, key_id = NULL WHERE seq = 8');
    expect(verifyJournalFile(path)).toEqual({ ok: false, seq: 8, reason: 'unsigned entry outside a signer outage' });
  });

  it('the command-line verifier exits 0 on a good file and names the bad entry on a tampered one', async () => {
    fill(new Journal(db, { signer: loadOrCreateTerminalSigner(db) }), 6);
    db.close();
    const run = promisify(execFile);
    const ok = await run(process.execPath, ['--import', 'tsx', 'scripts/journal-verify.ts', path]);
    expect(ok.stdout).toMatch(/^OK: 6 entries, 6 signed/);
    db = openDatabase(path);
    const body = (db.prepare('SELECT body FROM journal WHERE seq = 2').get() as { body: string }).body;
    tamper('UPDATE journal SET body = ? WHERE seq = 2', body.replace('200', '100'));
    const bad: { code?: number; stdout: string } = await run(process.execPath, ['--import', 'tsx', 'scripts/journal-verify.ts', path]).catch((e: { code: number; stdout: string }) => e);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/TAMPERED: entry 2: hash does not match/);
  });

  it('exports a day that a third party can verify with plain node:crypto', () => {
    const signer = loadOrCreateTerminalSigner(db);
    const journal = new Journal(db, { signer });
    fill(journal, 3, '2026-11-23T10:00:00.000Z');
    fill(journal, 4, '2026-11-24T10:00:00.000Z');
    const day = exportJournalDay(db, '2026-11-24', { timeZone: 'Europe/Stockholm', now: testClock() });
    expect(day.entries.map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    let prev = day.anchor.hash;
    for (const e of day.entries) {
      expect(e.prevHash).toBe(prev);
      const canonical = canonicalJson({ at: e.at, body: e.body, kind: e.kind, ref: e.ref, seq: e.seq });
      const hash = createHash('sha256').update(prev + '\n' + canonical).digest('hex');
      expect(hash).toBe(e.hash);
      const key = day.keys.find((k) => k.keyId === e.keyId)!;
      expect(verify(null, Buffer.from(hash, 'hex'), createPublicKey(key.publicKeyPem), Buffer.from(e.signature!, 'base64'))).toBe(true);
      prev = hash;
    }
  });
});
