/**
 * The terminal's device configuration (a JSON file store IT edits). Each device is validated on
 * its own: an invalid one is refused with a message naming the field, the valid ones start.
 */
import { z } from 'zod';
import { ScreensSchema } from '../../protocol/screens';
import type { DeviceConfigProblem } from '../../protocol/terminal';

const id = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lower-case letters, digits and dashes');
/** A device on the network: host and TCP port. */
const tcp = z.object({ type: z.literal('tcp'), host: z.string().min(1).max(253), port: z.number().int().min(1).max(65535) }).strict();
const serialPath = z.string().regex(/^\/dev\/[\w./-]+$|^\/tmp\/[\w./-]+$/, 'a device path such as /dev/ttyUSB0');

export const DeviceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('escposPrinter'),
      id,
      /** TCP (raw 9100) printer, or a simulated one (demo, tests). */
      transport: z.discriminatedUnion('type', [
        tcp,
        /** USB printer class device file (Linux usblp). */
        z.object({ type: z.literal('usb'), path: serialPath }).strict(),
        z.object({ type: z.literal('simulated'), /** The simulated drawer is pushed shut this long after it opened. */ drawerShutMs: z.number().int().min(500).max(600_000).optional() }).strict(),
      ]),
      pollMs: z.number().int().min(50).max(5_000).optional(),
      /**
       * How the printer confirms a job printed: 'processId' (GS ( H; the default) or, for a printer
       * without it, 'status' (a status reply after the job). Until then the job is 'sending'.
       */
      confirm: z.enum(['processId', 'status']).optional(),
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
  /** A self-checkout's cash unit on a ccTalk bus: coin acceptor, note validator with escrow, change hoppers (drivers/cctalk). */
  z
    .object({
      kind: z.literal('cashDevice'),
      id,
      path: z.union([serialPath, z.literal('simulated')]),
      pollMs: z.number().int().min(50).max(200).optional(),
    })
    .strict(),
  /** The card payment terminal speaking ZVT over TCP or a serial line, or the ZVT simulator; one per lane. */
  z
    .object({
      kind: z.literal('zvtTerminal'),
      id,
      transport: z.discriminatedUnion('type', [
        tcp,
        z.object({ type: z.literal('serial'), path: serialPath }).strict(),
        z.object({ type: z.literal('simulated') }).strict(),
      ]),
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

type Issue = z.core.$ZodIssue;

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

const typeName = (v: unknown): string => (Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v);

/** One zod issue as a problem store IT can read: a code the UI words, its values, and English text. */
function problemOf(issue: Issue, device: unknown, index: number): DeviceConfigProblem {
  const id = (device as { id?: unknown } | null)?.id;
  const where = { device: typeof id === 'string' && id ? id : `#${index + 1}`, index, field: issue.path.length ? issue.path.map(String).join('.') : null };
  const field = issue.path.length ? String(issue.path[issue.path.length - 1]) : '';
  const at = valueAt(device, issue.path);
  const p = (code: DeviceConfigProblem['code'], params: Record<string, string | number>, message: string): DeviceConfigProblem => ({ ...where, code, params, message });
  if (issue.path.length && at === undefined && issue.code !== 'unrecognized_keys') return p('missing', { field }, `${field} is missing`);
  switch (issue.code) {
    case 'invalid_union': {
      const u = issue as { options?: unknown[]; errors?: Issue[][] };
      if (u.options) {
        const options = u.options.map(String).join(', ');
        return field === 'kind' ? p('unknownKind', { value: String(at), options }, `"${String(at)}" is not a device kind (${options})`) : p('oneOf', { options }, `must be one of ${options}`);
      }
      // A union of literals or formats: collect what each branch would accept.
      const options: string[] = [];
      const hints: string[] = [];
      for (const branch of u.errors ?? []) {
        for (const b of branch) {
          if (b.code === 'invalid_value') options.push(...b.values.map(String));
          else if (b.code === 'invalid_format') hints.push(b.message);
        }
      }
      if (hints.length) return p('format', { field, hint: field === 'path' ? 'path' : 'other', options: options.join(', ') }, `${hints.join(' or ')}${options.length ? `, or ${options.join(', ')}` : ''}`);
      if (options.length) return p('oneOf', { options: options.join(', ') }, `must be one of ${options.join(', ')}`);
      return p('invalid', {}, issue.message);
    }
    case 'invalid_value':
      return p('oneOf', { options: issue.values.map(String).join(', ') }, `must be one of ${issue.values.map(String).join(', ')}`);
    case 'invalid_type':
      return issue.path.length === 0
        ? p('notObject', {}, `each device must be an object {"kind": …, "id": …}, not ${typeName(at)}`)
        : p('wrongType', { expected: issue.expected === 'int' ? 'integer' : issue.expected === 'array' ? 'list' : issue.expected, got: typeName(at) }, `must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}, not ${typeName(at)}`);
    case 'too_small':
      return p('tooSmall', { min: Number(issue.minimum), origin: issue.origin }, issue.origin === 'number' ? `must be at least ${Number(issue.minimum)}` : `must have at least ${Number(issue.minimum)} ${issue.origin === 'string' ? 'characters' : 'entries'}`);
    case 'too_big':
      return p('tooBig', { max: Number(issue.maximum), origin: issue.origin }, issue.origin === 'number' ? `must be at most ${Number(issue.maximum)}` : `must have at most ${Number(issue.maximum)} ${issue.origin === 'string' ? 'characters' : 'entries'}`);
    case 'invalid_format':
      return p('format', { field, hint: field === 'id' ? 'id' : field === 'path' ? 'path' : 'other', options: '' }, issue.message);
    case 'unrecognized_keys':
      return p('unknownField', { keys: issue.keys.join(', ') }, `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`);
    default:
      return p('invalid', {}, issue.message);
  }
}

/**
 * Where JSON.parse stopped, as a 1-based line and column (V8 names the position: "… at position 42";
 * at the end of the input it names none).
 */
export function jsonErrorPlace(text: string, detail: string): { line: number; column: number } {
  const m = /position (\d+)/.exec(detail);
  const pos = Math.min(m ? Number(m[1]) : text.length, text.length);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

/**
 * Checks a device file's text for store IT's editor: every problem of every device (not only the
 * first), each with the device and field it is about. Never throws.
 */
export function checkDeviceConfig(text: string): { devices: DeviceConfig[]; problems: DeviceConfigProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const { line, column } = jsonErrorPlace(text, detail);
    return { devices: [], problems: [{ device: null, index: null, field: null, code: 'json', params: { detail, line, column }, message: `not valid JSON at line ${line}, column ${column}: ${detail}` }] };
  }
  const list = (raw as { devices?: unknown } | null)?.devices;
  if (!Array.isArray(list)) return { devices: [], problems: [{ device: null, index: null, field: 'devices', code: 'notList', params: {}, message: '"devices" must be a list' }] };
  const devices: DeviceConfig[] = [];
  const problems: DeviceConfigProblem[] = [];
  const seen = new Set<string>();
  list.forEach((d, i) => {
    // A second device with an id already used is reported with everything else, valid or not.
    const id = (d as { id?: unknown } | null)?.id;
    const duplicate = typeof id === 'string' && seen.has(id);
    if (typeof id === 'string') seen.add(id);
    if (duplicate) problems.push({ device: id, index: i, field: 'id', code: 'duplicateId', params: { id }, message: `"${id}" is used by two devices` });
    const r = DeviceSchema.safeParse(d);
    if (!r.success) {
      problems.push(...r.error.issues.map((issue) => problemOf(issue, d, i)));
      return;
    }
    if (!duplicate) devices.push(r.data);
  });
  // The kiosk image's screens (protocol/screens.ts): not a device; the kiosk session reads them.
  const screens = (raw as { screens?: unknown }).screens;
  if (screens !== undefined) {
    const r = ScreensSchema.safeParse(screens);
    if (!r.success) problems.push(...r.error.issues.map((issue) => ({ ...problemOf(issue, screens, 0), device: 'screens', index: null })));
  }
  return { devices, problems };
}

/** The payment terminal's entry in devices.json the --zvt shortcut stands for (tcp:HOST:PORT, serial:PATH, simulated). */
export function paymentTerminalEntry(zvt: string): DeviceConfig {
  const transport = zvt === 'simulated'
    ? { type: 'simulated' as const }
    : zvt.startsWith('tcp:')
      ? { type: 'tcp' as const, host: zvt.slice(4, zvt.lastIndexOf(':')), port: Number(zvt.slice(zvt.lastIndexOf(':') + 1)) }
      : { type: 'serial' as const, path: zvt.slice('serial:'.length) };
  return { kind: 'zvtTerminal', id: 'payment-terminal', transport };
}

/**
 * The devices with the payment terminal the command line names: --zvt replaces the file's terminal;
 * without it the demo store gets a simulated one when its file has none.
 */
export function withPaymentTerminal(devices: readonly DeviceConfig[], zvt: { flag: string | null; demo: boolean }): readonly DeviceConfig[] {
  if (zvt.flag) return [...devices.filter((d) => d.kind !== 'zvtTerminal'), paymentTerminalEntry(zvt.flag)];
  if (zvt.demo && !devices.some((d) => d.kind === 'zvtTerminal')) return [...devices, paymentTerminalEntry('simulated')];
  return devices;
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

/** The demo store's devices; a kiosk that takes cash gets a simulated cash unit too. */
export function demoDevices(opts: { cash: boolean }): string {
  if (!opts.cash) return DEMO_DEVICES;
  const d = JSON.parse(DEMO_DEVICES) as { devices: unknown[] };
  return JSON.stringify({ devices: [...d.devices, { kind: 'cashDevice', id: 'cash', path: 'simulated' }] });
}
