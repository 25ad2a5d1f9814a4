/**
 * The HQ API between terminals and HQ: enrollment, sales replication, and the signed-request
 * headers. Validated on both ends with these schemas.
 */
import { z } from 'zod';

/** Ed25519 public key, raw 32 bytes, base64url. */
export const PublicKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a raw Ed25519 public key, base64url');

/** Where a till's store-peer listener is: host:port (a name, an IPv4 address, or an IPv6 address in brackets). */
export const PeerAddressSchema = z
  .string()
  .max(300)
  .regex(/^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]):\d{1,5}$/, 'host:port')
  .refine((a) => {
    const port = Number(a.slice(a.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65_535;
  }, 'a port from 1 to 65535');

/** A store roster as HQ signs it (protocol/roster.ts says what is in it and how it is checked). */
export const SignedRosterSchema = z
  .object({
    /** The roster as canonical JSON text (protocol/journal-chain.ts canonicalJson). */
    body: z.string().min(2).max(1_000_000),
    /** Ed25519 over the body's UTF-8 bytes, base64url. */
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'an Ed25519 signature, base64url'),
  })
  .strict();
export type SignedRoster = z.infer<typeof SignedRosterSchema>;

export const EnrollRequestSchema = z
  .object({
    token: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'an enrollment token'),
    publicKey: PublicKeySchema,
    /** The terminal's journal (fiscal) signing key: HQ checks every sale's journal entry against it. */
    journalKey: PublicKeySchema,
    softwareVersion: z.string().min(1).max(40),
    /**
     * The store and lane the provisioning file says the token is for (protocol/provisioning.ts):
     * HQ refuses a token for another one (WRONG_STORE, WRONG_LANE) before it uses the token up.
     */
    expect: z.object({ storeId: z.string().min(1).max(64).optional(), laneId: z.string().min(1).max(64).optional() }).strict().optional(),
  })
  .strict();
export type EnrollRequest = z.infer<typeof EnrollRequestSchema>;

export const EnrollResponseSchema = z
  .object({
    terminalId: z.string(),
    storeId: z.string(),
    laneId: z.string(),
    /** HQ's roster key (raw Ed25519, base64url): the terminal pins it and trusts a store roster only signed with it (protocol/roster.ts). */
    rosterKey: PublicKeySchema,
    /**
     * Given when the token re-enrolled an existing terminal (a reflashed till, `--issue-token
     * STORE:LANE --reflash`): the terminal id is the old lane's, and its chain must be recovered
     * (core/peers/recover.ts) and continued, never started again.
     */
    reflash: z
      .object({
        /** The journal keys it signed with before, oldest first. */
        previousJournalKeys: z.array(PublicKeySchema).min(1).max(16),
        /** Every sale up to this sequence is at HQ. */
        hqAckedThrough: z.number().int().min(0),
        /** The highest journal entry of it HQ has checked (0, null: none): the recovered chain must reach it. */
        chainSeq: z.number().int().min(0),
        chainHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
        /** The store roster signed now, so the till finds its peers before its first check-in. */
        roster: SignedRosterSchema,
      })
      .strict()
      .optional(),
  })
  .strict();
export type EnrollResponse = z.infer<typeof EnrollResponseSchema>;

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash, hex');

/**
 * A journal entry's chain fields as the terminal wrote them (core/journal): HQ recomputes the hash
 * from these and the body, links it to the entry before, and checks the signature.
 */
export const EntryChainSchema = z
  .object({
    seq: z.number().int().positive(),
    at: z.string().min(10).max(40),
    kind: z.string().min(1).max(64),
    ref: z.string().max(200).nullable(),
    prevHash: HashSchema,
    hash: HashSchema,
    /** Base64 Ed25519 signature over the hash's 32 bytes; null inside a journalled signer outage. */
    signature: z.string().max(100).nullable(),
    keyId: z.string().max(40).nullable(),
  })
  .strict();
export type EntryChain = z.infer<typeof EntryChainSchema>;

/** A journal entry between two uploaded sales (sign-in, drawer, help call …): sent so HQ can follow the chain. */
export const ChainLinkSchema = EntryChainSchema.extend({ body: z.string().min(2).max(200_000) }).strict();
export type ChainLink = z.infer<typeof ChainLinkSchema>;

export const SaleUploadSchema = z
  .object({
    /** The terminal's outbox sequence: 1, 2, 3 … without gaps on the terminal. */
    sequence: z.number().int().positive(),
    saleId: z.string().min(1).max(64),
    kind: z.enum(['sale', 'return']),
    businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    total: z.number().int(),
    createdAt: z.string().min(10).max(40),
    /** The sale document as the terminal journaled it (JSON text). */
    body: z.string().min(2).max(200_000),
    /** The sale's journal entry (its body is `body`); missing only where the terminal no longer has it — HQ then quarantines the sale. */
    entry: EntryChainSchema.optional(),
  })
  .strict();
export type SaleUpload = z.infer<typeof SaleUploadSchema>;

export const SalesBatchSchema = z
  .object({
    /** The terminal's clock when it sent the batch (HQ flags skew). */
    clock: z.string().min(10).max(40),
    softwareVersion: z.string().max(40).optional(),
    /** What is still waiting on the terminal, including this batch. */
    backlog: z.object({ count: z.number().int().min(0), oldestAt: z.string().max(40).nullable() }).strict(),
    sales: z.array(SaleUploadSchema).max(5_000),
    /**
     * The journal entries that are not sales from the one after the previous sale's entry (sequence
     * of the first sale − 1) through the last sale's: with the sales' entries, one unbroken piece
     * of the terminal's chain (hq/chain.ts checks it).
     */
    links: z.array(ChainLinkSchema).max(50_000).optional(),
  })
  .strict();
export type SalesBatch = z.infer<typeof SalesBatchSchema>;

export const SalesAckSchema = z
  .object({
    /** Every sequence up to this one is stored (or rejected for good) at HQ. */
    ackedThrough: z.number().int().min(0),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    /** Rows HQ will never accept, with the reason: the terminal quarantines them. */
    rejected: z.array(z.object({ sequence: z.number().int(), reason: z.string() }).strict()),
    /** Sequences missing at HQ after ackedThrough. */
    gaps: z.array(z.object({ from: z.number().int(), to: z.number().int() }).strict()),
  })
  .strict();
export type SalesAck = z.infer<typeof SalesAckSchema>;

/** HQ's answer to GET /v1/health: it is up and answering. */
export const HealthSchema = z.object({ ok: z.literal(true) });

export const HqErrorSchema = z.object({ error: z.string(), message: z.string() });

/** Signed-request headers: the terminal signs method, path, time, nonce and the body's hash with its key. */
export const SIGNATURE_HEADERS = { terminal: 'x-kassa-terminal', time: 'x-kassa-time', nonce: 'x-kassa-nonce', signature: 'x-kassa-signature' } as const;

export function signingString(method: string, path: string, time: string, nonce: string, bodySha256Hex: string): string {
  return `KASSA-HQ-1\n${method.toUpperCase()}\n${path}\n${time}\n${nonce}\n${bodySha256Hex}`;
}
