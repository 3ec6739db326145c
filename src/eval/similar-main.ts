import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSimilarReport, runSimilarEval } from './similar-eval.js';

// src/eval or dist/eval: the project root is two levels up either way.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const report = runSimilarEval(join(root, 'data', 'similar-eval'));
console.log(process.argv.includes('--json') ? JSON.stringify(report, null, 2) : formatSimilarReport(report));
