/**
 * Reflashed tills (issue 19.3): a till provisioned again for its store and lane — new disk, new
 * keys — gets its past back. HQ staff issue a reflash token (`--issue-token STORE:LANE --reflash`),
 * bound to the terminal enrolled for that lane; enrolling with it keeps that terminal's id, store
 * and lane, takes the new request and journal keys, and keeps the old journal key as retired
 * (`journal_key_history`, oldest first). The answer tells the till what it must recover from its
 * peers and continue (protocol/hq.ts EnrollResponse `reflash`): its old keys, HQ's acknowledgement
 * and chain head, and the store roster. How its chain moves on to the new key is hq/keys.ts.
 */
import type { EnrollRequest, EnrollResponse } from '../protocol/hq';
import { HqError } from './errors';
import { retiredKeys } from './keys';
import { storeRoster, type RosterSigner } from './roster';
import type { Sql } from './sql';

/** As many journal keys as the enrollment answer and the roster carry (protocol/hq.ts, protocol/roster.ts). */
const MAX_JOURNAL_KEYS = 16;

/** The terminal a reflash token for the lane re-enrolls: the newest enrolled there and not revoked. */
export async function reflashTarget(q: Sql, storeId: string, laneId: string): Promise<string> {
  const [t] = await q.query<{ terminal_id: string; journal_key: string | null }>(
    'SELECT terminal_id, journal_key FROM terminal WHERE store_id = $1 AND lane_id = $2 AND revoked_at IS NULL ORDER BY enrolled_at DESC, terminal_id DESC LIMIT 1',
    [storeId, laneId],
  );
  if (!t) throw new HqError(404, 'NO_TERMINAL', `no terminal is enrolled for store ${storeId}, lane ${laneId} (a revoked one cannot be reflashed): issue a plain enrollment token`);
  if (!t.journal_key) throw new HqError(409, 'NO_JOURNAL_KEY', `terminal ${t.terminal_id} enrolled no journal key: there is no chain to continue, issue a plain enrollment token`);
  return t.terminal_id;
}

interface Replaced {
  store_id: string;
  lane_id: string;
  journal_key: string | null;
  revoked_at: string | null;
  acked_through: number;
  chain_seq: number;
  chain_hash: string | null;
}

/** Enrolls `req` as terminal `terminalId` again (inside the enrollment's transaction): what the reflashed till must recover. */
export async function reflash(q: Sql, terminalId: string, token: { store_id: string; lane_id: string }, req: EnrollRequest, signer: RosterSigner, now: Date): Promise<NonNullable<EnrollResponse['reflash']>> {
  const [t] = await q.query<Replaced>('SELECT store_id, lane_id, journal_key, revoked_at, acked_through, chain_seq, chain_hash FROM terminal WHERE terminal_id = $1', [terminalId]);
  if (!t || t.store_id !== token.store_id || t.lane_id !== token.lane_id) throw new HqError(403, 'ENROLL_REFUSED', 'the terminal this reflash token was issued for is no longer enrolled for its lane');
  if (t.revoked_at) throw new HqError(403, 'ENROLL_REFUSED', 'the terminal this reflash token was issued for has been revoked: a revoked terminal cannot be reflashed');
  if (!t.journal_key) throw new HqError(409, 'NO_JOURNAL_KEY', `terminal ${terminalId} enrolled no journal key: there is no chain to continue`);
  const previous = [...(await retiredKeys(q, terminalId)).map((r) => r.journal_key), t.journal_key];
  if (previous.includes(req.journalKey)) throw new HqError(409, 'KEY_IN_USE', 'this journal key was already enrolled for this terminal: a reflashed till signs with a new one');
  if (previous.length >= MAX_JOURNAL_KEYS) throw new HqError(409, 'ENROLL_REFUSED', `terminal ${terminalId} was reflashed ${previous.length - 1} times: enroll the till as a new terminal`);
  await q.query('INSERT INTO journal_key_history (terminal_id, position, journal_key, retired_at, reach_seq) VALUES ($1, $2, $3, $4, $5)', [terminalId, previous.length - 1, t.journal_key, now.toISOString(), Number(t.chain_seq)]);
  await q.query('UPDATE terminal SET public_key = $1, journal_key = $2, software_version = $3, reflashed_at = $4, recovered_at = NULL WHERE terminal_id = $5', [
    req.publicKey, req.journalKey, req.softwareVersion, now.toISOString(), terminalId,
  ]);
  const roster = (await storeRoster(q, terminalId, now))!;
  return { previousJournalKeys: previous, hqAckedThrough: Number(t.acked_through), chainSeq: Number(t.chain_seq), chainHash: t.chain_hash, roster: signer.sign(roster) };
}

/**
 * The store and lane the terminal's provisioning file names (EnrollRequest `expect`), against the
 * token's: a stick labelled for lane 3 never makes a terminal lane 4. Checked before the token is
 * used, for plain and reflash tokens alike.
 */
export function checkExpected(expect: EnrollRequest['expect'], token: { store_id: string; lane_id: string }): void {
  if (expect?.storeId !== undefined && expect.storeId !== token.store_id) throw new HqError(409, 'WRONG_STORE', `this token is for store ${token.store_id}, not store ${expect.storeId} as the provisioning file says`);
  if (expect?.laneId !== undefined && expect.laneId !== token.lane_id) throw new HqError(409, 'WRONG_LANE', `this token is for lane ${token.lane_id} of store ${token.store_id}, not lane ${expect.laneId} as the provisioning file says`);
}
