/**
 * The till's peer listener over real HTTP on loopback, spoken to by the real signing code the
 * uploader uses (core/sync/link.ts): only a terminal of the store's roster, signing with the key the
 * roster gives it, recently and once, is heard; anything else is refused with the reason and never
 * reaches the store of copies. What it answers is what HQ would (the uploader reads both alike).
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { createServer as createTcpServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock';
import { PeerServer, type PeerIdentity } from '../../../core/peers/server';
import { peerCertificate, pinnedFetch } from '../../../core/peers/tls';
import { HqRequestError, signedPostJson, type HqLink } from '../../../core/sync/link';
import type { SalesAck, SalesBatch } from '../../../protocol/hq';
import { MONDAY } from '../../helpers/clock';
import { rawEd25519 } from '../../../protocol/journal-chain';

const servers: PeerServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function terminalKeys(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: rawEd25519(publicKey) };
}

/** Batches are addressed to the till that is meant to keep them. */
const SALES = '/v1/sales?to=T-lane-1';

const emptyBatch = (clock: string): SalesBatch => ({ clock, backlog: { count: 0, oldestAt: null }, sales: [] });

async function listening(peers: PeerIdentity[], clock: ManualClock) {
  const received: Array<{ peer: string; batch: SalesBatch }> = [];
  const own = terminalKeys();
  const server = new PeerServer({
    host: '127.0.0.1',
    port: 0,
    now: () => clock.now(),
    peers: () => peers,
    self: () => ({ terminalId: 'T-lane-1', key: own.privateKey }),
    receive: (peer, batch): SalesAck => {
      received.push({ peer: peer.terminalId, batch });
      // The copy refuses a batch with no sales but a clock of 2000 (a stand-in for a chain it refuses).
      return { ackedThrough: 0, accepted: 0, duplicates: 0, rejected: batch.clock.startsWith('2000') ? [{ sequence: 1, reason: 'the journal chain forks at sale 1' }] : [], gaps: [] };
    },
  });
  servers.push(server);
  const port = await server.listen();
  // A peer reaches it over TLS, pinned to the key the roster gives it (core/peers/tls.ts).
  return { server, received, url: `https://127.0.0.1:${port}`, port, key: own.publicKey, f: pinnedFetch(own.publicKey) };
}

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof HqRequestError) return `${e.status} ${e.code}`;
    throw e;
  }
  return 'accepted';
};

