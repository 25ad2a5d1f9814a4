/**
 * Which control unit a Swedish till uses. With KASSA_CONTROL_UNIT=simulator an SE till registers
 * every receipt with the simulator kept next to its database (`<db>-cu.sqlite`); a certified unit
 * plugs in here behind the same port. The store's registration comes from the environment:
 * KASSA_SE_ORGNR (NNNNNN-NNNN), KASSA_SE_COMPANY, KASSA_SE_ADDRESS and KASSA_SE_TILL_ID (the
 * kassabeteckning; default store and lane). Off by default (KASSA_CONTROL_UNIT=none) until the lead
 * turns it on for SE: docs/design.md "Sweden: control unit and receipts".
 */
import type { Clock } from '../../clock';
import type { TerminalIdentity } from '../../lane/context';
import { ControlUnitSimulator } from './simulator';
import { validOrgNumber } from './port';
import type { SeRegister } from './till';

export function controlUnitFor(country: string, dbPath: string, identity: TerminalIdentity, now: Clock, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): { unit: ControlUnitSimulator; register: SeRegister } | null {
  const choice = env.KASSA_CONTROL_UNIT ?? 'none';
  if (choice === 'none' || country !== 'SE') return null;
  if (choice !== 'simulator') throw new Error(`KASSA_CONTROL_UNIT must be simulator or none, got "${choice}"`);
  const orgNumber = env.KASSA_SE_ORGNR ?? '';
  if (!validOrgNumber(orgNumber)) throw new Error(`KASSA_SE_ORGNR must be the store's organisation number NNNNNN-NNNN with a valid check digit, got "${orgNumber}"`);
  const companyName = env.KASSA_SE_COMPANY ?? '';
  const address = env.KASSA_SE_ADDRESS ?? '';
  if (!companyName || !address) throw new Error('KASSA_SE_COMPANY and KASSA_SE_ADDRESS must name the company and the address of the sale');
  const tillId = (env.KASSA_SE_TILL_ID ?? `${identity.storeId}-${identity.laneId}`).replace(/[^A-Za-z0-9-]/g, '-').slice(0, 16);
  const unit = new ControlUnitSimulator(dbPath === ':memory:' ? ':memory:' : `${dbPath}-cu.sqlite`, now);
  log(`control unit: simulator ${unit.manufacturingNumber()} registers receipts of till ${tillId} (not a certified control unit)`);
  return { unit, register: { orgNumber, companyName, address, tillId } };
}
