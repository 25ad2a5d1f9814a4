/**
 * Catalog distribution from HQ to terminals, and the terminal's check-in.
 *
 * HQ publishes numbered catalog versions. Each has a full snapshot and (from version 2) a delta
 * from the version before. A payload is gzip-compressed NDJSON, one record per line; it is
 * described by a manifest (version, base, hash, size, expiry) and the manifest text is signed
 * with HQ's catalog key (Ed25519). A terminal trusts only keys pinned in its own configuration,
 * checks the signature, then the payload's hash, and only then touches its database.
 */
import { z } from 'zod';
import { PeerAddressSchema } from './hq';
import { OsCheckinSchema } from './os-update';

export const CATALOG_FORMAT = 'kassa-catalog/1';

const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'an id of letters, digits and _ . : -');
/** A barcode as the terminal stores it: 14-digit GTIN (EAN-13 / UPC / EAN-8 left-padded with zeros). */
export const LookupCode = z.string().regex(/^\d{14}$/, 'a 14-digit GTIN');

export const VatRecordSchema = z.object({ t: z.literal('vat'), id: Id, name: z.string().min(1).max(60), rateBp: z.number().int().min(0).max(10_000) }).strict();
export const DeptRecordSchema = z.object({ t: z.literal('dept'), id: Id, name: z.string().min(1).max(60) }).strict();
export const ItemRecordSchema = z
  .object({
    t: z.literal('item'),
    id: Id,
    name: z.string().min(1).max(120),
    dept: Id,
    vat: Id,
    unit: z.enum(['piece', 'weight']),
    /** VAT-inclusive minor units, per piece or per kilogram. */
    price: z.number().int().min(0).max(100_000_000),
    ageLimit: z.number().int().min(1).max(99).nullable().optional(),
    deposit: Id.nullable().optional(),
    isDeposit: z.boolean().optional(),
    plu: z.string().regex(/^\d{1,6}$/).nullable().optional(),
    blocked: z.boolean().optional(),
    codes: z.array(LookupCode).max(50),
  })
  .strict();
export const PromoRecordSchema = z.object({ t: z.literal('promo'), id: Id, spec: z.record(z.string(), z.unknown()) }).strict();
/** Delta only: an item or a promotion that no longer exists. */
export const DelRecordSchema = z.object({ t: z.literal('del'), id: Id }).strict();
export const DelPromoRecordSchema = z.object({ t: z.literal('delPromo'), id: Id }).strict();

/**
 * A gift card number range: codes with this prefix and length are gift cards (the till shows their
 * balance instead of selling a line), with the check digit named. Every full snapshot and every
 * delta carries all of them; the terminal replaces its ranges with the payload's.
 */
export const GiftRangeRecordSchema = z
  .object({
    t: z.literal('giftRange'),
    prefix: z.string().regex(/^\d{1,12}$/),
    length: z.number().int().min(8).max(20),
    check: z.enum(['none', 'luhn', 'gtin']),
    /** The till issues new gift cards (a refund onto a new card) from this range. */
    issue: z.boolean().optional(),
  })
  .strict()
  .refine((r) => r.length > r.prefix.length + 1, { message: 'the length must leave room after the prefix', path: ['length'] });

export const CatalogRecordSchema = z.discriminatedUnion('t', [VatRecordSchema, DeptRecordSchema, ItemRecordSchema, PromoRecordSchema, DelRecordSchema, DelPromoRecordSchema, GiftRangeRecordSchema]);
export type CatalogRecord = z.infer<typeof CatalogRecordSchema>;
export type ItemRecord = z.infer<typeof ItemRecordSchema>;
export type VatRecord = z.infer<typeof VatRecordSchema>;
export type DeptRecord = z.infer<typeof DeptRecordSchema>;
export type PromoRecord = z.infer<typeof PromoRecordSchema>;
export type GiftRangeRecord = z.infer<typeof GiftRangeRecordSchema>;

export const CatalogManifestSchema = z
  .object({
    format: z.literal(CATALOG_FORMAT),
    kind: z.enum(['full', 'delta']),
    version: z.number().int().positive(),
    /** Delta only: the version it applies on top of. */
    baseVersion: z.number().int().positive().nullable(),
    publishedAt: z.string().min(10).max(40),
    /** After this the terminal keeps selling but warns that prices may be stale. */
    expiresAt: z.string().min(10).max(40),
    /** SHA-256 (hex) and size of the gzip-compressed payload. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().positive(),
    records: z.number().int().min(0),
    items: z.number().int().min(0),
  })
  .strict();
export type CatalogManifest = z.infer<typeof CatalogManifestSchema>;

/** A manifest as signed: the exact manifest text, the signing key's id and the signature. */
export const SignedManifestSchema = z
  .object({
    manifest: z.string().min(2).max(4_000),
    /** First 16 hex digits of SHA-256 over the raw 32-byte public key. */
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'an Ed25519 signature, base64url'),
  })
  .strict();
export type SignedManifest = z.infer<typeof SignedManifestSchema>;

/** What HQ offers a terminal that told it which version it has. */
export const CatalogOfferSchema = z
  .object({
    full: SignedManifestSchema.nullable(),
    /** A delta to the newest version from the terminal's version, when HQ has one. */
    delta: SignedManifestSchema.nullable(),
  })
  .strict();
export type CatalogOffer = z.infer<typeof CatalogOfferSchema>;

export const DeviceHealthSchema = z.object({ id: z.string().max(64), kind: z.string().max(32), state: z.string().max(32), detail: z.string().max(200) }).strict();
export const AlertSchema = z.object({ code: z.string().max(40), message: z.string().max(300), since: z.string().max(40).nullable() }).strict();
export type TerminalAlert = z.infer<typeof AlertSchema>;

/** The terminal's periodic check-in: its state for HQ's fleet view; the answer is a catalog offer and the store roster. */
export const CheckinSchema = z
  .object({
    clock: z.string().min(10).max(40),
    softwareVersion: z.string().min(1).max(40),
    catalog: z.object({ version: z.number().int().min(0), expiresAt: z.string().max(40).nullable() }).strict(),
    // ackedThrough: the acknowledgement the count was made against (HQ recounts from its own, newer one).
    backlog: z.object({ count: z.number().int().min(0), oldestAt: z.string().max(40).nullable(), ackedThrough: z.number().int().min(0).optional() }).strict(),
    devices: z.array(DeviceHealthSchema).max(64),
    alerts: z.array(AlertSchema).max(64),
    /** Where this terminal's peer listener is (host:port), for the store roster; null: none. Left out: HQ keeps what it had. */
    peerAddress: PeerAddressSchema.nullable().optional(),
    /** The OS it runs, from a terminal that takes OS updates (the kiosk image); HQ then answers with `os` (protocol/os-update.ts). */
    os: OsCheckinSchema.optional(),
    /** The version of the staff list it holds, 0: none (protocol/staff.ts); HQ then answers with `staff` when its own is newer. Left out (an older terminal): no staff list. */
    staff: z.object({ version: z.number().int().min(0) }).strict().optional(),
    /** The revision of the store's record it holds, 0: none (protocol/store-record.ts); HQ then answers with `legal` when its own is newer. */
    legal: z.object({ version: z.number().int().min(0) }).strict().optional(),
  })
  .strict();
export type Checkin = z.infer<typeof CheckinSchema>;
