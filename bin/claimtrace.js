#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// A closed pipe (claimtrace claims | head) is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
