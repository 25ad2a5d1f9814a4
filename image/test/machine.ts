/**
 * One terminal in QEMU for image:test: q35, TCG (no KVM here), OVMF with its own NVRAM, the disk as
 * a copy-on-write overlay of the built image, virtio-vga with two outputs (the kiosk's sway, wlroots 0.15, needs a KMS
 * driver with PRIME; the second output has no monitor until the test plugs one in: image/test/monitor.ts), an
 * xHCI controller for USB sticks (at power-on or plugged in later through QMP), QEMU's user
 * network with the Terminal API forwarded to 127.0.0.1 only. A power cycle is a new QEMU process
 * on the same overlay and NVRAM; a reboot inside the guest stays in the same process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { setMonitor } from './monitor';
import { encodePng, parsePpm, screenStats } from './png';
import { Qmp } from './qmp';

export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

export interface Shot {
  png: string;
  colours: number;
  dominant: number;
  bytes: Buffer;
}

export class Machine {
  private qemu: ChildProcess | null = null;
  private qmpConn: Qmp | null = null;
  private boots = 0;
  private sticks = 0;
  exited: string | null = null;
  serialPath = '';
  poweredOnAt = 0;

  constructor(
    readonly dir: string,
    readonly overlay: string,
    private readonly o: { mem: number; apiPort: number | null; guestPort: number | null },
  ) {
    copyFileSync(OVMF_VARS, join(dir, 'OVMF_VARS.fd'));
  }

  /** Powers on (a new QEMU process), with a USB stick in when `stick` is given. */
  async powerOn(stick: string | null): Promise<void> {
    this.boots += 1;
    this.serialPath = join(this.dir, `serial-${this.boots}.log`);
    const forwards = this.o.apiPort === null ? '' : `,hostfwd=tcp:127.0.0.1:${this.o.apiPort}-:${this.o.guestPort}`;
    const qmpPath = join(this.dir, 'qmp.sock');
    rmSync(qmpPath, { force: true });
    rmSync(this.head1Socket, { force: true });
    const args = [
      '-machine', 'q35', '-accel', 'tcg', '-cpu', 'max', '-smp', '2', '-m', String(this.o.mem),
      '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`,
      '-drive', `if=pflash,format=raw,unit=1,file=${join(this.dir, 'OVMF_VARS.fd')}`,
      '-drive', `file=${this.overlay},if=virtio,format=qcow2`,
      '-netdev', `user,id=net0${forwards}`, '-device', 'virtio-net-pci,netdev=net0',
      // Two heads: the lane's monitor (head 0, on from power-on) and a customer display the test
      // plugs in and pulls out through a VNC server on head 1 (a unix socket: never the network).
      '-vga', 'none', '-device', 'virtio-vga,id=gpu,max_outputs=2', '-display', 'none',
      '-vnc', `unix:${this.head1Socket},display=gpu,head=1`,
      '-device', 'qemu-xhci,id=xhci',
      ...(stick ? ['-drive', `if=none,id=stick0,format=raw,file=${stick}`, '-device', 'usb-storage,bus=xhci.0,drive=stick0,removable=on'] : []),
      '-serial', `file:${this.serialPath}`,
      // A second serial port as a socket, for images built with a debug console on ttyS1 (never a store or test image).
      ...(process.env.KASSA_IMAGE_TEST_TTYS1 ? ['-serial', `unix:${process.env.KASSA_IMAGE_TEST_TTYS1},server=on,wait=off`] : []),
      '-qmp', `unix:${qmpPath},server=on,wait=off`,
    ];
    writeFileSync(join(this.dir, `qemu-${this.boots}.args`), args.join(' ') + '\n');
    this.exited = null;
    this.poweredOnAt = performance.now();
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'inherit', 'inherit'] });
    this.qemu = qemu;
    qemu.on('exit', (code, signal) => (this.exited = `QEMU exited (${code ?? signal})`));
    this.qmpConn = await openQmp(qmpPath);
  }

  private get qmp(): Qmp {
    if (!this.qmpConn) throw new Error('the machine is off');
    return this.qmpConn;
  }

  /** Plugs a USB stick in (a running machine). */
  async plugStick(img: string): Promise<void> {
    this.sticks += 1;
    const node = `stick-hot-${this.sticks}`;
    await this.qmp.execute('blockdev-add', { driver: 'raw', 'node-name': node, file: { driver: 'file', filename: img } });
    await this.qmp.execute('device_add', { driver: 'usb-storage', id: `${node}-dev`, bus: 'xhci.0', drive: node, removable: true });
  }

  serial(): string {
    return this.serialPath && existsSync(this.serialPath) ? readFileSync(this.serialPath, 'latin1') : '';
  }

  /** The VNC socket of head 1 (the second monitor's connector). */
  get head1Socket(): string {
    return join(this.dir, 'head1.vnc');
  }

  /** A monitor of w × h plugged into the second output (0 × 0: pulled out). */
  async secondMonitor(width: number, height: number): Promise<void> {
    await setMonitor(this.head1Socket, width, height);
  }

  /** What a head shows, as `name`.png (head 0: the lane's monitor; 1: the second output). */
  async shot(name: string, head = 0): Promise<Shot> {
    const ppm = join(this.dir, `${name}.ppm`);
    await this.qmp.execute('screendump', head === 0 ? { filename: ppm } : { filename: ppm, device: 'gpu', head });
    const bytes = readFileSync(ppm);
    const img = parsePpm(bytes);
    const png = join(this.dir, `${name}.png`);
    writeFileSync(png, encodePng(img));
    rmSync(ppm);
    return { png, bytes, ...screenStats(img) };
  }

  /** ACPI power button, then the plug if the guest has not shut down within `graceS`. */
  async powerOff(graceS = 180): Promise<void> {
    if (!this.qemu || this.exited) return this.closeQmp();
    await this.qmp.execute('system_powerdown').catch(() => undefined);
    for (let i = 0; i < graceS && !this.exited; i++) await sleep(1000);
    if (!this.exited) await this.qmp.execute('quit').catch(() => undefined);
    for (let i = 0; i < 10 && !this.exited; i++) await sleep(500);
    if (!this.exited) this.qemu.kill('SIGKILL');
    this.closeQmp();
  }

  private closeQmp(): void {
    this.qmpConn?.close();
    this.qmpConn = null;
  }
}

async function openQmp(path: string): Promise<Qmp> {
  for (let i = 0; i < 100; i++) {
    if (existsSync(path)) {
      try {
        return await Qmp.open(path);
      } catch {
        /* not listening yet */
      }
    }
    await sleep(100);
  }
  throw new Error('QEMU\'s QMP socket did not open');
}
