import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport, runClaimsEval } from './claims-eval.js';

// Runs the claim-extraction evaluation on ../shared/eval/claims-dev.jsonl (or a path given as the
// first argument). Flags: --all-subjects, --verbose, --json. Exits 1 when a floor is missed.
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const given = args.find((a) => !a.startsWith('--'));
const goldPath = given ? resolve(given) : resolve(here, '..', '..', '..', 'shared', 'eval', 'claims-dev.jsonl');

if (!existsSync(goldPath)) {
  console.log(`[skipped] claim extraction eval: ${goldPath} is absent`);
  process.exit(process.env['CI'] === 'true' && !given ? 1 : 0);
}
const report = runClaimsEval(goldPath, { subjects: flags.has('--all-subjects') ? 'all' : 'per-file' });
if (flags.has('--json')) {
  const { predictions: _predictions, ...rest } = report;
  console.log(JSON.stringify(rest, null, 2));
} else {
  console.log(formatReport(report, { verbose: flags.has('--verbose') }));
}
process.exit(report.failures.length === 0 ? 0 : 1);
