/**
 * ESC/POS receipt printer simulator over TCP (the "raw 9100" interface of network printers) or on
 * the device end of a PTY standing in for a USB printer's /dev/usb/lp* file,
 * speaking the device side byte for byte: it answers DLE EOT n at once in any state, sends
 * Automatic Status Back when enabled, answers GS ( H (fn 48) with the process ID response once
 * everything before it is printed, and — like a real printer — keeps accepting and holding
 * print data while paper is out, the cover is open or it is offline, printing it when the fault
 * clears. Faults are injected by the test or the demo.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { listenLoopback } from '../net';
import { processIdResponse } from './status';
import { SerialPort } from 'serialport';
import type { RandomSource } from '../../common/backoff';

/** One connection to the printer: a TCP client, or the device end of a USB/serial line. */
interface Endpoint {
  write(bytes: Uint8Array): unknown;
  destroy(): void;
}

export interface SimulatedPrinterState {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  offline: boolean;
  drawerOpen: boolean;
}

/** Lengths of the ESC/GS commands the encoder emits (bytes after the 2-byte prefix), for the text view. */
const FIXED_ARGS: Record<string, number> = {
  '1b40': 0, '1b74': 1, '1b4d': 1, '1b45': 1, '1b61': 1, '1b21': 1, '1b64': 1, '1b32': 0, '1b33': 1, '1b2d': 1, '1b47': 1, '1b7b': 1, '1b4a': 1,
  '1d21': 1, '1d42': 1, '1d68': 1, '1d77': 1, '1d48': 1, '1d66': 1, '1d61': 1, '1c2e': 0, '1c26': 0, '1b70': 3, '1b56': 1, '1b72': 1,
};

/** What the simulated printer keeps of what it printed (about 250 receipts); a stretch is torn off at a cut beyond it. */
const PAPER_ROLL_BYTES = 1_000_000;

export class PrinterSimulator {
  readonly state: SimulatedPrinterState = { paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, drawerOpen: false };
  /** Bytes that went onto paper. */
  readonly printed: number[] = [];
  /** Bytes received while blocked, printed when the fault clears. */
  private held: number[] = [];
  private server: Server | null = null;
  private readonly sockets = new Set<Endpoint>();
  private serialPath: string | null = null;
  private asb = false;
  private pending: number[] = [];
  /** Fault injection: paper runs out after this many more printed bytes (mid-receipt). */
  paperOutAfter: number | null = null;
  drawerKicks = 0;
  /** Fault injection: status replies come this late (a busy or failing printer). */
  replyDelayMs = 0;
  cuts = 0;
  port = 0;
  /**
   * How it meets GS ( H: 'answer' with the process ID response; 'ignore' it (a printer without
   * the function, or one that takes a job and never confirms it); 'hold' the response until
   * releaseProcessIds() (fault injection: the job is on paper, its confirmation not yet sent).
   */
  processId: 'answer' | 'hold' | 'ignore' = 'answer';
  /** GS ( H requests processed (everything before them printed), and DLE EOT requests answered. */
  processIdRequests = 0;
  statusReplies = 0;
  private heldProcessIds: Uint8Array[] = [];
  /**
   * The demo store's simulated cashier: a drawer that was kicked open is pushed shut this long
   * after (null: it stays open until closeDrawer(), as tests want).
   */
  autoShutDrawerMs: number | null = null;
  private shutTimer: ReturnType<typeof setTimeout> | null = null;
  private babbler: ReturnType<typeof setInterval> | null = null;
  /** Garbage bytes sent since babble() began (fault injection). */
  babbled = 0;

  async listen(port = 0): Promise<number> {
    this.server = createServer((s) => this.onSocket(s));
    this.port = await listenLoopback(this.server, port);
    return this.port;
  }

