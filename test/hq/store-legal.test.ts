/**
 * The store's particulars from HQ (docs/design.md "The store's particulars: HQ's signed record"), HQ
 * on SQLite and on a real PostgreSQL: store IT keeps them at HQ (the admin API), HQ hands each of the
 * store's terminals its record at check-in, signed with the key the terminal pinned at enrollment and
 * numbered with the store's revision. The till takes it over what was provisioned on it (keeping its
 * own kassabeteckning), a change at HQ prints on the till's next receipt after its next check-in, and
 * a tampered record, another store's, one signed by another key and an older one are refused — the
 * refusal reported to HQ. An HQ restored from an older backup numbers its next change past what the
 * tills hold.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db';
import { Catalog } from '../../core/catalog/repo';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { Journal } from '../../core/journal';
import { LaneService } from '../../core/lane/host';
import { applyStoreRecord, heldStoreRecord, loadStoreLegal, saveStoreLegal, withLiveLegal } from '../../core/markets/store-legal';
import { PROFILES } from '../../core/profile';
import { CatalogUpdater } from '../../core/sync/catalog';
import { enroll, loadHqLink, signedPost } from '../../core/sync/link';
import { migrate, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { canonicalJson, rawEd25519 } from '../../protocol/journal-chain';
import { CheckinAnswerSchema } from '../../protocol/roster';
import { verifyStoreRecord, type StoreRecord } from '../../protocol/store-record';
import { demoDb } from '../helpers/demo-lane';
import { hqBackends, listenHq, minimalCheckin } from '../helpers/hq-backends';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';

const MIGRATIONS = join(__dirname, '../../migrations/hq');
const ADMIN = 'admin-token-for-store-legal-tests-0123456789';
const tmp = tempDir('kassa-hq-store-legal-');
afterAll(() => tmp.cleanup());

const SODER = { companyName: 'Kassa Livs AB', orgNumber: '556677-8899', address: 'Götgatan 1, 118 46 Stockholm', vatId: 'SE556677889901' };
const checkin = (legalVersion?: number) => minimalCheckin(legalVersion !== undefined ? { legal: { version: legalVersion } } : {});

describe.each(hqBackends(tmp.dir))('HQ on $name is the one source of the store’s particulars', (backend) => {
  let sql: Sql;
  let store: HqStore;
  let url: string;
  let close: () => Promise<void>;
  let tillA: Db;
  let tillB: Db;
  const legalApi = (method: string, storeId: string, body?: unknown, token = ADMIN) =>
    fetch(`${url}/v1/admin/stores/${storeId}/legal`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const updater = (db: Db, log?: (l: string) => void) => new CatalogUpdater(db, loadHqLink(db)!, { downloadPath: join(tmp.dir, `${backend.name}-dl`), ...(log ? { log } : {}) });
  /** A Swedish lane on till A whose particulars are read as the core reads them (core/main.ts). */
  const sellMilk = (lane: LaneService) => {
    run(lane, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(lane, { cmd: 'tenderCash', amount: 2_000 });
    return run(lane, { cmd: 'complete' }).lastSale!.receiptText;
  };

  beforeAll(async () => {
    sql = await backend.open();
    await migrate(sql, MIGRATIONS);
    store = new HqStore(sql);
    ({ url, close } = await listenHq({ store, adminToken: ADMIN }));
    tillA = demoDb(tmp.dir, `${backend.name}-a.db`);
    tillB = demoDb(tmp.dir, `${backend.name}-b.db`);
    // Till A was provisioned by hand before its store had HQ (its own kassabeteckning, an old address).
    saveStoreLegal(tillA, { companyName: 'Gamla Namnet AB', orgNumber: '556677-8899', address: 'Gamla gatan 9, Stockholm', vatId: '', tillId: 'SOD-K1' });
    await enroll(tillA, url, await store.createEnrollmentToken('store-a', '1'), '0.1.0');
    await enroll(tillB, url, await store.createEnrollmentToken('store-b', '1'), '0.1.0');
  });

  afterAll(async () => {
    tillA.close();
    tillB.close();
    await close();
    await sql.close();
    await backend.cleanup();
  });

  it('keeps a store’s particulars through the admin API, numbered per change, and refuses what is not one', async () => {
    expect((await legalApi('PUT', 'store-a', SODER, 'wrong-token-0123456789012345678901')).status).toBe(401);
    expect((await legalApi('GET', 'store-a')).status).toBe(404);
    expect(await (await legalApi('PUT', 'store-a', SODER)).json()).toEqual({ version: 1 });
    expect(await (await legalApi('GET', 'store-a')).json()).toEqual({ version: 1, legal: SODER });
    const bad = await legalApi('PUT', 'store-a', { ...SODER, orgNumber: undefined });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/orgNumber/);
    expect((await legalApi('PUT', 'store-a', { ...SODER, tillId: 'K1' })).status).toBe(400); // a till's, not a store's
    expect((await legalApi('PUT', 'store-a', { ...SODER, address: ' ' })).status).toBe(400);
    expect(await (await legalApi('GET', 'store-a')).json()).toEqual({ version: 1, legal: SODER });
  });

  it('checks the numbers by the store’s market when it is given, refusing a wrong one by field and why, and keeps the market for later changes', async () => {
    const refused = async (body: unknown) => {
      const r = await legalApi('PUT', 'store-c', body);
      expect(r.status).toBe(400);
      return ((await r.json()) as { message: string }).message;
    };
    expect(await refused({ ...SODER, country: 'SE', orgNumber: '556677-8898' })).toBe('the store\'s particulars (SE): orgNumber "556677-8898": its last digit is not the Luhn check digit of the others');
    expect(await refused({ ...SODER, country: 'SE', orgNumber: '5566778899' })).toBe('the store\'s particulars (SE): orgNumber "5566778899": a Swedish organisation number is NNNNNN-NNNN (e.g. 556012-5790)');
    expect(await refused({ ...SODER, country: 'XX' })).toMatch(/^the store's particulars: country /);
    expect((await legalApi('GET', 'store-c')).status).toBe(404); // nothing kept
    expect(await (await legalApi('PUT', 'store-c', { ...SODER, country: 'SE' })).json()).toEqual({ version: 1 });
    expect(await (await legalApi('GET', 'store-c')).json()).toEqual({ version: 1, legal: SODER, country: 'SE' });
    // A later change without the market is checked by the one kept.
    expect(await refused({ ...SODER, orgNumber: '556012-5791' })).toMatch(/^the store's particulars \(SE\): orgNumber "556012-5791": its last digit/);
    // Another market: a Danish CVR, a British VAT number.
    const dk = { orgNumber: '13585628', address: 'Strøget 1, 1160 København K', vatId: 'DK13585628' };
    expect(await refused({ ...dk, country: 'DK', orgNumber: '13585627' })).toMatch(/^the store's particulars \(DK\): orgNumber "13585627": its digits weighted 2,7,6,5,4,3,2,1/);
    expect(await (await legalApi('PUT', 'store-c', { ...dk, country: 'DK' })).json()).toEqual({ version: 2 });
    expect(await refused({ orgNumber: '01234567', address: '1 High Street, London', vatId: 'GB12345678', country: 'GB' })).toBe('the store\'s particulars (GB): vatId "GB12345678": a British VAT number is GB and 9 or 12 digits (e.g. GB123456789)');
  });

  it('hands the signed record at check-in to the store’s tills only, when newer than theirs; the till takes it over its own but keeps its kassabeteckning', async () => {
    const link = loadHqLink(tillA)!;
    const answer = CheckinAnswerSchema.parse(await signedPost(link, '/v1/checkin', checkin(0)));
    expect(verifyStoreRecord(answer.legal, link.rosterKey!)).toMatchObject({ storeId: 'store-a', version: 1, legal: SODER });
    expect(CheckinAnswerSchema.parse(await signedPost(link, '/v1/checkin', checkin(1))).legal).toBeNull();
    expect('legal' in ((await signedPost(link, '/v1/checkin', checkin())) as object)).toBe(false); // an older terminal: nothing
    expect(CheckinAnswerSchema.parse(await signedPost(loadHqLink(tillB)!, '/v1/checkin', checkin(0))).legal).toBeNull(); // store B: HQ has none

    const lines: string[] = [];
    await updater(tillA, (l) => lines.push(l)).check();
    expect(lines.join('\n')).toMatch(/store: record 1 from HQ taken: Kassa Livs AB, 556677-8899, Götgatan 1/);
    expect(loadStoreLegal(tillA)).toEqual({ ...SODER, tillId: 'SOD-K1' });
    await updater(tillB).check();
    expect(heldStoreRecord(tillB)).toBeNull();
  });

  it('a change at HQ reaches the till at its next check-in and prints on its next receipt', async () => {
    const identity = withLiveLegal({ storeId: 'store-a', storeName: 'Kassa Södermalm', laneId: '1' }, tillA, null);
    const lane = new LaneService(tillA, new Catalog(tillA), PROFILES.SE, identity, { now: () => new Date('2026-12-07T09:00:00Z'), journal: new Journal(tillA) });
    run(lane, { cmd: 'signIn', operator: '1', pin: '1111' });
    run(lane, { cmd: 'openTill', float: [] });
    expect(sellMilk(lane)).toMatch(/Götgatan 1, 118 46 Stockholm/);
    expect((await (await legalApi('PUT', 'store-a', { ...SODER, address: 'Ringvägen 2, 118 60 Stockholm' })).json()) as { version: number }).toEqual({ version: 2 });
    expect(sellMilk(lane)).toMatch(/Götgatan 1, 118 46 Stockholm/); // not yet checked in
    await updater(tillA).check();
    const next = sellMilk(lane);
    expect(next).toMatch(/Ringvägen 2, 118 60 Stockholm/);
    expect(next).not.toMatch(/Götgatan/);
    expect(heldStoreRecord(tillA)?.version).toBe(2);
    lane.dispose();
  });

  it('refuses a tampered record, one signed by another key, another store’s and an older one; HQ hears of it', async () => {
    const link = loadHqLink(tillA)!;
    const held = heldStoreRecord(tillA);
    const old = CheckinAnswerSchema.parse(await signedPost(link, '/v1/checkin', checkin(1))).legal!; // version 2, held back
    const record = JSON.parse(old.body) as StoreRecord;
    const forged = { ...record, version: 9, legal: { ...record.legal, orgNumber: '559999-9999' } };
    expect(applyStoreRecord(tillA, { ...old, body: canonicalJson(forged) }, link.rosterKey!)).toMatchObject({ ok: false, reason: expect.stringMatching(/^BAD_SIGNATURE/) });
    const { privateKey } = generateKeyPairSync('ed25519');
    const body = canonicalJson(forged);
    expect(applyStoreRecord(tillA, { body, signature: sign(null, Buffer.from(body), privateKey).toString('base64url') }, link.rosterKey!)).toMatchObject({ ok: false, reason: expect.stringMatching(/^BAD_SIGNATURE/) });
    expect(applyStoreRecord(tillA, { body }, link.rosterKey!)).toMatchObject({ ok: false, reason: expect.stringMatching(/^UNSIGNED/) });
    await legalApi('PUT', 'store-b', { ...SODER, address: 'Storgatan 5, Malmö' });
    const b = CheckinAnswerSchema.parse(await signedPost(loadHqLink(tillB)!, '/v1/checkin', checkin(0))).legal!;
    expect(applyStoreRecord(tillA, b, link.rosterKey!)).toMatchObject({ ok: false, reason: expect.stringMatching(/^OTHER_STORE/) });
    expect(heldStoreRecord(tillA)).toEqual(held);
    // Version 3 at HQ, taken; the held-back version 2 replayed: refused as a rollback.
    await legalApi('PUT', 'store-a', { ...SODER, address: 'Hornsgatan 3, Stockholm' });
    await updater(tillA).check();
    expect(applyStoreRecord(tillA, old, link.rosterKey!)).toMatchObject({ ok: false, reason: expect.stringMatching(/^ROLLBACK: the store's record is version 2, older than the one held \(3\)/) });
    expect(loadStoreLegal(tillA)?.address).toBe('Hornsgatan 3, Stockholm');
    // HQ's newer record under a key that is not the pinned one: refused, kept what it held, and HQ hears it at the next check-in.
    const lines: string[] = [];
    const u = new CatalogUpdater(tillA, { ...link, rosterKey: rawEd25519(generateKeyPairSync('ed25519').publicKey) }, { downloadPath: join(tmp.dir, `${backend.name}-dl2`), log: (l) => lines.push(l) });
    await legalApi('PUT', 'store-a', { ...SODER, address: 'Fel väg 1' });
    await u.check();
    expect(lines.join('\n')).toMatch(/store: the store's record from HQ was refused: BAD_SIGNATURE/);
    expect(loadStoreLegal(tillA)?.address).toBe('Hornsgatan 3, Stockholm');
    await u.check();
    const alerts = JSON.parse((await store.terminal(link.terminalId))!.alerts!) as Array<{ code: string }>;
    expect(alerts).toContainEqual(expect.objectContaining({ code: 'STORE_RECORD_REFUSED' }));
    await updater(tillA).check(); // the right key again: HQ's newest is taken
    expect(loadStoreLegal(tillA)?.address).toBe('Fel väg 1');
  });

  it('an HQ older than its terminals refuses the field: the terminal checks in without it, still with its staff list, and keeps its particulars', async () => {
    const lines: string[] = [];
    const bodies: string[] = [];
    const older: typeof fetch = async (input, init) => {
      const body = String(init?.body ?? '');
      bodies.push(body);
      if (body.includes('"legal"')) return new Response(JSON.stringify({ error: 'INVALID', message: 'body: Unrecognized key: "legal"' }), { status: 400, headers: { 'content-type': 'application/json' } });
      return fetch(input, init);
    };
    const held = loadStoreLegal(tillA);
    await legalApi('PUT', 'store-a', { ...SODER, address: 'Nyare gatan 5' }); // HQ has a newer one, which this HQ cannot send
    const u = new CatalogUpdater(tillA, loadHqLink(tillA)!, { downloadPath: join(tmp.dir, `${backend.name}-dl3`), fetchFn: older, log: (l) => lines.push(l) });
    expect((await u.check()).lastError).toBeNull();
    expect(lines).toContain("store: HQ does not send the store's record (an older HQ): checking in without");
    expect(bodies.some((b) => b.includes('"staff"') && !b.includes('"legal"'))).toBe(true);
    expect(loadStoreLegal(tillA)).toEqual(held);
    await u.check();
    expect(lines.filter((l) => l.startsWith('store: HQ does not'))).toHaveLength(1);
  });

  it('an HQ restored from an older backup numbers its next change past what the tills hold', async () => {
    await updater(tillA).check(); // takes HQ's newest
    await updater(tillA).check(); // and tells HQ it holds it
    const heldVersion = heldStoreRecord(tillA)!.version;
    expect(loadStoreLegal(tillA)?.address).toBe('Nyare gatan 5');
    await sql.query("DELETE FROM store_legal WHERE store_id = 'store-a'"); // the backup had none
    const put = (await (await legalApi('PUT', 'store-a', { ...SODER, address: 'Efter återställning 1' })).json()) as { version: number };
    expect(put.version).toBe(heldVersion + 1);
    await updater(tillA).check();
    expect(loadStoreLegal(tillA)).toMatchObject({ address: 'Efter återställning 1', tillId: 'SOD-K1' });
  });

  it('counts what the store’s own tills in service hold — not another store’s, not a revoked till’s (hq/held.ts)', async () => {
    const put = async (address: string) => ((await (await legalApi('PUT', 'store-a', { ...SODER, address })).json()) as { version: number }).version;
    await updater(tillA).check(); // HQ hears which revision till A holds
    const heldVersion = heldStoreRecord(tillA)!.version;
    await sql.query("UPDATE terminal SET legal_version = 50 WHERE store_id = 'store-b'"); // another store's numbers are its own
    await sql.query("DELETE FROM store_legal WHERE store_id = 'store-a'");
    expect(await put('Per butik 1')).toBe(heldVersion + 1);
    // Till A revoked (HQ refuses its check-ins: nothing is offered to it again): what it held no longer counts.
    await sql.query("UPDATE terminal SET revoked_at = '2026-12-07T10:00:00Z' WHERE store_id = 'store-a'");
    await sql.query("DELETE FROM store_legal WHERE store_id = 'store-a'");
    expect(await put('Per butik 2')).toBe(1);
  });
});

describe('npm run hq:legal', () => {
  it('sets and shows a store’s particulars at HQ, one change at a time, refusing a wrong organisation number', () => {
    const db = join(tmp.dir, 'cli-hq.db');
    const cli = (args: string[]) => spawnSync(process.execPath, ['dist/hq/legal-cli.js', '--db', db, ...args], { encoding: 'utf8' });
    expect(cli(['show', '--store', 'S1'])).toMatchObject({ status: 1, stderr: 'hq:legal: HQ keeps no particulars for store S1: set them with npm run hq:legal -- set --store S1 --country … --org … --address …\n' });
    expect(cli(['set', '--store', 'S1', '--address', 'Götgatan 1'])).toMatchObject({ status: 1, stderr: 'hq:legal: store S1 has no particulars at HQ yet: give --org and --address (and --country)\n' });
    const wrong = cli(['set', '--store', 'S1', '--country', 'se', '--company', 'Kassa Livs AB', '--org', '556677-8898', '--address', 'Götgatan 1, 118 46 Stockholm', '--vat', 'SE556677889801']);
    expect(wrong).toMatchObject({ status: 1, stdout: '', stderr: 'hq:legal: the store\'s particulars (SE): orgNumber "556677-8898": its last digit is not the Luhn check digit of the others\n' });
    const set = cli(['set', '--store', 'S1', '--country', 'se', '--company', 'Kassa Livs AB', '--org', '556677-8899', '--address', 'Götgatan 1, 118 46 Stockholm', '--vat', 'SE556677889901']);
    expect(set).toMatchObject({ status: 0, stderr: '', stdout: 'store S1: particulars saved as revision 1; the terminals take them at their next check-in and print them from their next receipt on\n' });
    expect(cli(['set', '--store', 'S1', '--address', 'Ringvägen 2, 118 60 Stockholm']).stdout).toMatch(/^store S1: particulars saved as revision 2;/);
    const show = cli(['show', '--store', 'S1']);
    expect(show.stderr).toBe('');
    expect(show.stdout).toMatch(/^store\tS1\ncountry\tSE\ncompany\tKassa Livs AB\norg\t556677-8899\naddress\tRingvägen 2, 118 60 Stockholm\nvat\tSE556677889901\nrevision\t2\nupdated\t\d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
    // The market kept: a later wrong number is refused without --country.
    expect(cli(['set', '--store', 'S1', '--org', '556012-5791'])).toMatchObject({ status: 1, stderr: expect.stringMatching(/^hq:legal: the store's particulars \(SE\): orgNumber "556012-5791"/) });
    expect(cli(['set', '--store', 'S1', '--vat', ''])).toMatchObject({ status: 0 }); // a VAT id may be cleared
    expect(cli(['show', '--store', 'S1']).stdout).toMatch(/\nvat\t\nrevision\t3\n/);
    expect(cli(['list', '--store', 'S1'])).toMatchObject({ status: 1, stderr: 'hq:legal: set | show (see hq/legal-cli.ts)\n' });
  });
});
