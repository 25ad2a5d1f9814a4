/** Calls for staff: the customer or cashier calls, staff clear; an unknown item set aside calls too; a kiosk's cash and idle rules call. */
import { printable, type Lane, type LaneHandlers } from '../lane/context';
import { needSignedInUnlocked } from '../lane/guards';
import type { Approvals } from '../operators/approvals';
import type { HelpCall } from './attendance-machine';

/** The call itself lives in the lane's attendance machine (persisted with the lane); this module calls and clears it. */
export class Help {
  constructor(
    private readonly lane: Lane,
    private readonly approvals: Approvals,
  ) {}

  handlers(): LaneHandlers {
    const { lane } = this;
    const open = () => needSignedInUnlocked(lane, 'The lane is not open.');
    return {
      callHelp: {
        ungated: true,
        run: () => {
          open();
          if (!this.current) this.call('customer', null);
          return { answer: null };
        },
      },
      reportMissingItem: {
        ungated: true,
        run: (cmd) => {
          open();
          const code = printable(cmd.code);
          const at = lane.now().toISOString();
          // For the back office: HQ adds the item; the journal says which code and where.
          lane.db.transaction(() => lane.journal.append('item.notFound', null, { code, lane: lane.identity.laneId, operator: lane.laneSnap().context.operator }, at))();
          lane.log(`item not found, set aside for a supervisor: ${code}`);
          this.call('itemNotFound', code);
          return { answer: null };
        },
      },
      clearHelp: {
        ungated: true,
        run: (cmd) => {
          open();
          if (!this.current) return { answer: null };
          // Who answered is in the help.cleared entry (no approval entry of its own).
          const by = lane.config.mode === 'staffed' && !cmd.approval && !lane.attendant ? lane.laneSnap().context.operator : this.approvals.approve('clearHelp', cmd.approval).id;
          this.approvals.reset();
          this.end(by, 'answered');
          return { answer: null };
        },
      },
    };
  }

  /** A call for staff, shown in the attendant view until staff clear it. */
  get current(): HelpCall | null {
    return this.lane.attendanceContext().help;
  }

  call(reason: HelpCall['reason'], detail: string | null): void {
    const { lane } = this;
    lane.attend((at) => {
      lane.journal.append('help.called', null, { reason, detail, lane: lane.identity.laneId, operator: lane.laneSnap().context.operator }, at);
      return [{ type: 'HELP_CALLED', call: { since: at, reason, detail } }];
    });
  }

  end(by: string | null, why: 'answered' | 'saleEnded'): void {
    const { lane } = this;
    const call = this.current;
    try {
      lane.attend((at) => {
        lane.journal.append('help.cleared', null, { reason: call?.reason, since: call?.since, by, why, lane: lane.identity.laneId }, at);
        return [{ type: 'HELP_CLEARED' }];
      });
    } catch (err) {
      lane.log(`help call: ${err instanceof Error ? err.message : String(err)}`);
      // The call ends all the same (as it always did); only its journal entry is missing.
      try {
        lane.attend(() => [{ type: 'HELP_CLEARED' }]);
      } catch {
        // nothing can be stored now: the call stays open until it can
      }
    }
  }
}
