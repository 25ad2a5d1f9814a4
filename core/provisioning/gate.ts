/**
 * The lane's gate while first-boot provisioning runs (flow.ts): a terminal without identity sells
 * nothing — every command but provisioning's own, a ping and the screen's language is refused with
 * NOT_PROVISIONED — and its snapshot carries the provisioning view. Without a flow (a core not
 * started with --provisioning, or one provisioned) it lets everything through and adds nothing.
 */
import type { CommandName, ProvisioningView } from '../../protocol/terminal';
import { CoreError } from '../errors';

/** What a terminal without identity still answers. */
const OPEN: ReadonlySet<CommandName> = new Set<CommandName>(['provisionSubmit', 'provisionRetry', 'ping', 'customerLanguage']);

export class ProvisioningGate {
  private provider: (() => ProvisioningView | null) | null = null;

  set(provider: (() => ProvisioningView | null) | null): void {
    this.provider = provider;
  }

  /** The view for the snapshot: undefined (left out) when no provisioning runs. */
  view(): ProvisioningView | null | undefined {
    return this.provider ? this.provider() : undefined;
  }

  /** Throws NOT_PROVISIONED for a command the terminal cannot answer before it is provisioned. */
  check(cmd: CommandName): void {
    if (OPEN.has(cmd) || !this.provider) return;
    const v = this.provider();
    if (v && v.phase !== 'ready') throw new CoreError('NOT_PROVISIONED', 'This terminal is not provisioned yet: insert the USB stick with provisioning.json, or type or scan the provisioning code.');
  }
}

/** The provisioning commands on a terminal that runs no provisioning (flow.ts replaces these). */
export async function provisionedAlready(): Promise<never> {
  throw new CoreError('NOT_ALLOWED_NOW', 'This terminal is not waiting for provisioning.');
}