describe('the peer listener', () => {
  it('hears a roster peer’s signed batch, answers like HQ, and refuses every other sender with the reason', async () => {
    const clock = new ManualClock(MONDAY);
    const lane2 = terminalKeys();
    const stranger = terminalKeys();
    const { server, received, url, f } = await listening([{ terminalId: 'T-lane-2', publicKey: lane2.publicKey, journalKey: 'journal-key-of-lane-2' }], clock);
    const link = (terminalId: string, privateKey: KeyObject, at: () => Date = () => clock.now()): HqLink => ({ hqUrl: url, terminalId, storeId: 's', laneId: '2', privateKey, now: at });
    const post = (l: HqLink, path: string, b: Buffer) => signedPostJson(l, path, b, f);
    const body = Buffer.from(JSON.stringify(emptyBatch(clock.now().toISOString())));

    expect(await (await f(`${url}/v1/health`)).json()).toEqual({ ok: true });
    expect(await post(link('T-lane-2', lane2.privateKey), SALES, body)).toEqual({ ackedThrough: 0, accepted: 0, duplicates: 0, rejected: [], gaps: [] });
    expect(received.map((r) => r.peer)).toEqual(['T-lane-2']);
    expect(server.contacts.get('T-lane-2')).toEqual({ at: clock.now().toISOString(), problem: null });

    // Not in the roster; in it but signing with another key; a clock ten minutes off.
    expect(await refusal(post(link('T-stranger', stranger.privateKey), SALES, body))).toBe('401 UNKNOWN_TERMINAL');
    expect(await refusal(post(link('T-lane-2', stranger.privateKey), SALES, body))).toBe('401 BAD_SIGNATURE');
    expect(server.contacts.get('T-lane-2')?.problem).toMatch(/does not verify/);
    expect(await refusal(post(link('T-lane-2', lane2.privateKey, () => new Date(clock.now().getTime() - 600_000)), SALES, body))).toBe('401 STALE_REQUEST');
    // Unsigned; not JSON; not a batch: refused, nothing received.
    expect((await f(`${url}${SALES}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(401);
    expect(await refusal(post(link('T-lane-2', lane2.privateKey), SALES, Buffer.from('{"sales": [')))).toBe('400 BAD_JSON');
    expect(await refusal(post(link('T-lane-2', lane2.privateKey), SALES, Buffer.from('{"sales": 3}')))).toBe('400 INVALID');
    expect(await refusal(post(link('T-lane-2', lane2.privateKey), '/v1/checkin', body))).toBe('404 NOT_FOUND');
    // Addressed to another till (whoever holds this address now is not the one meant): refused, nothing received.
    expect(await refusal(post(link('T-lane-2', lane2.privateKey), '/v1/sales?to=T-lane-3', body))).toBe('421 MISDIRECTED');
    expect(received).toHaveLength(1);
    // A batch the copy refuses is an error to the sender, never an acknowledgement it would take as progress.
    expect(await refusal(post(link('T-lane-2', lane2.privateKey), SALES, Buffer.from(JSON.stringify(emptyBatch('2000-01-01T00:00:00Z')))))).toBe('422 REFUSED');
    expect(server.contacts.get('T-lane-2')?.problem).toMatch(/forks at sale 1/);
  });

  it('refuses a request it has seen (a replay), and a peer whose journal key it does not know yet', async () => {
    const clock = new ManualClock(MONDAY);
    const lane2 = terminalKeys();
    const lane3 = terminalKeys();
    const peers: PeerIdentity[] = [
      { terminalId: 'T-lane-2', publicKey: lane2.publicKey, journalKey: 'k' },
      { terminalId: 'T-lane-3', publicKey: lane3.publicKey, journalKey: null },
    ];
    const { received, url, f } = await listening(peers, clock);
    const body = Buffer.from(JSON.stringify(emptyBatch(clock.now().toISOString())));
    // Capture one signed request as it went over the wire, and send it again.
    let captured: { url: string; init: RequestInit } | null = null;
    const capture: typeof fetch = (input, init) => {
      captured = { url: String(input), init: init! };
      return f(input, init);
    };
    await signedPostJson({ hqUrl: url, terminalId: 'T-lane-2', storeId: 's', laneId: '2', privateKey: lane2.privateKey, now: () => clock.now() }, SALES, body, capture);
    const again = await f(captured!.url, { method: 'POST', headers: captured!.init.headers, body });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toBe('REPLAYED');
    expect(await refusal(signedPostJson({ hqUrl: url, terminalId: 'T-lane-3', storeId: 's', laneId: '3', privateKey: lane3.privateKey, now: () => clock.now() }, SALES, body, f))).toBe('409 NO_JOURNAL_KEY');
    expect(received).toHaveLength(1);
  });
  it('takes one sender’s batches in the order they came, even when the later one’s body is in first', async () => {
    const clock = new ManualClock(MONDAY);
    const lane2 = terminalKeys();
    const { received, url } = await listening([{ terminalId: 'T-lane-2', publicKey: lane2.publicKey, journalKey: 'journal-key-of-lane-2' }], clock);
    const link: HqLink = { hqUrl: url, terminalId: 'T-lane-2', storeId: 's', laneId: '2', privateKey: lane2.privateKey, now: () => clock.now() };
    /** Sends the request over its own connection, the body's last bytes `lateMs` after the rest. */
    const slow = (lateMs: number): typeof fetch => async (input, init) => {
      const u = new URL(String(input));
      const body = Buffer.from(init!.body as Uint8Array);
      const headers = { ...Object.fromEntries(new Headers(init!.headers).entries()), 'content-length': String(body.length) };
      return new Promise<Response>((resolve, reject) => {
        const req = request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: 'POST', headers, agent: false, rejectUnauthorized: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500 })));
        });
        req.on('error', reject);
        req.write(body.subarray(0, 10));
        setTimeout(() => req.end(body.subarray(10)), lateMs);
      });
    };
    const first = signedPostJson(link, SALES, Buffer.from(JSON.stringify(emptyBatch('2026-11-23T09:00:01.000Z'))), slow(400));
    await new Promise((r) => setTimeout(r, 50));
    const second = signedPostJson(link, SALES, Buffer.from(JSON.stringify(emptyBatch('2026-11-23T09:00:02.000Z'))), slow(0));
    await Promise.all([first, second]);
    expect(received.map((r) => r.batch.clock)).toEqual(['2026-11-23T09:00:01.000Z', '2026-11-23T09:00:02.000Z']);
  });

  it('speaks TLS only, to the holder of the roster key: nothing a sale holds crosses the LAN readable, and a till at the peer\'s address with another key is told nothing', async () => {
    const clock = new ManualClock(MONDAY);
    const lane2 = terminalKeys();
    const { received, port, key } = await listening([{ terminalId: 'T-lane-2', publicKey: lane2.publicKey, journalKey: 'journal-key-of-lane-2' }], clock);
    // Everything between lane 2 and the listener passes a tap that keeps every byte.
    const wire: Buffer[] = [];
    const tap = createTcpServer((inbound: Socket) => {
      const out = connect(port, '127.0.0.1');
      inbound.on('data', (d: Buffer) => (wire.push(d), out.write(d)));
      out.on('data', (d: Buffer) => (wire.push(d), inbound.write(d)));
      inbound.on('close', () => out.destroy());
      out.on('close', () => inbound.destroy());
    });
    await new Promise<void>((r) => tap.listen(0, '127.0.0.1', () => r()));
    const tapUrl = `https://127.0.0.1:${(tap.address() as { port: number }).port}`;
    const link: HqLink = { hqUrl: tapUrl, terminalId: 'T-lane-2', storeId: 's', laneId: '2', privateKey: lane2.privateKey, now: () => clock.now() };
    const secret = 'Kvitto-till-Agneta-Andersson-0701234567';
    const body = Buffer.from(JSON.stringify({ ...emptyBatch(clock.now().toISOString()), softwareVersion: secret.slice(0, 40) }));
    expect(await signedPostJson(link, SALES, body, pinnedFetch(key))).toMatchObject({ ackedThrough: 0 });
    expect(received).toHaveLength(1);
    const seen = Buffer.concat(wire).toString('latin1');
    expect(seen.length).toBeGreaterThan(body.length);
    expect(seen).not.toContain(secret.slice(0, 20));
    expect(seen).not.toContain('T-lane-2');
    expect(seen).not.toContain('/v1/sales');
    // The roster names another key for this peer: the connection is dropped before a byte of the request is written.
    const wrong = terminalKeys().publicKey;
    await expect(signedPostJson(link, SALES, body, pinnedFetch(wrong))).rejects.toThrow(/not the roster's/);
    expect(received).toHaveLength(1);
    // A till that answers with its own certificate (another key) at a peer's address gets nothing either.
    const impostor = terminalKeys();
    const fake = (await import('node:https')).createServer({ key: impostor.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, cert: peerCertificate(impostor.privateKey, 'T-lane-1', clock.now()) }, (_req, res) => res.end('{}'));
    let heard = 0;
    fake.on('request', () => heard++);
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
    await expect(pinnedFetch(key)(`https://127.0.0.1:${(fake.address() as { port: number }).port}/v1/health`)).rejects.toThrow(/not the roster's/);
    expect(heard).toBe(0);
    // Plain HTTP is neither sent nor answered.
    await expect(pinnedFetch(key)(`http://127.0.0.1:${port}/v1/health`)).rejects.toThrow(/TLS only/);
    const plain = await new Promise<string>((resolve) => {
      const r = httpRequest({ host: '127.0.0.1', port, path: '/v1/health' }, (res) => resolve(`answered ${res.statusCode}`));
      r.on('error', (e) => resolve(`refused: ${e.message}`));
      r.end();
    });
    expect(plain).not.toMatch(/answered 200/);
    fake.close();
    tap.close();
  });
});
