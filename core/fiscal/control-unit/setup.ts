/**
 * Which control unit a Swedish till uses. With KASSA_CONTROL_UNIT=simulator an SE till registers
 * every receipt with the simulator kept next to its database (`<db>-cu.sqlite`); a certified unit
 * plugs in here behind the same port. The store's registration is the store's legal particulars
 * (core/markets/store-legal.ts: provisioned into the terminal's database, the demo store's own):
 * organisation number, company name, address and kassabeteckning (default store and lane). Off by
 * default (KASSA_CONTROL_UNIT=none) until the lead turns it on for SE: docs/design.md "Sweden:
 * control unit and receipts".
 */
import type { Clock } from '../../clock';
import type { TerminalIdentity } from '../../lane/context';
import { ControlUnitSimulator } from './simulator';
import { validOrgNumber } from './port';
import type { SeRegister } from './till';

/** The store's registration with Skatteverket from its legal particulars; an error names what is missing or wrong. */
export function seRegisterOf(identity: TerminalIdentity): SeRegister {
  const legal = identity.legal;
  if (!legal) throw new Error("the store's particulars are not provisioned (npm run provision -- --legal store.json): a Swedish till needs its organisation number, company name and address");
  if (!validOrgNumber(legal.orgNumber)) throw new Error(`the store's orgNumber must be its organisation number NNNNNN-NNNN with a valid check digit, got "${legal.orgNumber}"`);
  if (!legal.companyName || !legal.address) throw new Error("the store's particulars must name the company (companyName) and the address of the sale (address)");
  const tillId = (legal.tillId ?? `${identity.storeId}-${identity.laneId}`).replace(/[^A-Za-z0-9-]/g, '-').slice(0, 16);
  return { orgNumber: legal.orgNumber, companyName: legal.companyName, address: legal.address, tillId };
}

export function controlUnitFor(country: string, dbPath: string, identity: TerminalIdentity, now: Clock, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): { unit: ControlUnitSimulator; register: SeRegister } | null {
  const choice = env.KASSA_CONTROL_UNIT ?? 'none';
  if (choice === 'none' || country !== 'SE') return null;
  if (choice !== 'simulator') throw new Error(`KASSA_CONTROL_UNIT must be simulator or none, got "${choice}"`);
  const register = seRegisterOf(identity);
  const unit = new ControlUnitSimulator(dbPath === ':memory:' ? ':memory:' : `${dbPath}-cu.sqlite`, now);
  log(`control unit: simulator ${unit.manufacturingNumber()} registers receipts of till ${register.tillId} (not a certified control unit)`);
  return { unit, register };
}
