/**
 * The terminal's device configuration (a JSON file store IT edits). Each device is validated on
 * its own: an invalid one is refused with a message naming the field, the valid ones start.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lower-case letters, digits and dashes');
const serialPath = z.string().regex(/^\/dev\/[\w./-]+$|^\/tmp\/[\w./-]+$/, 'a device path such as /dev/ttyUSB0');

export const DeviceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('escposPrinter'),
      id,
      /** TCP (raw 9100) printer, or a simulated one (demo, tests). */
      transport: z.discriminatedUnion('type', [
        z.object({ type: z.literal('tcp'), host: z.string().min(1).max(253), port: z.number().int().min(1).max(65535) }).strict(),
        /** USB printer class device file (Linux usblp). */
        z.object({ type: z.literal('usb'), path: serialPath }).strict(),
        z.object({ type: z.literal('simulated') }).strict(),
      ]),
      pollMs: z.number().int().min(50).max(5_000).optional(),
      /** A cash drawer hangs off the printer's drawer port (kicked with a real-time pulse). Default true. */
      drawer: z.boolean().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('toledoScale'), id, path: z.union([serialPath, z.literal('simulated')]), pollMs: z.number().int().min(50).max(5_000).optional() }).strict(),
  /** A certified price-computing scale speaking Dialog 06 (the scale computes the price). */
  z
    .object({
      kind: z.literal('dialog06Scale'),
      id,
      path: z.union([serialPath, z.literal('simulated')]),
      baudRate: z.union([z.literal(2400), z.literal(4800), z.literal(9600), z.literal(19200)]).optional(),
      parity: z.enum(['odd', 'even', 'none']).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('poleDisplay'), id, path: z.union([serialPath, z.literal('simulated')]) }).strict(),
  z
    .object({
      kind: z.literal('serialScanner'),
      id,
      path: z.union([serialPath, z.literal('simulated')]),
      baudRate: z.union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)]).optional(),
      suffix: z.enum(['CR', 'LF', 'CRLF']).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('hidScanner'),
      id,
      vendorId: z.number().int().min(0).max(0xffff),
      productId: z.number().int().min(0).max(0xffff),
      serialNumber: z.string().max(64).optional(),
      /** Send the switch-to-HID-POS feature report (default: for the vendors known to need it). */
      modeSwitch: z.boolean().optional(),
      /** A simulated scanner at the node-hid boundary (demo, tests). */
      simulated: z.boolean().optional(),
    })
    .strict(),
  /** A keyboard-wedge scanner types into the lane UI; these set how the UI tells it from a person typing. */
  z
    .object({
      kind: z.literal('keyboardWedge'),
      id,
      /** Longest pause between two keystrokes of one scan (a person types slower). */
      maxKeyGapMs: z.number().int().min(5).max(100).optional(),
      /** Shortest code counted as a scan. */
      minLength: z.number().int().min(2).max(64).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('serialDrawer'),
      id,
      path: z.union([serialPath, z.literal('simulated')]),
      baudRate: z.union([z.literal(1200), z.literal(2400), z.literal(9600), z.literal(19200)]).optional(),
      /** The bytes that fire the solenoid (default BEL, 0x07). */
      openCommand: z.array(z.number().int().min(0).max(255)).min(1).max(16).optional(),
    })
    .strict(),
]);
export type DeviceConfig = z.infer<typeof DeviceSchema>;

export interface ParsedDevices {
  devices: DeviceConfig[];
  errors: string[];
}

/** Validates a device file's text; never throws. */
export function parseDeviceConfig(text: string): ParsedDevices {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { devices: [], errors: [`device configuration is not valid JSON: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const list = (raw as { devices?: unknown })?.devices;
  if (!Array.isArray(list)) return { devices: [], errors: ['device configuration: "devices" must be a list'] };
  const devices: DeviceConfig[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  list.forEach((d, i) => {
    const r = DeviceSchema.safeParse(d);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const field = ['devices', i, ...issue.path].map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? String(p) : `.${String(p)}`)).join('');
      errors.push(`${field}: ${issue.message}`);
      return;
    }
    if (seen.has(r.data.id)) {
      errors.push(`devices[${i}].id: "${r.data.id}" is used twice`);
      return;
    }
    seen.add(r.data.id);
    devices.push(r.data);
  });
  return { devices, errors };
}

/** The demo store's devices: everything simulated. */
export const DEMO_DEVICES = JSON.stringify({
  devices: [
    { kind: 'escposPrinter', id: 'printer', transport: { type: 'simulated' } },
    { kind: 'toledoScale', id: 'scale', path: 'simulated' },
    { kind: 'poleDisplay', id: 'display', path: 'simulated' },
    { kind: 'hidScanner', id: 'hid-scanner', vendorId: 0x0c2e, productId: 0x0b61, simulated: true },
    { kind: 'keyboardWedge', id: 'wedge', maxKeyGapMs: 30, minLength: 4 },
  ],
});
