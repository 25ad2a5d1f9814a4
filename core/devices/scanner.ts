/** Scans from hardware scanners go into the checkout like any other scan command. */
import type { LaneService } from '../lane/host';
import { CoreError } from '../errors';
import { LIMITS } from '../../protocol/terminal';

let n = 0;

/** Any scanner driver: serial, HID POS. */
interface ScanSource {
  on(event: 'scan', fn: (scan: { code: string }) => void): unknown;
  on(event: 'warning', fn: (warning: string) => void): unknown;
}

export function feedScanner(scanner: ScanSource, service: LaneService, log: (line: string) => void): void {
  scanner.on('warning', (w) => log(`scanner: ${w}`));
  scanner.on('scan', ({ code }) => {
    if (code.length > LIMITS.barcode) {
      log('scanner: code longer than a barcode can be, ignored');
      return;
    }
    try {
      service.handle({ id: `scanner-${++n}`, cmd: 'scan', code, source: 'scanner' });
    } catch (err) {
      // A refused scan is told to the lane like any refused command (item not found, …).
      if (err instanceof CoreError) service.reportError(err.code, err.message, err.params);
      else log(`scanner: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}
