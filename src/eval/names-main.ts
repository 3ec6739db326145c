import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateNames, formatNamesReport, readNameCases } from './names-eval.js';

// src/eval or dist/eval: the project root is two levels up either way.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const casesPath = resolve(root, '..', 'shared', 'fixtures', 'name-matching', 'cases.csv');

if (!existsSync(casesPath)) {
  console.log(`name matching eval skipped: ${casesPath} is absent`);
} else {
  const report = evaluateNames(readNameCases(readFileSync(casesPath, 'utf8')));
  console.log(process.argv.includes('--json') ? JSON.stringify(report, null, 2) : formatNamesReport(report));
}
