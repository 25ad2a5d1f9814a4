/**
 * The check-in report's device alerts wait for a device's start-up grace: a printer that has not
 * answered yet when the lane starts (and checks in at once) is "starting", not an "offline" alert at
 * HQ for the next five minutes. A device that worked and then stops is reported at once; one still
 * not working after the grace is reported then. Time is the core's clock, set by the test.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock';
import { checkinReport, DeviceStartGrace, openAlerts } from '../../../core/sync/report';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { MONDAY } from '../../helpers/clock';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-report-');
afterAll(() => tmp.cleanup());

function lane(file: string) {
  const clock = new ManualClock(MONDAY);
  const startedAt = clock.now();
  const s = openDemoLane(demoDb(tmp.dir, file), { now: clock.now });
  const grace = new DeviceStartGrace(clock.now, startedAt, 60_000);
  const printer = (state: 'online' | 'offline', detail: string) => s.setDeviceStatus({ id: 'printer', kind: 'printer', connection: 'TCP 10.0.0.5:9100', state, detail });
  const codes = () => openAlerts(s.snapshot(), grace).map((a) => a.code);
  return { clock, s, grace, printer, codes };
}

describe('device alerts after the start-up grace', () => {
  it('a printer still starting when the lane checks in raises no offline alert until 60 s after the lane started', () => {
    const { clock, s, grace, printer, codes } = lane('start.db');
    printer('offline', 'starting');
    const first = checkinReport(s.snapshot(), '0.1.0', grace);
    expect(first.alerts).toEqual([]);
    expect(first.devices).toEqual([{ id: 'printer', kind: 'printer', state: 'starting', detail: 'starting (not answering yet: starting)' }]);
    expect(grace.heldUntil(s.snapshot().devices.list)?.toISOString()).toBe(new Date(Date.parse(MONDAY) + 60_000).toISOString());
    clock.advance(59_000);
    expect(codes()).toEqual([]);
    clock.advance(1_000);
    expect(codes()).toEqual(['DEVICE_OFFLINE']);
    expect(checkinReport(s.snapshot(), '0.1.0', grace).devices[0]).toMatchObject({ state: 'offline', detail: 'starting' });
    expect(grace.heldUntil(s.snapshot().devices.list)).toBeNull();
  });

  it('a printer that answered and then stops is reported at once, grace or not', () => {
    const { clock, s, grace, printer, codes } = lane('worked.db');
    printer('offline', 'starting');
    grace.observe(s.snapshot().devices.list);
    clock.advance(2_000);
    printer('online', 'ready');
    grace.observe(s.snapshot().devices.list);
    clock.advance(3_000);
    printer('offline', 'not answering');
    expect(codes()).toEqual(['DEVICE_OFFLINE']);
  });

  it('a device configured later gets its own grace from when it appears', () => {
    const { clock, s, grace, printer, codes } = lane('later.db');
    grace.observe(s.snapshot().devices.list);
    clock.advance(10 * 60_000);
    printer('offline', 'starting');
    expect(codes()).toEqual([]);
    clock.advance(60_000);
    expect(codes()).toEqual(['DEVICE_OFFLINE']);
  });

  it('without a grace (no lane start known) every device that is not online is an alert, as before', () => {
    const { s, printer } = lane('none.db');
    printer('offline', 'starting');
    expect(openAlerts(s.snapshot()).map((a) => a.code)).toEqual(['DEVICE_OFFLINE']);
  });
});
