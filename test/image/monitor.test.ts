// image:test's second monitor: the RFB client that tells QEMU's VNC server a monitor was plugged
// into (or pulled out of) head 1, against a server speaking RFB 3.8's server side byte for byte
// (RFC 6143; SetDesktopSize from the ExtendedDesktopSize extension). The QEMU run itself: npm run image:test.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setMonitor } from '../../image/test/monitor';
import { lastLayout } from '../../image/test/screens-drill';

/** An RFB 3.8 server's side: `security` offered (empty: a refusal with a reason), then ServerInit of 640 × 480 and whatever the client sends. */
function rfbServer(path: string, security: number[]): { server: Server; received: Promise<Buffer> } {
  let resolveReceived!: (b: Buffer) => void;
  const received = new Promise<Buffer>((r) => (resolveReceived = r));
  const server = createServer((s: Socket) => {
    let buf = Buffer.alloc(0);
    let stage = 'version';
    s.write('RFB 003.008\n');
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (stage === 'version' && buf.length >= 12) {
        expect(buf.subarray(0, 12).toString('latin1')).toBe('RFB 003.008\n');
        buf = buf.subarray(12);
        if (security.length === 0) {
          const reason = Buffer.from('too many clients');
          const len = Buffer.alloc(4);
          len.writeUInt32BE(reason.length);
          s.end(Buffer.concat([Buffer.from([0]), len, reason]));
          stage = 'done';
          return;
        }
        s.write(Buffer.from([security.length, ...security]));
        stage = 'security';
      }
      if (stage === 'security' && buf.length >= 1) {
        expect(buf[0]).toBe(1);
        buf = buf.subarray(1);
        s.write(Buffer.alloc(4)); // SecurityResult OK
        stage = 'clientInit';
      }
      if (stage === 'clientInit' && buf.length >= 1) {
        buf = buf.subarray(1);
        const init = Buffer.alloc(24 + 4);
        init.writeUInt16BE(640, 0);
        init.writeUInt16BE(480, 2);
        init.writeUInt32BE(4, 20);
        init.write('QEMU', 24);
        s.write(init);
        stage = 'messages';
      }
      if (stage === 'messages' && buf.length >= 24) resolveReceived(buf);
    });
    s.on('close', () => resolveReceived(buf));
  });
  server.listen(path);
  return { server, received };
}

describe('a second monitor for image:test (RFB SetDesktopSize)', () => {
  let dir = '';
  let server: Server | null = null;
  afterEach(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plugs a 1024 × 768 monitor in: one SetDesktopSize of one screen at 0,0, after the handshake without authentication', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kassa-rfb-'));
    const srv = rfbServer(join(dir, 'head1.vnc'), [1]);
    server = srv.server;
    const { before } = await setMonitor(join(dir, 'head1.vnc'), 1024, 768);
    expect(before).toEqual({ width: 640, height: 480 });
    const msg = await srv.received;
    expect(msg.length).toBe(24);
    expect(msg[0]).toBe(251);
    expect([msg.readUInt16BE(2), msg.readUInt16BE(4), msg[6]]).toEqual([1024, 768, 1]);
    // The screen: id 1, x 0, y 0, 1024 × 768, flags 0.
    expect([msg.readUInt32BE(8), msg.readUInt16BE(12), msg.readUInt16BE(14), msg.readUInt16BE(16), msg.readUInt16BE(18), msg.readUInt32BE(20)]).toEqual([1, 0, 0, 1024, 768, 0]);
  });

  it('pulls it out as 0 × 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kassa-rfb-'));
    const srv = rfbServer(join(dir, 'head1.vnc'), [1, 2]);
    server = srv.server;
    await setMonitor(join(dir, 'head1.vnc'), 0, 0);
    const msg = await srv.received;
    expect([msg[0], msg.readUInt16BE(2), msg.readUInt16BE(4)]).toEqual([251, 0, 0]);
  });

  it('says why when the server refuses or wants a password', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kassa-rfb-'));
    server = rfbServer(join(dir, 'a.vnc'), []).server;
    await expect(setMonitor(join(dir, 'a.vnc'), 1024, 768)).rejects.toThrow('the VNC server refused: too many clients');
    server.close();
    server = rfbServer(join(dir, 'b.vnc'), [2]).server;
    await expect(setMonitor(join(dir, 'b.vnc'), 1024, 768)).rejects.toThrow('wants authentication (2)');
  });

  it('reads the kiosk session\'s last layout from the serial console', () => {
    const serial = [
      '[  80.1] kassa-kiosk[612]: kassa kiosk session: lane UI on Virtual-1, customer display on none',
      '[ 300.2] kassa-kiosk[612]: kassa kiosk session: lane UI on Virtual-1, customer display on Virtual-2',
    ].join('\n');
    expect(lastLayout(serial)).toEqual({ lane: 'Virtual-1', customer: 'Virtual-2' });
    expect(lastLayout('no session yet')).toBeNull();
  });
});
