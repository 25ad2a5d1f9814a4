/**
 * Which control unit a Swedish till uses is store IT's choice at provisioning (`npm run provision
 * -- --control-unit none|simulator|<vendor>@<device>`), kept in the terminal's database and read at
 * every start — never the environment's. The demo store provisions the simulator when it seeds.
 */
import { ControlUnitConfigSchema, type ControlUnitConfig } from '../../../protocol/terminal';
import type { Db } from '../../db';
import { metaDocument } from '../../db/meta-doc';

const doc = metaDocument<ControlUnitConfig>('se.control_unit', ControlUnitConfigSchema, 'control unit');

/** The control unit provisioned on this terminal (null: none was). A stored value that no longer fits is refused. */
export const loadControlUnitConfig = (db: Db): ControlUnitConfig | null => doc.load(db);

export const saveControlUnitConfig = (db: Db, config: ControlUnitConfig): void => void doc.save(db, config);

export { parseControlUnitArg } from '../../../protocol/terminal';

/** How the service screen and the log name the configured unit. */
export function describeControlUnit(c: ControlUnitConfig | null): string {
  if (!c || c.kind === 'none') return 'none';
  return c.kind === 'simulator' ? 'simulator' : `${c.vendor} @ ${c.device}`;
}

export const HOW_TO_PROVISION = 'store IT provisions one: npm run provision -- --control-unit simulator|<vendor>@<device>, or on a kiosk terminal the provisioning.json HQ writes with --control-unit';

/** Why a till without a usable unit makes no receipt (CONTROL_UNIT_NOT_CONFIGURED). */
export function notConfiguredMessage(device: string): string {
  return device === 'none' ? `No control unit is provisioned on this till: it may not make receipts; ${HOW_TO_PROVISION}.` : `The control unit ${device} has no driver in this build: the till may not make receipts; ${HOW_TO_PROVISION}.`;
}
