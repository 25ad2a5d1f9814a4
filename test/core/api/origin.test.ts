/**
 * The Terminal API's WebSocket Origin check: the core's own HTTP origin (browser mode) and the
 * Electron kiosk's app origin kassa://app are accepted, any other page is refused; the token is
 * required whatever the origin. The real ApiServer, in process, over a real socket.
 */
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer } from '../../../core/api/server';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { openDatabase, type Db } from '../../../core/db';
import { PROFILES } from '../../../core/profile';
import { tempDir } from '../../helpers/tmp';
import { testClock } from '../../helpers/clock';

const TOKEN = 'origin-test-token-0123456789abcdef';
const tmp = tempDir('kassa-origin-');
let db: Db;
let service: LaneService;
let api: ApiServer;
let port: number;
const refusals: string[] = [];

beforeAll(async () => {
  db = openDatabase(join(tmp.dir, 'origin.db'));
  service = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Origin', laneId: '1' }, { now: testClock() });
  api = new ApiServer({ service, token: TOKEN, log: (line) => refusals.push(line) });
  port = await api.listen(0);
});
afterAll(async () => {
  await api?.close();
  service?.dispose();
  db?.close();
  tmp.cleanup();
});

/** Opens a WebSocket with the given Origin header (none when undefined): 'welcome' or the HTTP status of the refusal. */
function connect(origin: string | undefined, token = TOKEN): Promise<{ welcome: true } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${encodeURIComponent(token)}`, origin === undefined ? {} : { origin });
    ws.once('message', (data) => {
      const msg = JSON.parse(String(data)) as { type?: string };
      ws.close();
      if (msg.type === 'welcome') resolve({ welcome: true });
      else reject(new Error(`unexpected first message ${String(data)}`));
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

describe('WebSocket Origin check', () => {
  it("accepts the Electron kiosk's app origin kassa://app", async () => {
    expect(await connect('kassa://app')).toEqual({ welcome: true });
  });

  it("accepts the core's own origin (browser mode) and a client that sends no Origin (not a browser)", async () => {
    expect(await connect(`http://127.0.0.1:${port}`)).toEqual({ welcome: true });
    expect(await connect(undefined)).toEqual({ welcome: true });
  });

  it.each([
    'http://evil.example',
    'kassa://evil',
    'kassa://app.evil.example',
    'kassa://app:1',
    'kassa://app/',
    'KASSA://APP',
    'null',
    'file://',
    'http://localhost:<port>',
    'https://127.0.0.1:<port>',
    'http://127.0.0.1:<port>.evil.example',
  ])('refuses Origin %s', async (origin) => {
    const before = refusals.length;
    expect(await connect(origin.replace('<port>', String(port)))).toEqual({ status: 401 });
    expect(refusals.slice(before).join('\n')).toMatch(/refused a WebSocket connection/);
  });

  it('still requires the token from kassa://app', async () => {
    expect(await connect('kassa://app', 'wrong-token-0123456789abcdefghijk')).toEqual({ status: 401 });
  });
});

describe('/health counts the screens connected', () => {
  const health = async () => (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { ok: boolean; screens: number; customerScreens: number };
  const open = (origin: string | undefined, query = '') =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${encodeURIComponent(TOKEN)}${query}`, origin === undefined ? {} : { origin });
      ws.once('message', () => resolve(ws));
      ws.once('error', reject);
    });
  const until = async (want: number) => {
    for (let i = 0; i < 100 && (await health()).screens !== want; i++) await new Promise((r) => setTimeout(r, 20));
    return (await health()).screens;
  };

  it('a browser page (it sends its Origin) is a screen while connected; a tool without Origin is not', async () => {
    expect(await until(0)).toBe(0);
    expect(await health()).toMatchObject({ ok: true, screens: 0 });
    const tool = await open(undefined);
    expect(await until(0)).toBe(0);
    const page = await open(`http://127.0.0.1:${port}`);
    const kiosk = await open('kassa://app');
    expect(await until(2)).toBe(2);
    page.close();
    expect(await until(1)).toBe(1);
    kiosk.close();
    tool.close();
    expect(await until(0)).toBe(0);
  });

  it('counts the customer displays apart (the kiosk image watches the lane and the customer display each)', async () => {
    const lane = await open(`http://127.0.0.1:${port}`);
    const customer = await open(`http://127.0.0.1:${port}`, '&view=customer');
    const tool = await open(undefined, '&view=customer');
    expect(await until(2)).toBe(2);
    expect(await health()).toMatchObject({ screens: 2, customerScreens: 1 });
    customer.close();
    expect(await until(1)).toBe(1);
    expect(await health()).toMatchObject({ screens: 1, customerScreens: 0 });
    lane.close();
    tool.close();
    expect(await until(0)).toBe(0);
  });
});
