/**
 * Supervisor approvals for gated actions, and role checks for actions outside a lane command.
 * An approval given for a command is journalled (as its own entry) in that command's transaction:
 * the host takes it with `take()` after planning.
 */
import type { Approval } from '../../protocol/terminal';
import { CoreError } from '../errors';
import type { Lane } from '../lane/context';
import type { Operator } from './index';

export interface GivenApproval {
  action: string;
  approvedBy: string;
  self: boolean;
}

export class Approvals {
  private pending: GivenApproval | null = null;

  constructor(private readonly lane: Lane) {}

  /** Forgets an approval from a command that was refused. */
  reset(): void {
    this.pending = null;
  }

  /** The approval the command being planned was given, once. */
  take(): GivenApproval | null {
    const p = this.pending;
    this.pending = null;
    return p;
  }

  /** Records an approval the command checked itself (an unlock by a supervisor). */
  given(a: GivenApproval): void {
    this.pending = a;
  }

  /**
   * Supervisor approval for a gated action: a signed-in supervisor approves their own action;
   * otherwise a second operator with the supervisor role gives their PIN on this lane.
   */
  approve(action: string, approval: Approval | undefined): Operator {
    const { lane } = this;
    const ctx = lane.laneSnap().context;
    if (lane.attendant) {
      this.pending = { action, approvedBy: lane.attendant.id, self: false };
      return lane.attendant;
    }
    // At a self-checkout the signed-in operator only opened the kiosk: the customer at it approves nothing.
    if (lane.config.mode === 'staffed' && ctx.role === 'supervisor' && ctx.operator && ctx.operatorName) {
      this.pending = { action, approvedBy: ctx.operator, self: true };
      return { id: ctx.operator, name: ctx.operatorName, role: 'supervisor' };
    }
    if (!approval) throw new CoreError('APPROVAL_REQUIRED', 'A supervisor must approve this.', { action });
    const by = 'badge' in approval ? lane.operators.authenticateBadge(approval.badge) : lane.operators.authenticate(approval.operator, approval.pin);
    if (by.role !== 'supervisor') throw new CoreError('APPROVAL_DENIED', `${by.name} may not approve this; a supervisor must.`, { action });
    // Four eyes on a staffed lane; at a self-checkout the signed-in operator only opened the kiosk.
    if (lane.config.mode === 'staffed' && by.id === ctx.operator) throw new CoreError('APPROVAL_DENIED', 'An approval must come from a second operator.', { action });
    this.pending = { action, approvedBy: by.id, self: false };
    return by;
  }

  /**
   * A second supervisor confirms what `first` approved (four eyes on a decision that could cost the
   * customer twice): their own credentials, never those of the one who approved.
   */
  confirm(action: string, first: string, confirmation: Approval | undefined): Operator {
    if (!confirmation) throw new CoreError('CONFIRMATION_REQUIRED', 'A second supervisor must confirm this.', { action });
    const by = 'badge' in confirmation ? this.lane.operators.authenticateBadge(confirmation.badge) : this.lane.operators.authenticate(confirmation.operator, confirmation.pin);
    // `step`: the lane says it is the second supervisor's confirmation that does not count, not the approval.
    if (by.role !== 'supervisor') throw new CoreError('APPROVAL_DENIED', `${by.name} may not confirm this; a second supervisor must.`, { action, step: 'confirmation' });
    if (by.id === first) throw new CoreError('APPROVAL_DENIED', 'The confirmation must come from a second, different supervisor.', { action, step: 'confirmation' });
    return by;
  }

  /**
   * Actions outside a lane command (device tests, the card end of day, staff at a kiosk): allowed
   * to an operator of one of these roles who is signed in, or who approves with their credentials. Returns who.
   */
  authorizeRole(action: string, roles: readonly string[], approval: Approval | undefined, denied: (name: string) => string, required: string): string {
    const { lane } = this;
    const ctx = lane.laneSnap().context;
    // At a self-checkout the signed-in operator only opened the kiosk: whoever stands there proves who they are.
    if (lane.config.mode === 'staffed' && ctx.operator && ctx.role && roles.includes(ctx.role)) return ctx.operator;
    if (!approval) throw new CoreError('APPROVAL_REQUIRED', required, { action });
    const op = 'badge' in approval ? lane.operators.authenticateBadge(approval.badge) : lane.operators.authenticate(approval.operator, approval.pin);
    if (!roles.includes(op.role)) throw new CoreError('APPROVAL_DENIED', denied(op.name), { action });
    return op.id;
  }
}
