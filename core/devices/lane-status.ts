/**
 * The lane's devices as the lane shows them: the printer's state, the cash drawer (kicked after a
 * committed cash movement; left open too long is an alert), every device's live status, and the
 * keyboard wedge's timing. Status changes are shown at once; they are not commands and change no version.
 */
import type { DeviceStatus, Snapshot } from '../../protocol/terminal';
import type { Lane } from '../lane/context';
import type { CashDrawer } from './drawer';

export class LaneDevices {
  private printerState: Snapshot['devices']['printer']['state'] = 'none';
  private drawer: Snapshot['devices']['drawer'] = { state: 'none', openSince: null, leftOpen: false };
  private drawerTimer: NodeJS.Timeout | null = null;
  private readonly list = new Map<string, DeviceStatus>();
  private cashDrawer: CashDrawer | null = null;
  private wedge = { maxKeyGapMs: 30, minLength: 4 };

  constructor(private readonly lane: Lane) {}

  view(): Snapshot['devices'] {
    const q = this.lane.printQueue;
    return {
      printer: { state: q ? this.printerState : 'none', ...(q ? q.counts() : { queued: 0, uncertain: 0 }), uncertainSale: q ? q.uncertainSale() : null },
      drawer: this.drawer,
      list: [...this.list.values()],
      wedge: this.wedge,
    };
  }

  setPrinterState(state: Snapshot['devices']['printer']['state']): void {
    if (state === this.printerState) return;
    this.printerState = state;
    this.lane.broadcast();
  }

  /** A device's live status (online, warning, offline and why); shown to the lane and store IT. */
  setStatus(status: Omit<DeviceStatus, 'since'>): void {
    const old = this.list.get(status.id);
    if (old && old.state === status.state && old.detail === status.detail && old.connection === status.connection) return;
    this.list.set(status.id, { ...status, since: old && old.state === status.state ? old.since : this.lane.now().toISOString() });
    this.lane.broadcast();
  }

  /** A device left the configuration (store IT saved a new one): it leaves the list. */
  removeStatus(id: string): void {
    if (this.list.delete(id)) this.lane.broadcast();
  }

  /** Keyboard-wedge timing from the device configuration, passed on to the UI. */
  setWedge(w: { maxKeyGapMs: number; minLength: number }): void {
    this.wedge = w;
    this.lane.broadcast();
  }

  /** The lane's cash drawer (kicked through the printer, or on its own serial line). */
  setCashDrawer(drawer: CashDrawer | null): void {
    this.cashDrawer = drawer;
  }

  /** Opens the drawer after a committed cash movement; a drawer that cannot open is told to the lane. */
  openDrawer(reason: string): void {
    if (!this.cashDrawer) return;
    let ok = false;
    try {
      ok = this.cashDrawer.open();
    } catch (err) {
      this.lane.log(`drawer: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!ok) this.lane.notifyError('DRAWER_UNAVAILABLE', `The cash drawer did not open (${reason}); open it with the key.`);
  }

  /**
   * The drawer sensor (through the printer). A drawer left open longer than `leftOpenMs` is an
   * event on the lane and in the journal; it never blocks a sale.
   */
  setDrawerOpen(open: boolean, leftOpenMs = 30_000): void {
    const { lane } = this;
    const state = open ? 'open' : 'closed';
    if (this.drawer.state === state) return;
    if (this.drawerTimer) clearTimeout(this.drawerTimer);
    this.drawerTimer = null;
    this.drawer = { state, openSince: open ? lane.now().toISOString() : null, leftOpen: false };
    if (open) {
      this.drawerTimer = setTimeout(() => {
        this.drawer = { ...this.drawer, leftOpen: true };
        try {
          lane.db.transaction(() => lane.journal.append('drawer.leftOpen', null, { lane: lane.identity.laneId, openSince: this.drawer.openSince, operator: lane.laneSnap().context.operator }, lane.now().toISOString()))();
          lane.broadcast();
        } catch {
          // an alert must never take the lane down
        }
      }, leftOpenMs);
      this.drawerTimer.unref();
    }
    lane.broadcast();
  }

  dispose(): void {
    if (this.drawerTimer) clearTimeout(this.drawerTimer);
    this.drawerTimer = null;
  }
}
