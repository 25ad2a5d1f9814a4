/**
 * The store's legal particulars (address, organisation number, VAT id; in Sweden the company's name
 * and the till's kassabeteckning too) are the terminal's own data, kept in its database: written
 * once by store IT at provisioning (`npm run provision -- --legal store.json`), never chosen by the
 * environment at run time. Read and written through StoreLegalSchema; a stored value that no
 * longer fits is refused by name (core/db/meta-doc.ts).
 */
import { StoreLegalSchema, type StoreLegal } from '../../protocol/terminal';
import type { Db } from '../db';
import { metaDocument } from '../db/meta-doc';

const doc = metaDocument<StoreLegal>('store.legal', StoreLegalSchema, 'store particulars');

/** The particulars kept in the terminal's database; null when none were provisioned. */
export const loadStoreLegal = (db: Db): StoreLegal | null => doc.load(db);

/** Keeps the particulars (checked) in the terminal's database. */
export const saveStoreLegal = (db: Db, data: unknown): StoreLegal => doc.save(db, data);

/** A particulars file as store IT writes it (JSON), checked. */
export const readStoreLegalFile = (path: string): StoreLegal => doc.readFile(path);
