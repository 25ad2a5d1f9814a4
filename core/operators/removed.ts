/**
 * An operator removed from the store's staff at HQ while signed in (core/operators/staff.ts takes
 * HQ's list at a check-in): the lane signs them out as soon as it is not in the middle of a sale —
 * at once when no sale is open, else when that sale is completed, parked or cancelled — journals
 * the sign-out as theirs, marked `removedFromStaff`, and the sign-in screen says why. A staffed lane
 * only: a self-checkout runs under the till opener's sign-in, and what staff do there is
 * authenticated each time (a removed supervisor's PIN no longer approves anything).
 */
import type { Snapshot } from '../../protocol/terminal';
import type { Lane } from '../lane/context';
import { journalStep, laneState } from '../lane/guards';

/** Signs the lane's operator out if they are no longer on the staff and no sale is open; true if it did. */
export function signOutRemoved(lane: Lane): boolean {
  if (lane.config.mode !== 'staffed' || laneState(lane) !== 'signedIn') return false;
  const operator = lane.laneSnap().context.operator;
  if (!operator || lane.operators.onStaff(operator)) return false;
  lane.commit({ steps: [{ to: 'lane', event: { type: 'SIGN_OUT' }, after: journalStep(lane, 'operator.signOut', operator, { removedFromStaff: true }) }] }, { internal: 'signOutRemoved', operator });
  lane.notifyError('SIGNED_OUT_NOT_STAFF', `Operator ${operator} is no longer on this store's staff and was signed out.`, { operator });
  return true;
}

/**
 * Watches the lane: after every change it shows (a sale ended) the operator is looked at again;
 * `check` is also called when a new staff list has been applied. Returns what stops watching.
 */
export function watchRemovedOperators(lane: Lane & { subscribe(listener: (snap: Snapshot) => void): () => void }, log: (line: string) => void): { check: () => void; stop: () => void } {
  const check = () => {
    try {
      if (signOutRemoved(lane)) log('staff: the signed-in operator is no longer on the staff list from HQ: signed out');
    } catch (err) {
      log(`staff: signing out a removed operator failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const stop = lane.subscribe((snap) => {
    if (snap.lane.state === 'signedIn' && snap.lane.mode === 'staffed') check();
  });
  return { check, stop };
}
