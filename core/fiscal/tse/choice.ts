/**
 * Which TSE this till signs with, as store IT provisioned it (`npm run provision -- --tse
 * tse.json`; protocol TseChoiceSchema), kept in the terminal's database (core/db/meta-doc.ts). A
 * German till without a choice uses the simulator; other countries have no TSE.
 */
import { TseChoiceSchema, type TseChoice } from '../../../protocol/terminal';
import type { Db } from '../../db';
import { metaDocument } from '../../db/meta-doc';

const doc = metaDocument<TseChoice>('tse.choice', TseChoiceSchema, 'TSE choice');

export const loadTseChoice = (db: Db): TseChoice | null => doc.load(db);
export const saveTseChoice = (db: Db, data: unknown): TseChoice => doc.save(db, data);
export const readTseChoiceFile = (path: string): TseChoice => doc.readFile(path);

/** What a till of `country` signs with: the provisioned choice, else the simulator in Germany and nothing elsewhere. */
export function tseChoiceOf(db: Db, country: string): TseChoice {
  return loadTseChoice(db) ?? { kind: country === 'DE' ? 'simulator' : 'none' };
}

/** The choice as a log line or a screen may show it: never the key or secret. */
export function describeTseChoice(c: TseChoice): string {
  return c.kind === 'fiskaly' ? `fiskaly SIGN DE (TSS ${c.tssId} at ${c.baseUrl}, client ${c.clientId})` : c.kind;
}
