/**
 * A document the terminal keeps in its own database (`terminal_meta`), written by store IT at
 * provisioning and read at every start — never chosen by the environment at run time: the store's
 * legal particulars and HQ's signed record of them (core/markets/store-legal.ts), which TSE a German
 * till signs with (core/fiscal/tse/choice.ts), a Swedish till's control unit
 * (core/fiscal/control-unit/config.ts). Read and written through its schema; a stored value that no
 * longer fits is refused by name.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { Db } from './index';

export interface MetaDocument<T> {
  /** The document kept in the terminal's database; null when none was provisioned. */
  load(db: Db): T | null;
  /** Keeps the document (checked) in the terminal's database. */
  save(db: Db, data: unknown): T;
  /** Removes the document (load gives null again). */
  forget(db: Db): void;
  /** A file as store IT writes it (JSON), checked. */
  readFile(path: string): T;
}

/** One prepared read per database: some documents (the store's particulars) are read for every receipt and snapshot. */
const reads = new WeakMap<Db, ReturnType<typeof prepareRead>>();
const prepareRead = (db: Db) => db.prepare<[string], { value: string }>('SELECT value FROM terminal_meta WHERE key = ?');

export function metaDocument<T>(key: string, schema: z.ZodType<T>, what: string): MetaDocument<T> {
  const checked = (data: unknown, source: string): T => {
    const r = schema.safeParse(data);
    if (!r.success) throw new Error(`${what} refused (${source}): ${r.error.issues.map((i) => `${i.path.join('.') || '(the file)'} ${i.message}`).join('; ')}`);
    return r.data;
  };
  return {
    load(db) {
      let read = reads.get(db);
      if (!read) reads.set(db, (read = prepareRead(db)));
      const row = read.get(key);
      return row ? checked(JSON.parse(row.value), 'in the database') : null;
    },
    save(db, data) {
      const doc = checked(data, 'to save');
      db.prepare('INSERT INTO terminal_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(doc));
      return doc;
    },
    forget(db) {
      db.prepare('DELETE FROM terminal_meta WHERE key = ?').run(key);
    },
    readFile(path) {
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(path, 'utf8'));
      } catch (err) {
        throw new Error(`${what} refused (${path}): ${err instanceof Error ? err.message : String(err)}`);
      }
      return checked(data, path);
    },
  };
}
