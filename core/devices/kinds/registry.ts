/**
 * Every device kind devices.json may name, and the module that starts it. Adding a kind: its entry
 * in the schema (../config.ts), one module in this folder, one line here. Simulators are reached
 * only through these modules (a dependency-cruiser rule keeps them out of the rest of the core).
 */
import type { DeviceConfig } from '../config';
import type { DeviceKind } from './kind';
import { escposPrinter } from './printer';
import { dialog06Scale, toledoScale } from './scale';
import { poleDisplay } from './display';
import { hidScanner, keyboardWedge, serialScanner } from './scanner';
import { cashDevice } from './cash';
import { serialDrawer } from './drawer';
import { zvtTerminal } from './payment';

type Registry = { [K in DeviceConfig['kind']]: DeviceKind<Extract<DeviceConfig, { kind: K }>> };

export const DEVICE_KINDS: Registry = {
  escposPrinter,
  toledoScale,
  dialog06Scale,
  poleDisplay,
  serialScanner,
  hidScanner,
  keyboardWedge,
  cashDevice,
  serialDrawer,
  zvtTerminal,
};

/** The module for one configured device. */
export function kindOf<C extends DeviceConfig>(config: C): DeviceKind<C> {
  return DEVICE_KINDS[config.kind] as unknown as DeviceKind<C>;
}
