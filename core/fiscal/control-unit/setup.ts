/**
 * Which control unit a Swedish till uses: the one store IT provisioned (core/fiscal/control-unit/
 * config.ts; never the environment). The simulator keeps its own file next to the database
 * (`<db>-cu.sqlite`); a certified unit plugs in here behind the same port. A Swedish till with none
 * provisioned — or a vendor's unit this build has no driver for — makes no receipt: every sale,
 * return and copy is refused with CONTROL_UNIT_NOT_CONFIGURED, in words store IT can act on. The
 * store's registration is the store's legal particulars (core/markets/store-legal.ts: HQ's signed
 * record, else provisioned, the demo store's own): organisation number, company name, address and
 * kassabeteckning (default store and lane), read again for every receipt: a change reaches the next one.
 */
import type { ControlUnitConfig } from '../../../protocol/terminal';
import type { Clock } from '../../clock';
import type { TerminalIdentity } from '../../lane/context';
import { describeControlUnit, HOW_TO_PROVISION as HOW } from './config';
import { ControlUnitSimulator } from './simulator';
import { validOrgNumber, type ControlUnitPort } from './port';
import type { SeRegister, TillControlUnit } from './till';

/** The store's registration with Skatteverket from its legal particulars; an error names what is missing or wrong. */
export function seRegisterOf(identity: TerminalIdentity): SeRegister {
  const legal = identity.legal;
  if (!legal) throw new Error("the store's particulars are not provisioned (HQ's store record, or npm run provision -- --legal store.json): a Swedish till needs its organisation number, company name and address");
  if (!validOrgNumber(legal.orgNumber)) throw new Error(`the store's orgNumber must be its organisation number NNNNNN-NNNN with a valid check digit, got "${legal.orgNumber}"`);
  if (!legal.companyName || !legal.address) throw new Error("the store's particulars must name the company (companyName) and the address of the sale (address)");
  const tillId = (legal.tillId ?? `${identity.storeId}-${identity.laneId}`).replace(/[^A-Za-z0-9-]/g, '-').slice(0, 16);
  return { orgNumber: legal.orgNumber, companyName: legal.companyName, address: legal.address, tillId };
}

/** A Swedish till's control unit as the lane takes it (core/fiscal/control-unit/till.ts). */
export interface SeControlUnit {
  /** null: no unit this till can use (none provisioned, or no driver): it makes no receipts. */
  port: (ControlUnitPort & { close(): void }) | null;
  /** The registration, read from the store's particulars as they are now. */
  register: () => SeRegister;
  /** What store IT provisioned, as the service screen shows it. */
  device: string;
}

export function controlUnitFor(country: string, dbPath: string, identity: TerminalIdentity, now: Clock, log: (line: string) => void, config: ControlUnitConfig | null): SeControlUnit | null {
  if (country !== 'SE') {
    if (config && config.kind !== 'none') log(`control unit: ${describeControlUnit(config)} is provisioned, but a ${country} till has none: ignored`);
    return null;
  }
  const device = describeControlUnit(config);
  const register = () => seRegisterOf(identity);
  if (!config || config.kind === 'none') {
    log(`control unit: none is provisioned on this Swedish till: it makes no receipts until ${HOW}`);
    return { port: null, register, device };
  }
  if (config.kind === 'vendor') {
    log(`control unit: ${device}: this build has no driver for ${config.vendor}: the till makes no receipts until ${HOW}`);
    return { port: null, register, device };
  }
  // The particulars are checked now and said at start; without them the till refuses every sale
  // (TillControlUnit.check) until HQ's store record brings them — never a core that cannot start.
  let tillId: string;
  try {
    tillId = register().tillId;
  } catch (err) {
    tillId = `${identity.storeId}-${identity.laneId}`;
    log(`control unit: ${err instanceof Error ? err.message : String(err)}: the till makes no receipts until they are provisioned`);
  }
  const unit = new ControlUnitSimulator(dbPath === ':memory:' ? ':memory:' : `${dbPath}-cu.sqlite`, now);
  log(`control unit: simulator ${unit.manufacturingNumber()} registers receipts of till ${tillId} (not a certified control unit)`);
  return { port: unit, register, device: `simulator ${unit.manufacturingNumber()}` };
}

/**
 * The lane's hand for a unit provisioned while it runs (first-boot provisioning's payload): the
 * unit is made as at a start and the lane's TillControlUnit uses it from its next check. A unit
 * that cannot be made (its file cannot be opened) is logged; the till stays with the one it had.
 */
export function controlUnitSwapper(lane: { readonly controlUnit: TillControlUnit | null }, country: string, dbPath: string, identity: TerminalIdentity, now: Clock, log: (line: string) => void): (config: ControlUnitConfig) => void {
  return (config) => {
    if (!lane.controlUnit) return;
    try {
      const next = controlUnitFor(country, dbPath, identity, now, log, config);
      if (next) lane.controlUnit.use(next);
    } catch (err) {
      log(`control unit: ${describeControlUnit(config)} cannot be used: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
