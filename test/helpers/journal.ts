/** Journal entries of any kind and body, for tests of the chain itself (production code writes typed kinds: core/journal/kinds.ts). */
import type { Journal } from '../../core/journal';
import type { JournalKind } from '../../core/journal/kinds';

export function rawAppend(journal: Journal, kind: string, ref: string | null, body: unknown, at: string) {
  return journal.append(kind as JournalKind, ref, body as never, at);
}
