/** A terminal that cannot be asked says so in a field (unreachable), not only in English words. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ZvtPaymentTerminal } from '../../../core/payments/zvt';
import { TcpZvtTransport } from '../../../drivers/zvt/transport';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}

describe('payment recovery when the terminal is not there', () => {
  it('answers unknown with unreachable: true', async () => {
    const t = new TcpZvtTransport({ host: '127.0.0.1', port: await freePort() });
    void t.start().catch(() => undefined); // keeps trying in the background; nothing answers
    const zvt = new ZvtPaymentTerminal(t, { currency: 'SEK', timeZone: 'Europe/Stockholm', idleTimeoutMs: 300, transactionTimeoutMs: 1_000 });
    try {
      const r = await zvt.recover({ attemptId: 'a1', amount: 1000, startedAt: '2026-12-05T10:00:00Z', known: null, usedRefs: [] });
      expect(r.outcome).toBe('unknown');
      expect(r.outcome === 'unknown' && r.unreachable).toBe(true);
    } finally {
      await t.stop();
    }
  });
});