  /** Serves the device end of a line (a PTY pair's `device` path) instead of TCP. */
  async attach(path: string): Promise<void> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((err) => (err ? rej(err) : res())));
    this.serialPath = path;
    const ep: Endpoint = {
      write: (b) => port.write(Buffer.from(b)),
      destroy: () => {
        if (port.isOpen) port.close(() => {});
      },
    };
    this.sockets.add(ep);
    port.on('close', () => this.sockets.delete(ep));
    port.on('error', () => {});
    port.on('data', (d: Buffer) => this.onBytes(ep, d));
  }

  private onSocket(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => {});
    s.on('data', (d) => this.onBytes(s, d));
  }

  private blocked(): boolean {
    return this.state.paperOut || this.state.coverOpen || this.state.offline;
  }

  /** DLE EOT replies per the Epson tables (drawer sensor adds 04 to n = 1). */
  private realtime(n: number): number {
    const s = this.state;
    switch (n) {
      case 1:
        return 0x12 | (s.drawerOpen ? 0x04 : 0) | (this.blocked() ? 0x08 : 0);
      case 2:
        return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0);
      case 3:
        return 0x12;
      default:
        return 0x12 | (s.paperNearEnd || s.paperOut ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
    }
  }

  private asbFrame(): number[] {
    const s = this.state;
    const b1 = 0x10 | (s.drawerOpen ? 0x04 : 0) | (this.blocked() ? 0x08 : 0) | (s.coverOpen ? 0x20 : 0);
    const b3 = (s.paperNearEnd || s.paperOut ? 0x03 : 0) | (s.paperOut ? 0x0c : 0);
    return [b1, 0x00, b3, 0x00];
  }

  private onBytes(s: Endpoint, data: Buffer): void {
    const bytes = [...this.pending, ...data];
    this.pending = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 0x10 && i + 1 >= bytes.length) {
        this.pending = [b];
        break;
      }
      if (b === 0x10 && bytes[i + 1] === 0x04) {
        if (i + 2 >= bytes.length) {
          this.pending = bytes.slice(i);
          break;
        }
        // Real-time status: answered at once, even while blocked (unless unplugged or babbling).
        if (this.babbler) {
          i += 2;
          continue;
        }
        const reply = Uint8Array.of(this.realtime(bytes[i + 2]!));
        this.statusReplies++;
        if (this.replyDelayMs > 0) setTimeout(() => s.write(reply), this.replyDelayMs);
        else s.write(reply);
        i += 2;
        continue;
      }
      if (b === 0x10 && bytes[i + 1] === 0x14) {
        // DLE DC4 1 m t: real-time drawer pulse, carried out at once even while paper is out
        // (not while unplugged: nothing arrives then).
        if (i + 4 >= bytes.length) {
          this.pending = bytes.slice(i);
          break;
        }
        if (bytes[i + 2] === 0x01) {
          this.drawerKicks++;
          this.setState({ drawerOpen: true });
        }
        i += 4;
        continue;
      }
      if (b === 0x1d && bytes[i + 1] === 0x61 && i + 2 < bytes.length) {
        this.asb = bytes[i + 2] !== 0;
        if (this.asb) s.write(Uint8Array.from(this.asbFrame()));
        i += 2;
        continue;
      }
      if (this.blocked()) this.held.push(b);
      else this.emit(b);
    }
  }

  private emit(b: number): void {
    if (this.paperOutAfter !== null && this.paperOutAfter-- <= 0) {
      this.paperOutAfter = null;
      this.state.paperOut = true;
      if (this.asb) for (const s of this.sockets) s.write(Uint8Array.from(this.asbFrame()));
    }
    if (this.blocked()) {
      this.held.push(b);
      return;
    }
    this.printed.push(b);
    const n = this.printed.length;
    // ESC p m t1 t2: drawer kick; GS V: cut
    if (n >= 5 && this.printed[n - 5] === 0x1b && this.printed[n - 4] === 0x70) {
      this.drawerKicks++;
      this.setState({ drawerOpen: true });
    }
    if (n >= 3 && this.printed[n - 3] === 0x1d && this.printed[n - 2] === 0x56) {
      this.cuts++;
      if (n > PAPER_ROLL_BYTES) this.tearOff();
    }
    // GS ( H 06 00 30 30 d1 d2 d3 d4: processed in turn, so everything before it is printed now.
    if (n >= 11 && this.printed[n - 11] === 0x1d && this.printed[n - 10] === 0x28 && this.printed[n - 9] === 0x48) {
      const [pL, pH, fn, m] = this.printed.slice(n - 8, n - 4);
      const id = this.printed.slice(n - 4);
      if (pL === 6 && pH === 0 && fn === 0x30 && m === 0x30 && id.every((d) => d >= 0x30 && d <= 0x39)) {
        this.processIdRequests++;
        const reply = processIdResponse(String.fromCharCode(...id));
        if (this.processId === 'answer') for (const s of this.sockets) s.write(reply);
        else if (this.processId === 'hold') this.heldProcessIds.push(reply);
      }
    }
  }

  /** Like a roll of paper, the simulator keeps only its last stretch: older receipts are torn off at a cut. */
  private tearOff(): void {
    const p = this.printed;
    for (let i = p.length - PAPER_ROLL_BYTES / 2; i + 2 < p.length; i++) {
      if (p[i] === 0x1d && p[i + 1] === 0x56) {
        p.splice(0, i + 3);
        return;
      }
    }
  }

  /** Changes the printer's condition; held data prints when nothing blocks any more. */
  setState(patch: Partial<SimulatedPrinterState>): void {
    Object.assign(this.state, patch);
    if (patch.drawerOpen !== undefined && this.shutTimer) {
      clearTimeout(this.shutTimer);
      this.shutTimer = null;
    }
    if (patch.drawerOpen === true && this.autoShutDrawerMs !== null) {
      this.shutTimer = setTimeout(() => this.closeDrawer(), this.autoShutDrawerMs);
      this.shutTimer.unref?.();
    }
    if (!this.blocked() && this.held.length) {
      const held = this.held;
      this.held = [];
      for (const b of held) this.emit(b);
    }
    if (this.asb) for (const s of this.sockets) s.write(Uint8Array.from(this.asbFrame()));
  }

  /** Sends the process ID responses held back (processId 'hold'), and answers from now on. */
  releaseProcessIds(): void {
    this.processId = 'answer';
    const held = this.heldProcessIds;
    this.heldProcessIds = [];
    for (const reply of held) for (const s of this.sockets) s.write(reply);
  }

  /** Fault injection: line noise from the printer's side. */
  injectGarbage(bytes: ArrayLike<number>): void {
    for (const s of this.sockets) s.write(Uint8Array.from(bytes));
  }

  /**
   * Fault injection: the port sends random bytes without end (`bytesPerTick` every few ms) and
   * answers no status request, like a wrong device or a line at the wrong speed; null stops it.
   */
  babble(random: RandomSource | null, bytesPerTick = 64): void {
    if (this.babbler) clearInterval(this.babbler);
    this.babbler = null;
    if (!random) return;
    this.babbler = setInterval(() => {
      const bytes = Uint8Array.from({ length: bytesPerTick }, () => Math.floor(random() * 256));
      this.babbled += bytes.length;
      for (const s of this.sockets) s.write(bytes);
    }, 5);
    this.babbler.unref?.();
  }

  /** The cashier pushes the drawer shut. */
  closeDrawer(): void {
    this.setState({ drawerOpen: false });
  }

  /** Pulls the cable: connections drop and nothing answers until replug(). */
  async unplug(): Promise<void> {
    this.heldProcessIds = []; // meant for the connection that goes
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((res) => (this.server ? this.server.close(() => res()) : res()));
    this.server = null;
  }

  async replug(): Promise<void> {
    if (this.serialPath) await this.attach(this.serialPath);
    else await this.listen(this.port);
  }

  async close(): Promise<void> {
    this.babble(null);
    await this.unplug();
  }

  /** What is on the paper, as text (commands stripped, CP858 decoded, one string per cut). */
  printedText(): string {
    const out: string[] = [];
    const p = this.printed;
    for (let i = 0; i < p.length; i++) {
      const b = p[i]!;
      if (b === 0x1b || b === 0x1d || b === 0x1c) {
        const key = b.toString(16) + (p[i + 1] ?? 0).toString(16).padStart(2, '0');
        if (key === '1d56') {
          out.push('\n--- CUT ---\n');
          i += (p[i + 2] ?? 0) >= 0x41 ? 3 : 2;
        } else if (key === '1d6b') {
          // GS k m n d1..dn (function B): barcode
          const n = p[i + 3] ?? 0;
          // Code 128 (m = 73) starts with its code set, {A {B or {C: not part of the data.
          const data = String.fromCharCode(...p.slice(i + 4, i + 4 + n));
          out.push(`[barcode ${p[i + 2] === 73 ? data.replace(/^\{[ABC]/, '') : data}]`);
          i += 3 + n;
        } else if (key === '1d76') {
          // GS v 0 m xL xH yL yH d…: raster bit image
          const x = (p[i + 4] ?? 0) + 256 * (p[i + 5] ?? 0);
          const y = (p[i + 6] ?? 0) + 256 * (p[i + 7] ?? 0);
          out.push(`[image ${x * 8}x${y}]`);
          i += 7 + x * y;
        } else if (key === '1d28') {
          // GS ( k pL pH …: QR code functions, length-prefixed
          const len = (p[i + 3] ?? 0) + 256 * (p[i + 4] ?? 0);
          i += 4 + len;
        } else if (key in FIXED_ARGS) i += 1 + FIXED_ARGS[key]!;
        else i += 1;
        continue;
      }
      if (b === 0x0a) out.push('\n');
      else if (b >= 0x20 && b < 0x7f) out.push(String.fromCharCode(b));
      else if (b >= 0x80) out.push(CP858_DECODE[b] ?? '?');
    }
    return out.join('');
  }
}

const CP858_DECODE: Record<number, string> = { 0x86: 'å', 0x84: 'ä', 0x94: 'ö', 0x8f: 'Å', 0x8e: 'Ä', 0x99: 'Ö', 0x81: 'ü', 0x9a: 'Ü', 0x82: 'é', 0x90: 'É', 0xe1: 'ß', 0xd5: '€' };
