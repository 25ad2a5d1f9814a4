/**
 * Reads an export as an auditor's tool would: index.xml (the Beschreibungsstandard) first, then each
 * table it lists, parsed by what index.xml declares (delimiters, encapsulator, decimal symbol, first
 * data line, columns and their types). Written from the format's description, sharing no code with
 * the writer (core/fiscal/dsfinvk), so the export is checked against its own index, not against itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DeclaredColumn {
  name: string;
  type: 'AlphaNumeric' | 'Numeric' | 'Date';
  maxLength?: number;
  accuracy: number;
  format?: string;
}
export interface DeclaredTable {
  url: string;
  name: string;
  decimal: string;
  grouping: string;
  columnDelimiter: string;
  recordDelimiter: string;
  encapsulator: string;
  from: number;
  utf8: boolean;
  columns: DeclaredColumn[];
}

const one = (xml: string, tag: string): string | undefined => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1];
const unxml = (s: string) => s.replace(/&#13;/g, '\r').replace(/&#10;/g, '\n').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export function readIndex(dir: string): DeclaredTable[] {
  const xml = readFileSync(join(dir, 'index.xml'), 'utf8');
  if (!xml.startsWith('<?xml') || !/<!DOCTYPE DataSet SYSTEM "gdpdu-01-09-2004\.dtd">/.test(xml)) throw new Error('index.xml is not a GDPdU DataSet');
  return [...xml.matchAll(/<Table>([\s\S]*?)<\/Table>/g)].map(([, t]) => {
    const vl = one(t!, 'VariableLength')!;
    const columns = [...vl.matchAll(/<(VariablePrimaryKey|VariableColumn)>([\s\S]*?)<\/\1>/g)].map(([, , c]) => {
      const name = one(c!, 'Name')!;
      if (c!.includes('<AlphaNumeric/>')) return { name, type: 'AlphaNumeric' as const, maxLength: Number(one(c!, 'MaxLength')), accuracy: 0 };
      if (c!.includes('<Numeric>')) return { name, type: 'Numeric' as const, accuracy: Number(one(c!, 'Accuracy') ?? 0) };
      if (c!.includes('<Date>')) return { name, type: 'Date' as const, accuracy: 0, format: unxml(one(c!, 'Format')!) };
      throw new Error(`column ${name} has no type`);
    });
    return {
      url: one(t!, 'URL')!,
      name: one(t!, 'Name')!,
      decimal: one(t!, 'DecimalSymbol')!,
      grouping: one(t!, 'DigitGroupingSymbol')!,
      columnDelimiter: unxml(one(vl, 'ColumnDelimiter')!),
      recordDelimiter: unxml(one(vl, 'RecordDelimiter')!),
      encapsulator: unxml(one(vl, 'TextEncapsulator')!),
      from: Number(one(one(t!.replace(/<Validity>[\s\S]*?<\/Validity>/, ''), 'Range') ?? '', 'From') ?? 1),
      utf8: t!.includes('<UTF8/>'),
      columns,
    };
  });
}

/** Splits a file into records of raw fields (encapsulated text may hold delimiters and doubled encapsulators). */
export function splitRecords(text: string, t: Pick<DeclaredTable, 'columnDelimiter' | 'recordDelimiter' | 'encapsulator'>): string[][] {
  const out: string[][] = [];
  let rec: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== t.encapsulator) field += ch;
      else if (text[i + 1] === t.encapsulator) {
        field += ch;
        i++;
      } else quoted = false;
      continue;
    }
    if (ch === t.encapsulator) {
      quoted = true;
      field += '\u0000'; // marks "this field was encapsulated" (text); removed below
    } else if (ch === t.columnDelimiter) (rec.push(field), (field = ''));
    else if (text.startsWith(t.recordDelimiter, i)) {
      rec.push(field);
      out.push(rec);
      rec = [];
      field = '';
      i += t.recordDelimiter.length - 1;
    } else field += ch;
  }
  if (field !== '' || rec.length) throw new Error('the last record has no record delimiter');
  return out;
}

/** A table's data records as declared: values by column name; numbers as integers scaled by 10^accuracy (bigint-free: safe for money). */
export function readTable(dir: string, t: DeclaredTable): Array<Record<string, string>> {
  const file = join(dir, t.url);
  if (!existsSync(file)) throw new Error(`${t.url} is listed in index.xml but missing`);
  const raw = readFileSync(file);
  if (t.utf8) new TextDecoder('utf-8', { fatal: true }).decode(raw);
  const records = splitRecords(raw.toString('utf8'), t);
  const header = records[0]!.map((h) => h.replace('\u0000', ''));
  if (JSON.stringify(header) !== JSON.stringify(t.columns.map((c) => c.name))) throw new Error(`${t.url}: header ${header.join(';')} is not the declared columns`);
  return records.slice(t.from - 1).map((r, n) => {
    if (r.length !== t.columns.length) throw new Error(`${t.url} record ${n + t.from}: ${r.length} fields, ${t.columns.length} declared`);
    return Object.fromEntries(t.columns.map((c, i) => [c.name, checkValue(t, c, r[i]!, `${t.url} record ${n + t.from} ${c.name}`)]));
  });
}

function checkValue(t: DeclaredTable, c: DeclaredColumn, v: string, where: string): string {
  if (v === '') return '';
  const text = v.startsWith('\u0000');
  const value = text ? v.slice(1) : v;
  if (c.type === 'AlphaNumeric') {
    if (!text) throw new Error(`${where}: text "${v}" is not encapsulated`);
    if ([...value].length > c.maxLength!) throw new Error(`${where}: longer than ${c.maxLength}`);
    return value;
  }
  if (text) throw new Error(`${where}: a ${c.type} is encapsulated`);
  if (c.type === 'Numeric') {
    const dec = t.decimal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(c.accuracy ? `^-?\\d+${dec}\\d{${c.accuracy}}$` : '^-?\\d+$');
    if (!re.test(value)) throw new Error(`${where}: "${value}" is not a number with ${c.accuracy} decimals and "${t.decimal}"`);
    return value;
  }
  if (c.format !== 'YYYY-MM-DD"T"hh:mm:ss.sss"Z"' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) || Number.isNaN(Date.parse(value))) throw new Error(`${where}: "${value}" is not a date as ${c.format}`);
  return value;
}

/** A declared number ("12,34" with the decimal comma) as integer hundredths (cents). */
export function cents(v: string, decimal = ','): number {
  if (v === '') return 0;
  const [w, f = ''] = v.split(decimal);
  const neg = w!.startsWith('-');
  const abs = Number(w!.replace('-', '')) * 100 + Number((f + '00').slice(0, 2));
  if (f.slice(2).replace(/0/g, '') !== '') throw new Error(`${v} is finer than a cent`);
  return neg ? -abs : abs;
}
