import { formatVerdictsReport, runVerdictsEval, verdictsFailures } from './verdicts-eval.js';

// Verdict evaluation on its own: `node dist/eval/verdicts-main.js [--verbose] [--json]`.
// Exits 1 when a floor is missed.
const flags = new Set(process.argv.slice(2));
const report = await runVerdictsEval();
if (flags.has('--json')) console.log(JSON.stringify(report, null, 2));
else console.log(formatVerdictsReport(report, { verbose: flags.has('--verbose') }));
process.exit(verdictsFailures(report).length === 0 ? 0 : 1);
