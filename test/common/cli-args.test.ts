/** Tokens and keys that start with a dash reach the option they follow, in both command forms. */
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { attachOptionValues } from '../../common/cli-args';

const options = { hq: { type: 'string' }, token: { type: 'string' }, 'catalog-key': { type: 'string', multiple: true }, db: { type: 'string' }, refresh: { type: 'boolean' } } as const;
const parse = (argv: string[]) => parseArgs({ args: attachOptionValues(argv, options), options, strict: true }).values;
const TOKEN = '-UNAVxQ3kR9_8s2lPzv0cWmT1yHbN4eGd';
const KEY = '-fJ2k_9sLqVx0bN7mPzR3tYcW8aHdE1gU5oIiKsA4eQ';

describe('attachOptionValues', () => {
  it('a value starting with a dash is taken in both forms', () => {
    expect(() => parseArgs({ args: ['--token', TOKEN], options, strict: true })).toThrow(/ambiguous/); // what parseArgs alone does
    expect(parse(['--hq', 'http://hq:8420', '--token', TOKEN, '--catalog-key', KEY, '--catalog-key', 'abc'])).toEqual({ hq: 'http://hq:8420', token: TOKEN, 'catalog-key': [KEY, 'abc'] });
    expect(parse([`--token=${TOKEN}`, `--catalog-key=${KEY}`])).toEqual({ token: TOKEN, 'catalog-key': [KEY] });
  });

  it('leaves flags, values without a dash and an option followed by another option alone', () => {
    expect(attachOptionValues(['--refresh', '--db', 'x.db'], options)).toEqual(['--refresh', '--db=x.db']);
    expect(attachOptionValues(['--token', '--db', 'x.db'], options)).toEqual(['--token', '--db=x.db']);
    expect(() => parse(['--token', '--db', 'x.db'])).toThrow(/argument missing|requires an argument|ambiguous/i);
    expect(attachOptionValues(['--', '--token', 'x'], options)).toEqual(['--', '--token', 'x']);
  });
});
