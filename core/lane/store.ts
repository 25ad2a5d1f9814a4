/** The lane's own storage: its persisted state (machine snapshot and last sale), the command log, and the promotions it prices with. */
import type { CompletedSale } from '../../protocol/terminal';
import type { Db } from '../db';

interface StoredState {
  actor: unknown;
  lastSale: CompletedSale | null;
}

/** PINs and badge secrets never reach storage or logs. */
function redactSecrets(key: string, value: unknown): unknown {
  return key === 'pin' || key === 'badge' ? undefined : value;
}

export function laneStore(db: Db) {
  const s = {
    load: db.prepare<[], { version: number; snapshot: string }>('SELECT version, snapshot FROM lane_state WHERE id = 1'),
    save: db.prepare(
      `INSERT INTO lane_state (id, version, snapshot, updated_at) VALUES (1, @version, @snapshot, @at)
       ON CONFLICT (id) DO UPDATE SET version = excluded.version, snapshot = excluded.snapshot, updated_at = excluded.updated_at`,
    ),
    logCommand: db.prepare('INSERT INTO command_log (version, at, sale_id, command) VALUES (?, ?, ?, ?)'),
    // Retention (docs/retention.md): a completed sale's commands are in its journal entry.
    pruneSaleCommands: db.prepare('DELETE FROM command_log WHERE sale_id = ?'),
    promotions: db.prepare<[], { id: string; spec: string }>('SELECT id, spec FROM promotion'),
  };
  return {
    load(): (StoredState & { version: number }) | null {
      const row = s.load.get();
      if (!row) return null;
      const stored = JSON.parse(row.snapshot) as StoredState;
      return { version: row.version, actor: stored.actor, lastSale: stored.lastSale ?? null };
    },
    /** `actorJson` is the machine's persisted snapshot, already serialised (the kernel compared it). */
    save: (version: number, actorJson: string, lastSale: CompletedSale | null, at: string) => void s.save.run({ version, snapshot: `{"actor":${actorJson},"lastSale":${JSON.stringify(lastSale)}}`, at }),
    logCommand: (version: number, at: string, saleId: string | null, entry: unknown) => void s.logCommand.run(version, at, saleId, JSON.stringify(entry, redactSecrets)),
    pruneSaleCommands: (saleId: string) => void s.pruneSaleCommands.run(saleId),
    promotions: () => s.promotions.all(),
  };
}

export type LaneStore = ReturnType<typeof laneStore>;
