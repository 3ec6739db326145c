import cliProgress from 'cli-progress';
import { isAppError } from '../errors.js';

/** Writes JSON to stdout, one document, pretty enough to read and exact enough to parse. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function println(line = ''): void {
  process.stdout.write(line + '\n');
}

/** Strips control characters so untrusted text (titles, names) cannot move the cursor or recolour the terminal. */
export function safe(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '');
}

function width(s: string): number {
  return [...s].length;
}

function truncate(s: string, max: number): string {
  const chars = [...s.replace(/\s+/g, ' ')];
  return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…';
}

/** A plain text table with a header row; long cells are cut to keep lines readable. */
export function printTable(headers: string[], rows: (string | number | null | undefined)[][], maxCell = 48): void {
  const cells = rows.map((r) => r.map((c) => truncate(safe(c === null || c === undefined ? '' : String(c)), maxCell)));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]): string => r.map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - width(c)))).join('  ').trimEnd();
  println(line(headers));
  println(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells) println(line(r));
}

/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI, --json). */
export function progressBar(enabled: boolean): { start(label: string, total: number): void; update(done: number): void; stop(): void } {
  if (!enabled || !process.stderr.isTTY) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{label} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(label, total) {
      if (running) bar.stop();
      bar.start(total, 0, { label });
      running = true;
    },
    update(done) {
      if (running) bar.update(done);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

/** The CLI's one error boundary: a known error prints its message (or JSON) and exits 1; anything else is a bug. */
export function reportError(err: unknown, json: boolean): number {
  if (isAppError(err)) {
    if (json) process.stderr.write(JSON.stringify({ error: { code: err.code, message: err.message } }) + '\n');
    else process.stderr.write(`claimtrace: ${err.message} [${err.code}]\n`);
    return 1;
  }
  if (json) process.stderr.write(JSON.stringify({ error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }) + '\n');
  process.stderr.write(`claimtrace: unexpected error (a bug; please report it)\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 70;
}
