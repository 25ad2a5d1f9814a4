/**
 * A second monitor for image:test, plugged in and pulled out while the terminal runs.
 *
 * QEMU 7.2 (Debian bookworm) turns on a virtio-gpu output only when a display front end asks it
 * to (`dpy_set_ui_info`; the device's `max_outputs` alone leaves every output but the first
 * disconnected, and an output's size as a device property only came in QEMU 10.1). Of the front
 * ends that can run here without a desktop, QEMU's VNC server does: a client's SetDesktopSize
 * (RFB 3.8, message 251, from the ExtendedDesktopSize extension) becomes that head's size, and the
 * guest sees a monitor connected at it (a hotplug event on the connector); 0 × 0 takes the
 * monitor away again. So the machine gets one VNC server per extra head on a unix socket (never on
 * the network), and this is the smallest RFB client that says "a monitor of w × h is plugged in".
 */
import { connect, type Socket } from 'node:net';

/** Reads exactly `n` bytes from the socket (RFB is a byte stream with fixed-size fields). */
class Reader {
  private buf = Buffer.alloc(0);
  private want: { n: number; resolve: (b: Buffer) => void } | null = null;

  constructor(socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.pump();
    });
  }

  read(n: number): Promise<Buffer> {
    return new Promise((resolve) => {
      this.want = { n, resolve };
      this.pump();
    });
  }

  private pump(): void {
    if (!this.want || this.buf.length < this.want.n) return;
    const { n, resolve } = this.want;
    this.want = null;
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    resolve(out);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))));
  });
}

/** The RFB 3.8 handshake without authentication (the socket is the test's own): the server's framebuffer size. */
async function handshake(socket: Socket, r: Reader): Promise<{ width: number; height: number }> {
  const version = (await r.read(12)).toString('latin1');
  if (!/^RFB 003\.\d{3}\n$/.test(version)) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
  socket.write('RFB 003.008\n');
  const count = (await r.read(1))[0]!;
  if (count === 0) {
    const len = (await r.read(4)).readUInt32BE(0);
    throw new Error(`the VNC server refused: ${(await r.read(len)).toString('utf8')}`);
  }
  const types = [...(await r.read(count))];
  if (!types.includes(1)) throw new Error(`the VNC server wants authentication (${types.join(', ')})`);
  socket.write(Buffer.from([1]));
  if ((await r.read(4)).readUInt32BE(0) !== 0) throw new Error('the VNC server refused the connection');
  socket.write(Buffer.from([1])); // ClientInit: shared
  const init = await r.read(24);
  const nameLen = init.readUInt32BE(20);
  await r.read(nameLen);
  return { width: init.readUInt16BE(0), height: init.readUInt16BE(2) };
}

/** SetDesktopSize (type 251): one screen of w × h at 0,0; 0 × 0 is no monitor. */
function setDesktopSize(width: number, height: number): Buffer {
  const b = Buffer.alloc(8 + 16);
  b.writeUInt8(251, 0);
  b.writeUInt16BE(width, 2);
  b.writeUInt16BE(height, 4);
  b.writeUInt8(1, 6); // one screen
  b.writeUInt32BE(1, 8); // its id
  b.writeUInt16BE(width, 16);
  b.writeUInt16BE(height, 18);
  return b;
}

/**
 * Tells QEMU that the head behind this VNC socket has a monitor of `width` × `height` (0 × 0: none).
 * Resolves once the message is written and the server has had it (the socket closes cleanly).
 */
export async function setMonitor(vncSocket: string, width: number, height: number): Promise<{ before: { width: number; height: number } }> {
  const socket = connect(vncSocket);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    }),
    10_000,
    `VNC socket ${vncSocket}`,
  ).catch((err: unknown) => {
    socket.destroy();
    throw err;
  });
  try {
    const r = new Reader(socket);
    const before = await withTimeout(handshake(socket, r), 10_000, 'VNC handshake');
    await new Promise<void>((resolve, reject) => socket.write(setDesktopSize(width, height), (e) => (e ? reject(e) : resolve())));
    // QEMU applies the size at once (no delay for a VNC request); wait a moment before closing so
    // the message is read before the disconnect.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { before };
  } finally {
    socket.end();
    socket.destroy();
  }
}
