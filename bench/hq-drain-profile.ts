/**
 * Where the time of one terminal's drain goes: each stage of the uploader → HQ path timed on its
 * own, in this process, over the same 10,000 outbox rows and the same batches — outbox reads,
 * request encoding (JSON), signing, HQ's body parse (JSON), validation (zod) and signature check,
 * HQ's ingest transaction (inserts and commit), and the terminal's acknowledgement transaction.
 * The real drain overlaps them (HQ works on one batch while the terminal prepares the next); what
 * the real drain takes beyond HQ's share is HTTP, the event loop and waiting on answers.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { ed25519PublicKey, rawEd25519 } from '../protocol/journal-chain';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../core/db';
import { systemClock } from '../core/clock';
import { OutboxRepo, type OutboxRow } from '../core/sync/repo';
import { SalesBatchSchema, signingString } from '../protocol/hq';
import { encodeSales, salesRequest } from '../core/sync/encode';
import { commitLight } from '../core/db/durability';
import { migrate, sqliteSql } from '../hq/sql';
import { HqStore } from '../hq/store';
import { checkChain, journalKey } from '../hq/chain';
import { ChainReader } from '../core/sync/chain';
import { loadOrCreateTerminalSigner } from '../core/journal/signer';

const ms = (t0: number) => performance.now() - t0;

/** Milliseconds per stage for draining `source`'s outbox in batches of `batchSize`. */
export async function drainBreakdown(source: string, dir: string, batchSize: number): Promise<Array<{ stage: string; ms: number }>> {
  const laneFile = join(dir, 'profile-lane.db');
  copyFileSync(source, laneFile);
  const db = openDatabase(laneFile);
  const outbox = new OutboxRepo(db);
  const stages: Array<{ stage: string; ms: number }> = [];

  let t = performance.now();
  const batches: OutboxRow[][] = [];
  for (let after = 0; ; ) {
    const rows = outbox.batch(after, batchSize);
    if (!rows.length) break;
    batches.push(rows);
    after = rows[rows.length - 1]!.sequence;
    outbox.backlogAfter(after);
  }
  stages.push({ stage: 'terminal: outbox reads (batch + backlog count)', ms: ms(t) });

  t = performance.now();
  const chain = new ChainReader(db);
  const pieces = batches.map((rows) => chain.piece(rows));
  stages.push({ stage: 'terminal: journal chain reads (the sales\' entries and the entries between)', ms: ms(t) });

  t = performance.now();
  // As the uploader encodes them (core/sync/uploader.ts): each sale to bytes once, the request joined.
  const bodies = batches.map((rows, i) =>
    salesRequest({ clock: systemClock().toISOString(), softwareVersion: 'bench', backlog: { count: 0, oldestAt: null }, links: pieces[i]!.links }, encodeSales(rows, Infinity, pieces[i]!.entries)),
  );
  stages.push({ stage: `terminal: request encoding (JSON, ${(bodies.reduce((a, b) => a + b.length, 0) / 1e6).toFixed(1)} MB)`, ms: ms(t) });

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  t = performance.now();
  const signed = bodies.map((b) => {
    const nonce = randomBytes(18).toString('base64url');
    const text = signingString('POST', '/v1/sales', systemClock().toISOString(), nonce, createHash('sha256').update(b).digest('hex'));
    return { text, signature: sign(null, Buffer.from(text), privateKey) };
  });
  stages.push({ stage: 'terminal: signing (SHA-256 of the body + Ed25519)', ms: ms(t) });

  t = performance.now();
  const parsed = bodies.map((b) => JSON.parse(b.toString('utf8')) as unknown);
  stages.push({ stage: 'HQ: body parse (JSON)', ms: ms(t) });

  t = performance.now();
  const valid = parsed.map((p) => SalesBatchSchema.parse(p));
  stages.push({ stage: 'HQ: validation (zod)', ms: ms(t) });

  t = performance.now();
  const rawPublic = rawEd25519(publicKey);
  bodies.forEach((b, i) => {
    createHash('sha256').update(b).digest('hex');
    const key = ed25519PublicKey(rawPublic);
    if (!verify(null, Buffer.from(signed[i]!.text), key, signed[i]!.signature)) throw new Error('signature');
  });
  stages.push({ stage: 'HQ: signature check (SHA-256 + Ed25519)', ms: ms(t) });

  t = performance.now();
  const journalKeyRaw = rawEd25519(loadOrCreateTerminalSigner(db).publicKeyPem);
  const key = journalKey(journalKeyRaw);
  for (const batch of valid) if (!checkChain(batch, key, false).ok) throw new Error('chain');
  stages.push({ stage: 'HQ: journal chain check (every hash, one Ed25519 per batch; again inside ingest below)', ms: ms(t) });

  const sql = sqliteSql(join(dir, 'profile-hq.db'));
  await migrate(sql, join(import.meta.dirname, '../migrations/hq'));
  const store = new HqStore(sql);
  const { terminalId } = await store.enroll({ token: await store.createEnrollmentToken('p', '1'), publicKey: rawPublic, journalKey: journalKeyRaw, softwareVersion: 'bench' });
  t = performance.now();
  const acks = [];
  for (const [i, batch] of valid.entries()) acks.push(await store.ingest(terminalId, batch, systemClock(), `nonce-${i}-${randomBytes(8).toString('hex')}`));
  stages.push({ stage: 'HQ: ingest transactions (the chain check again, body parse, set-based inserts, acknowledgement, commit with fsync)', ms: ms(t) });
  await sql.close();

  t = performance.now();
  let from = 0;
  for (const ack of acks) {
    commitLight(db, () =>
      db.transaction(() => {
        outbox.ack(ack.ackedThrough);
        outbox.compact(from, ack.ackedThrough);
        outbox.saveAttempt({ success: systemClock().toISOString(), error: null, attempt: systemClock().toISOString() });
      })(),
    );
    from = ack.ackedThrough;
  }
  stages.push({ stage: 'terminal: acknowledgement transactions (watermark, retention; commit without its own fsync)', ms: ms(t) });
  db.close();
  return stages;
}
