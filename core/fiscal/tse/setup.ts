/**
 * Which TSE a till uses. A German store's till (profile DE) signs with the TSE simulator kept next
 * to its database (`<db>-tse.sqlite`) unless KASSA_TSE=none; a certified TSE plugs in here behind
 * the same port. Other countries have no TSE.
 */
import type { Clock } from '../../clock';
import type { TerminalIdentity } from '../../lane/context';
import { TseSimulator } from './simulator';
import { tseClientId } from './till';

export function tseFor(country: string, dbPath: string, identity: TerminalIdentity, now: Clock, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): TseSimulator | null {
  const choice = env.KASSA_TSE ?? (country === 'DE' ? 'simulator' : 'none');
  if (choice === 'none') return null;
  if (choice !== 'simulator') throw new Error(`KASSA_TSE must be simulator or none, got "${choice}"`);
  const tse = new TseSimulator(dbPath === ':memory:' ? ':memory:' : `${dbPath}-tse.sqlite`, { now });
  const clientId = tseClientId(identity.storeId, identity.laneId);
  tse.registerClient(clientId);
  log(`TSE: simulator ${tse.info().serialNumber.slice(0, 16)}… signs for client ${clientId} (not a certified TSE)`);
  return tse;
}
