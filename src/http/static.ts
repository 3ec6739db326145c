import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the built dashboard. Paths that are not files get index.html so the app's own router
 * handles them; nothing outside the root folder is ever read.
 */
export function staticFile(root: string, urlPath: string): { body: Buffer; type: string; immutable: boolean } | null {
  const base = resolve(root);
  const index = join(base, 'index.html');
  if (!existsSync(index)) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    rel = '/';
  }
  const path = resolve(base, '.' + rel);
  if ((path === base || path.startsWith(base + sep)) && existsSync(path) && statSync(path).isFile()) {
    return { body: readFileSync(path), type: TYPES[extname(path)] ?? 'application/octet-stream', immutable: path.includes(`${sep}assets${sep}`) };
  }
  return { body: readFileSync(index), type: TYPES['.html']!, immutable: false };
}
