/**
 * Which TSE a till uses: as store IT provisioned it (./choice.ts; a German till without a choice
 * uses the simulator, other countries none) — never chosen by the environment at run time.
 * - `simulator`: Kassa's own, kept next to the database (`<db>-tse.sqlite`), on a thread of its own
 *   as a real TSE is a device of its own (./thread.ts; a database in memory keeps it on the lane's);
 * - `fiskaly`: a fiskaly SIGN DE v2 cloud TSE, its client on a thread of its own behind the same
 *   synchronous port, its open transactions kept next to the database (`<db>-fiskaly.sqlite`);
 * - `none`: no TSE (sales are not signed).
 */
import type { Clock } from '../../clock';
import type { Db } from '../../db';
import type { TerminalIdentity } from '../../lane/context';
import { describeTseChoice, tseChoiceOf } from './choice';
import { TseSimulator } from './simulator';
import { TseThread } from './thread';
import { tseClientId } from './till';

export function tseFor(country: string, db: Db, dbPath: string, identity: TerminalIdentity, now: Clock, log: (line: string) => void): TseSimulator | TseThread | null {
  const choice = tseChoiceOf(db, country);
  if (choice.kind === 'none') return null;
  const clientId = tseClientId(identity.storeId, identity.laneId);
  if (choice.kind === 'fiskaly') {
    if (dbPath === ':memory:') throw new Error('a till with a fiskaly TSE keeps its open transactions next to its database: it needs a database file');
    const fiskaly = { baseUrl: choice.baseUrl, apiKey: choice.apiKey, apiSecret: choice.apiSecret, tssId: choice.tssId, clients: { [clientId]: choice.clientId } };
    const tse = new TseThread({ kind: 'fiskaly', stateFile: `${dbPath}-fiskaly.sqlite`, fiskaly }, { now });
    log(`TSE: ${describeTseChoice(choice)} signs for client ${clientId}`);
    return tse;
  }
  const tse = dbPath === ':memory:' ? new TseSimulator(':memory:', { now }) : new TseThread({ kind: 'simulator', file: `${dbPath}-tse.sqlite` }, { now });
  tse.registerClient(clientId);
  log(`TSE: simulator ${tse.info().serialNumber.slice(0, 16)}… signs for client ${clientId} (not a certified TSE)`);
  return tse;
}
