/** Calls for staff: the customer or cashier calls, staff clear; an unknown item set aside calls too; a kiosk's cash and idle rules call. */
import type { Snapshot } from '../../protocol/terminal';
import { printable, type Lane, type LaneHandlers } from '../lane/context';
import { needSignedInUnlocked } from '../lane/guards';
import type { Approvals } from '../operators/approvals';

type HelpCall = NonNullable<Snapshot['lane']['help']>;

export class Help {
  /** A call for staff, shown in the attendant view until staff clear it. */
  current: HelpCall | null = null;

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

  call(reason: HelpCall['reason'], detail: string | null): void {
    const { lane } = this;
    const at = lane.now().toISOString();
    lane.db.transaction(() => lane.journal.append('help.called', null, { reason, detail, lane: lane.identity.laneId, operator: lane.laneSnap().context.operator }, at))();
    this.current = { since: at, reason, detail };
    lane.broadcast();
  }

  end(by: string | null, why: 'answered' | 'saleEnded'): void {
    const { lane } = this;
    const at = lane.now().toISOString();
    try {
      lane.db.transaction(() => lane.journal.append('help.cleared', null, { reason: this.current?.reason, since: this.current?.since, by, why, lane: lane.identity.laneId }, at))();
    } catch (err) {
      lane.log(`help call: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.current = null;
    lane.broadcast();
  }
}
