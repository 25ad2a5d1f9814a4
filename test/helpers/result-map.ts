/** The command → result map kept true: every acknowledgement the tests receive must carry its command's kind of result. */
import { resultOf, type CommandName } from '../../protocol/terminal';

/** Throws when `result` is not what RESULT_OF (protocol/terminal/results.ts) names for `cmd`: a screen would drop it. */
export function checkResultOf(cmd: CommandName, result: unknown): void {
  if (result !== undefined && resultOf(cmd, result) === undefined) throw new Error(`the ${cmd} ack carries a result RESULT_OF does not name for it: ${JSON.stringify(result).slice(0, 200)}`);
}
