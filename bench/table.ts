/** Prints benchmark results as a Markdown table. */
export function table(title: string, rows: Array<Record<string, string | number>>): void {
  console.log(`\n${title}`);
  const cols = Object.keys(rows[0] ?? {});
  console.log(`| ${cols.join(' | ')} |`);
  console.log(`|${cols.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${cols.map((c) => r[c]).join(' | ')} |`);
}
