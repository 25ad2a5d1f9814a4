/**
 * What the simulated fiscal devices (the German TSE, the Swedish control unit) share: their own
 * SQLite file, fsync'd on every write (a counter or a record must never go back), and a way to be
 * pulled out — in process (`unplug`), or from outside the process by a file `<file>.unplugged`
 * (demos, and tests of a running core).
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

export class SimulatedDevice {
  readonly db: Database.Database;
  private pulled = false;
  private readonly marker: string | null;

  constructor(file: string, schema: string) {
    this.marker = file === ':memory:' ? null : `${file}.unplugged`;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(schema);
  }

  /** Whether the device is out (unplugged here, or its marker file is there). */
  get out(): boolean {
    return this.pulled || (this.marker !== null && existsSync(this.marker));
  }
  unplug(): void {
    this.pulled = true;
  }
  plugIn(): void {
    this.pulled = false;
  }
  close(): void {
    this.db.close();
  }
}
