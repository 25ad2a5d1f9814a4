/** The lane's day and who is at it: open and close the lane, sign in and out, lock, training mode. */
import { CoreError } from '../errors';
import type { Lane, LaneHandlers } from '../lane/context';
import { journalStep, needLaneState } from '../lane/guards';
import type { Approvals } from './approvals';

export function sessionHandlers(lane: Lane, approvals: Approvals): LaneHandlers {
  return {
    openLane: {
      run() {
        needLaneState(lane, 'closed');
        return { steps: [{ to: 'lane', event: { type: 'OPEN' }, after: journalStep(lane, 'lane.opened', null, {}) }] };
      },
    },
    closeLane: {
      run() {
        needLaneState(lane, 'signedOut');
        return { steps: [{ to: 'lane', event: { type: 'CLOSE' }, after: journalStep(lane, 'lane.closed', null, {}) }] };
      },
    },
    signIn: {
      run(cmd) {
        needLaneState(lane, 'signedOut');
        const who = lane.operators.authenticate(cmd.operator, cmd.pin);
        return {
          steps: [
            {
              to: 'lane',
              event: { type: 'SIGN_IN', operator: who.id, name: who.name, role: who.role },
              after: (at) => lane.journal.append('operator.signIn', who.id, { operator: who.id, role: who.role, lane: lane.identity.laneId }, at),
            },
          ],
        };
      },
    },
    signOut: {
      run() {
        needLaneState(lane, 'signedIn');
        const operator = lane.laneSnap().context.operator;
        return { steps: [{ to: 'lane', event: { type: 'SIGN_OUT' }, after: journalStep(lane, 'operator.signOut', operator, {}) }] };
      },
    },
    lock: {
      run() {
        needLaneState(lane, 'signedIn', 'selling');
        return { steps: [{ to: 'lane', event: { type: 'LOCK' } }] };
      },
    },
    unlock: {
      run(cmd) {
        const ctx = lane.laneSnap().context;
        if (!ctx.locked) throw new CoreError('NOT_ALLOWED_NOW', 'The lane is not locked.');
        const by = lane.operators.authenticate(cmd.operator ?? ctx.operator ?? '', cmd.pin);
        if (by.id !== ctx.operator && by.role !== 'supervisor') throw new CoreError('APPROVAL_DENIED', 'Only the signed-in operator or a supervisor can unlock this lane.');
        if (by.id !== ctx.operator) approvals.given({ action: 'unlock', approvedBy: by.id, self: false });
        return { steps: [{ to: 'lane', event: { type: 'UNLOCK' } }] };
      },
    },
    setTraining: {
      run(cmd) {
        needLaneState(lane, 'signedIn');
        if (lane.laneSnap().context.training === cmd.on) return { steps: [] };
        // Entering or leaving training is a supervisor's decision, journalled with their name.
        const approvedBy = approvals.approve('setTraining', cmd.approval).id;
        return { steps: [{ to: 'lane', event: { type: 'SET_TRAINING', on: cmd.on }, after: journalStep(lane, cmd.on ? 'training.start' : 'training.end', null, { approvedBy }) }] };
      },
    },
  };
}
