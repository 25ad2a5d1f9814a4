/**
 * Writes the DSFinV-K tables as the Beschreibungsstandard (GDPdU) asks: one CSV file per table,
 * UTF-8, `;` between columns, CRLF after each record, text in double quotes (a quote in text
 * doubled), numbers with the decimal comma and no grouping, to the column's declared places; a
 * header line of column names first (index.xml says the data starts at line 2). index.xml describes
 * every file: its name, URL, columns and their types, separators and encoding.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_KEYS, TABLES, type Column, type Entry, type Row, type TableDef, type TableKey } from './tables';

export const CSV = { column: ';', record: '\r\n', quote: '"', decimal: ',', grouping: '.' } as const;

/** An integer with `scale` decimals written with `places` decimals and the decimal comma. */
export function formatNumber(units: number, scale: number, places: number): string {
  if (!Number.isSafeInteger(units)) throw new RangeError(`a number is written from whole units: ${units}`);
  if (scale > places) throw new RangeError(`${units}e-${scale} has more decimals than its column's ${places}`);
  const digits = (BigInt(Math.abs(units)) * 10n ** BigInt(places - scale)).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return `${units < 0 ? '-' : ''}${whole}${places ? CSV.decimal + frac : ''}`;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function cell(c: Column, v: Row[string] | undefined, file: string): string {
  if (v === null || v === undefined || v === '') return '';
  switch (c.type.kind) {
    case 'text': {
      const s = String(v);
      if (s.length > c.type.max) throw new RangeError(`${file} ${c.name}: "${s.slice(0, 40)}…" is longer than ${c.type.max}`);
      return CSV.quote + s.replaceAll(CSV.quote, CSV.quote + CSV.quote) + CSV.quote;
    }
    case 'num':
      return typeof v === 'object' ? formatNumber(v.units, v.scale, c.type.places) : formatNumber(Number(v), 0, c.type.places);
    case 'date': {
      const s = String(v);
      if (!ISO.test(s)) throw new RangeError(`${file} ${c.name}: "${s}" is not an instant as YYYY-MM-DDThh:mm:ss.sssZ`);
      return CSV.quote + s + CSV.quote;
    }
    case 'flag':
      if (v !== 0 && v !== 1) throw new RangeError(`${file} ${c.name}: a flag is 0 or 1, not ${String(v)}`);
      return `${CSV.quote}${v}${CSV.quote}`;
  }
}

export function toCsv(def: TableDef, rows: readonly Entry[]): string {
  const head = def.columns.map((c) => c.name).join(CSV.column);
  const body = rows.map((r) => def.columns.map((c) => cell(c, c.name in r.z ? r.z[c.name] : r.row[c.name], def.file)).join(CSV.column));
  return [head, ...body].map((l) => l + CSV.record).join('');
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A column as DSFinV-K's own index.xml declares it: instants AlphaNumeric (30), flags AlphaNumeric (1). */
function columnXml(c: Column): string {
  const alpha = (max: number) => `<AlphaNumeric/><MaxLength>${max}</MaxLength>`;
  const type = { text: () => alpha(c.type.kind === 'text' ? c.type.max : 0), date: () => alpha(30), flag: () => alpha(1), num: () => `<Numeric>${c.type.kind === 'num' && c.type.places ? `<Accuracy>${c.type.places}</Accuracy>` : ''}</Numeric>` }[c.type.kind]();
  return `        <VariableColumn><Name>${c.name}</Name>${type}</VariableColumn>`;
}

/** index.xml: the Beschreibungsstandard's description of every table of the export. */
export function indexXml(validity: { from: string; to: string }): string {
  const tables = TABLE_KEYS.map((k) => {
    const t = TABLES[k];
    return [
      '    <Table>',
      `      <URL>${t.file}</URL>`,
      `      <Name>${t.name}</Name>`,
      `      <Description>${xml(`${t.module}: ${t.description}`)}</Description>`,
      `      <Validity><Range><From>${validity.from}</From><To>${validity.to}</To></Range><Format>YYYY-MM-DD</Format></Validity>`,
      '      <UTF8/>',
      `      <DecimalSymbol>${CSV.decimal}</DecimalSymbol>`,
      `      <DigitGroupingSymbol>${CSV.grouping}</DigitGroupingSymbol>`,
      '      <Range><From>2</From></Range>',
      '      <VariableLength>',
      `        <ColumnDelimiter>${CSV.column}</ColumnDelimiter>`,
      '        <RecordDelimiter>&#13;&#10;</RecordDelimiter>',
      `        <TextEncapsulator>${xml(CSV.quote)}</TextEncapsulator>`,
      ...t.columns.map(columnXml),
      '      </VariableLength>',
      '    </Table>',
    ].join('\r\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE DataSet SYSTEM "gdpdu-01-09-2004.dtd">',
    '<DataSet>',
    '  <Version>1.0</Version>',
    '  <DataSupplier><Name>Kassa</Name><Location>Kassa</Location><Comment>DSFinV-K 2.3</Comment></DataSupplier>',
    '  <Media>',
    '    <Name>DSFinV-K</Name>',
    ...tables,
    '  </Media>',
    '</DataSet>',
    '',
  ].join('\r\n');
}

/** Writes index.xml and every table's CSV into `dir` (created); a folder with files in it is refused. Every file is rendered before the first is written, so a value that cannot be written leaves no half export. */
export function writeExport(dir: string, tables: Record<TableKey, Entry[]>, validity: { from: string; to: string }): string[] {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty; give a new or empty folder`);
  const files: Array<[string, string]> = TABLE_KEYS.map((k) => [TABLES[k].file, toCsv(TABLES[k], tables[k])]);
  files.push(['index.xml', indexXml(validity)]);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.map(([name]) => name);
}
