/**
 * The store's legal particulars (address, organisation number, VAT id; in Sweden the company's name
 * and the till's kassabeteckning too) are the terminal's own data, kept in its database: written
 * once by store IT at provisioning (`npm run provision -- --legal store.json`), never chosen by the
 * environment at run time. Read and written through StoreLegalSchema; a stored value that no
 * longer fits is refused by name.
 */
import { readFileSync } from 'node:fs';
import { StoreLegalSchema, type StoreLegal } from '../../protocol/terminal';
import type { Db } from '../db';

const KEY = 'store.legal';

function checked(data: unknown, source: string): StoreLegal {
  const r = StoreLegalSchema.safeParse(data);
  if (!r.success) throw new Error(`store particulars refused (${source}): ${r.error.issues.map((i) => `${i.path.join('.') || '(the file)'} ${i.message}`).join('; ')}`);
  return r.data;
}

/** The particulars kept in the terminal's database; null when none were provisioned. */
export function loadStoreLegal(db: Db): StoreLegal | null {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM terminal_meta WHERE key = ?').get(KEY);
  return row ? checked(JSON.parse(row.value), 'in the database') : null;
}

/** Keeps the particulars (checked) in the terminal's database. */
export function saveStoreLegal(db: Db, data: unknown): StoreLegal {
  const legal = checked(data, 'to save');
  db.prepare('INSERT INTO terminal_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(legal));
  return legal;
}

/** A particulars file as store IT writes it (JSON), checked. */
export function readStoreLegalFile(path: string): StoreLegal {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`store particulars refused (${path}): ${err instanceof Error ? err.message : String(err)}`);
  }
  return checked(data, path);
}
