// `npm run bench`: runs every benchmark section in bench/*.bench.mjs (or only those named on the
// command line: `npm run bench -- markdown bundle`), prints each section's table and its budgets
// (PASS/FAIL), and merges the results into bench/results.json under the section's name.
//
// A section is a module exporting `name` (string) and `run(ctx)` → `{ results, table, budgets }`,
// where `table` is an array of row objects printed with console.table and `budgets` is
// `[{ name, value, limit, unit, pass }]`. Add a section by adding a file; nothing here changes.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const resultsFile = join(benchDir, 'results.json');
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
const sections = [];
for (const file of files) {
  const mod = await import(pathToFileURL(join(benchDir, file)).href);
  if (!only.length || only.includes(mod.name)) sections.push(mod);
}
if (!sections.length) {
  console.error(`No benchmark section matches ${only.join(', ')} (have: ${files.join(', ')})`);
  process.exit(1);
}

const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};
const out = {
  ...previous,
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', platform: process.platform },
  updatedAt: new Date().toISOString(),
};

const allBudgets = [];
for (const section of sections) {
  console.log(`\n▶ ${section.name}${section.title ? ` — ${section.title}` : ''}`);
  const started = Date.now();
  const { results, table, budgets = [], notes = [] } = await section.run({ root, log: (...a) => console.log('  ', ...a) });
  if (table?.length) console.table(table);
  for (const note of notes) console.log(`   note: ${note}`);
  for (const b of budgets) {
    console.log(`   ${b.pass ? 'PASS' : 'FAIL'}  ${b.name}: ${b.value}${b.unit ?? ''} (budget ≤ ${b.limit}${b.unit ?? ''})`);
    allBudgets.push({ section: section.name, ...b });
  }
  out[section.name] = { ...results, budgets, notes, measuredAt: new Date().toISOString(), seconds: (Date.now() - started) / 1000 };
}

writeFileSync(resultsFile, JSON.stringify(out, null, 2) + '\n');
console.log(`\nWrote ${resultsFile}`);
await import('./readme-bench.mjs');
const failed = allBudgets.filter((b) => !b.pass);
console.log(failed.length ? `\n${failed.length} budget(s) FAILED` : '\nAll budgets PASS');
process.exit(failed.length ? 1 : 0);
