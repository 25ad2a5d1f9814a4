/**
 * OS updates from HQ (docs/design.md "OS updates"): store IT publishes a RAUC bundle at HQ
 * (`npm run hq:publish-os`); HQ describes it in a manifest signed with its catalog key (the key
 * every terminal pins at provisioning) and offers the newest one at check-in to a terminal that
 * said which OS it runs. The terminal checks the signature, that the version is newer than its own,
 * then the downloaded bundle's size and SHA-256, before it hands the bundle to the root side, where
 * RAUC checks the bundle's own signature against the release keyring baked into the OS.
 */
import { z } from 'zod';

export const OS_FORMAT = 'kassa-os/1';

/** A release version: 1 to 6 dotted whole numbers of up to 9 digits (image/rauc.ts makes them: 0.1.0.412). */
export const OsVersionSchema = z.string().regex(/^\d{1,9}(\.\d{1,9}){0,5}$/, 'a dotted version like 0.1.0.412');

/** Compares two release versions part by part (missing parts are 0): -1, 0, 1. */
export function compareOsVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export const OsCompatibleSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);

/** What HQ signs about one published bundle. */
export const OsManifestSchema = z
  .object({
    format: z.literal(OS_FORMAT),
    version: OsVersionSchema,
    /** RAUC's compatible string (the terminal's /etc/rauc/system.conf must say the same). */
    compatible: OsCompatibleSchema,
    /** SHA-256 (hex) and size of the .raucb file, served at /v1/os/bundle/<sha256>. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().positive(),
    publishedAt: z.string().min(10).max(40),
  })
  .strict();
export type OsManifest = z.infer<typeof OsManifestSchema>;

/** What a terminal that can take OS updates adds to its check-in. */
export const OsCheckinSchema = z.object({ version: OsVersionSchema, compatible: OsCompatibleSchema }).strict();
export type OsCheckin = z.infer<typeof OsCheckinSchema>;

export const osBundlePath = (sha256: string) => `/v1/os/bundle/${sha256}`;
