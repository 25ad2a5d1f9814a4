/**
 * A terminal's provisioning payload (issue 20.2): what store IT gives a terminal without identity,
 * as `provisioning.json` on a USB stick, or typed or scanned (a QR code HQ prints with
 * `--issue-token STORE:LANE --with-hq-url URL`) as `KASSA-PROVISION:` + base64url(the same JSON).
 * It is data only: nothing in it is executed (a control unit is a kind and a device address, never a program), the HQ URL must be http(s), and `store`/`lane`, when
 * given, must be what HQ's enrollment answer says (a stick for lane 3 never makes a terminal lane 4).
 */
import { z } from 'zod';
import { ControlUnitConfigSchema } from './terminal/profile';

/** The typed or scanned form starts with this; the rest is base64url of the JSON. */
export const PROVISION_PREFIX = 'KASSA-PROVISION:';
/** Characters a typed or scanned payload may have (a QR code holds about 2,900 bytes). */
export const PROVISION_TEXT_MAX = 4_000;

const httpUrl = z
  .string()
  .max(300)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol) && new URL(u).hostname !== '', 'HQ’s address must be an http:// or https:// URL');

export const ProvisioningFileSchema = z
  .object({
    hq: httpUrl,
    token: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'an enrollment token (20–128 characters of A–Z, a–z, 0–9, _ or -)'),
    /** HQ's catalog signing keys (raw Ed25519, base64url) the terminal pins. */
    catalogKeys: z.array(z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a catalog key (43 characters of base64url)')).max(8).optional(),
    /** The store and lane the token is for, as store IT labelled the stick: checked against HQ's answer. */
    store: z.string().min(1).max(64).optional(),
    lane: z.string().min(1).max(64).optional(),
    /**
     * Sweden: the control unit this till registers its receipts with (HQ's `--control-unit`), kept
     * when the terminal is provisioned — the kiosk image has no shell for `npm run provision --
     * --control-unit`. Left out: whatever the terminal has (a Swedish till with none makes no receipts).
     */
    controlUnit: ControlUnitConfigSchema.optional(),
  })
  .strict();
export type ProvisioningFile = z.infer<typeof ProvisioningFileSchema>;

export type PayloadRead = { ok: true; payload: ProvisioningFile } | { ok: false; reason: string };

/** The first problem zod found, in words ("token: an enrollment token …"). */
function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  return i ? `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}` : 'not a provisioning payload';
}

/** Reads a provisioning payload from JSON (the file's text) or the typed/scanned form; never throws. */
export function readProvisioning(text: string): PayloadRead {
  const t = text.trim();
  if (t.length === 0) return { ok: false, reason: 'it is empty' };
  if (t.length > PROVISION_TEXT_MAX * 4) return { ok: false, reason: 'it is far too long for a provisioning payload' };
  let json: string;
  if (t.slice(0, PROVISION_PREFIX.length).toUpperCase() === PROVISION_PREFIX) {
    const b64 = t.slice(PROVISION_PREFIX.length).trim();
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(b64)) return { ok: false, reason: `what follows ${PROVISION_PREFIX} is not base64url (a character was mistyped or the scan was cut short)` };
    try {
      json = fromBase64Url(b64);
    } catch {
      return { ok: false, reason: `what follows ${PROVISION_PREFIX} is not base64url of a provisioning payload` };
    }
  } else if (t.startsWith('{')) json = t;
  else return { ok: false, reason: `it is neither a provisioning.json nor a code starting with ${PROVISION_PREFIX}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'it is not JSON (the file is damaged, or the code was mistyped)' };
  }
  const r = ProvisioningFileSchema.safeParse(parsed);
  return r.success ? { ok: true, payload: r.data } : { ok: false, reason: firstIssue(r.error) };
}

/** The typed/scanned form of a payload (what HQ prints and puts in the QR code). */
export function provisioningCode(p: ProvisioningFile): string {
  return PROVISION_PREFIX + toBase64Url(JSON.stringify(ProvisioningFileSchema.parse(p)));
}

function toBase64Url(s: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): string {
  const b64 = s.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
