/**
 * The node-hid boundary. Drivers talk to HID devices only through `HidBackend`; the real one is
 * node-hid's `HIDAsync` (loaded on demand: it needs libusb-1.0 / hidraw and may be missing on a
 * terminal without HID devices, which then simply has none).
 */
import { createRequire } from 'node:module';

export interface HidInfo {
  path?: string | undefined;
  vendorId: number;
  productId: number;
  product?: string | undefined;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  interface?: number | undefined;
}

/** What a driver uses of an open node-hid `HIDAsync`. */
export interface HidHandle {
  on(event: 'data', fn: (report: Buffer) => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
  removeAllListeners(): unknown;
  sendFeatureReport(data: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
}

export interface HidBackend {
  readonly name: string;
  devices(): Promise<HidInfo[]>;
  open(path: string): Promise<HidHandle>;
}

type NodeHid = typeof import('node-hid');

let loaded: { hid: NodeHid } | { error: string } | null = null;

/** node-hid, or why it cannot be used on this machine. */
export function loadNodeHid(): { hid: NodeHid } | { error: string } {
  if (loaded) return loaded;
  try {
    const require = createRequire(import.meta.url);
    loaded = { hid: require('node-hid') as NodeHid };
  } catch (err) {
    loaded = { error: `node-hid cannot be loaded (is libusb-1.0-0 installed?): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
  return loaded;
}

export function nodeHidBackend(): HidBackend {
  return {
    name: 'node-hid',
    async devices() {
      const l = loadNodeHid();
      if ('error' in l) throw new Error(l.error);
      return (await l.hid.devicesAsync()).map((d) => ({ ...d }));
    },
    async open(path) {
      const l = loadNodeHid();
      if ('error' in l) throw new Error(l.error);
      return (await l.hid.HIDAsync.open(path)) as unknown as HidHandle;
    },
  };
}
