/**
 * A document HQ signs for its store's terminals (the store roster, the staff list) as a terminal
 * takes one: HQ's key must be pinned, the signature must verify with it (protocol/signed-document.ts),
 * the terminal must be enrolled and the document be for its store. Each caller then checks its own
 * order (no going back) and keeps the document. A refusal says why, as CODE: words.
 */
import { SignedDocumentError } from '../../protocol/signed-document';
import type { StoredHqLink } from './repo';

export interface StoreDocumentWords {
  /** The pinned key, as the NO_KEY refusal names it ("roster key", "HQ key"). */
  key: string;
  /** The document ("the roster", "the staff list"). */
  doc: string;
  /** What an unenrolled terminal has no store for ("a roster", "staff"). */
  takes: string;
}

export type StoreDocumentResult<T> = { ok: true; doc: T } | { ok: false; reason: string };

export function takeStoreDocument<T extends { storeId: string }>(signed: unknown, key: string | null, verify: (signed: unknown, key: string) => T, link: Pick<StoredHqLink, 'storeId'> | null, words: StoreDocumentWords): StoreDocumentResult<T> {
  if (!key) return { ok: false, reason: `NO_KEY: no ${words.key} is pinned on this terminal (it enrolled before HQ had one): provision it again` };
  let doc: T;
  try {
    doc = verify(signed, key);
  } catch (err) {
    if (err instanceof SignedDocumentError) return { ok: false, reason: `${err.code}: ${err.message}` };
    throw err;
  }
  if (!link) return { ok: false, reason: `NOT_ENROLLED: this terminal is not enrolled: it has no store to take ${words.takes} for` };
  if (doc.storeId !== link.storeId) return { ok: false, reason: `OTHER_STORE: ${words.doc} is for store ${doc.storeId}, this terminal belongs to store ${link.storeId}` };
  return { ok: true, doc };
}
