import { AppError } from '../errors.js';

/**
 * A small logic-less template language for letters, so a user can edit them without code:
 *
 *   {{name}} {{a.b}}               a value (looked up in the current item, then outer scopes)
 *   {{#each list}}...{{/each}}     repeat for each element; inside, {{this}}, {{@number}} (1-based)
 *   {{#if x}}...{{else}}...{{/if}} a section shown when x is present and not empty/false/0
 *   {{#unless x}}...{{/unless}}    the opposite
 *   {{! a comment }}
 *
 * Nothing is evaluated: names are looked up, never run. A name the data does not have is an
 * error naming the line, so a typo in an edited template fails loudly instead of printing
 * nothing. Values are single-line: line breaks inside a value become spaces, so data cannot
 * add headings or sections to a letter.
 */

type Node =
  | { type: 'text'; text: string }
  | { type: 'var'; path: string; line: number }
  | { type: 'each' | 'if' | 'unless'; path: string; line: number; body: Node[]; otherwise: Node[] };

const TAG = /\{\{\s*([#/!]?)\s*([^}]*?)\s*\}\}/g;

function lineAt(src: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (src.charCodeAt(i) === 10) n++;
  return n;
}

/** Parses a template; throws AppError invalid_input naming the line of the first problem. */
export function parseTemplate(src: string, name = 'template'): Node[] {
  const root: Node[] = [];
  const stack: { node: Extract<Node, { body: Node[] }>; inElse: boolean }[] = [];
  const target = (): Node[] => {
    const top = stack[stack.length - 1];
    if (!top) return root;
    return top.inElse ? top.node.otherwise : top.node.body;
  };
  let last = 0;
  for (const m of src.matchAll(TAG)) {
    const index = m.index;
    const sigil = m[1] ?? '';
    const body = m[2] ?? '';
    const end = index + m[0].length;
    // A block tag alone on its line takes the line with it, so templates can put tags on their own lines.
    const lineStart = src.lastIndexOf('\n', index - 1) + 1;
    const nl = src.indexOf('\n', end);
    const lineEnd = nl < 0 ? src.length : nl + 1;
    const standalone =
      (sigil !== '' || body === 'else') &&
      lineStart >= last &&
      /^[ \t]*$/.test(src.slice(lineStart, index)) &&
      /^[ \t]*\r?\n?$/.test(src.slice(end, lineEnd));
    const textEnd = standalone ? lineStart : index;
    if (textEnd > last) target().push({ type: 'text', text: src.slice(last, textEnd) });
    last = standalone ? lineEnd : end;
    const line = lineAt(src, index);
    const fail = (msg: string): never => {
      throw new AppError('invalid_input', `${name} line ${line}: ${msg}`);
    };
    if (sigil === '!') continue;
    if (sigil === '#') {
      const [kw, path, extra] = body.split(/\s+/);
      if (kw !== 'each' && kw !== 'if' && kw !== 'unless')
        fail(`unknown block {{#${kw ?? ''}}} (use each, if or unless)`);
      if (!path || extra !== undefined) fail(`{{#${kw}}} needs exactly one name`);
      const node = { type: kw as 'each' | 'if' | 'unless', path: path!, line, body: [], otherwise: [] };
      target().push(node);
      stack.push({ node, inElse: false });
      continue;
    }
    if (sigil === '/') {
      const top = stack.pop();
      if (!top) fail(`{{/${body}}} closes nothing`);
      if (top!.node.type !== body)
        fail(`{{/${body}}} closes {{#${top!.node.type}}} opened on line ${top!.node.line}`);
      continue;
    }
    if (body === 'else') {
      const top = stack[stack.length - 1];
      if (!top || top.node.type === 'each' || top.inElse)
        fail('{{else}} belongs inside {{#if}} or {{#unless}}');
      top!.inElse = true;
      continue;
    }
    if (!/^(@?[A-Za-z_][\w-]*)(\.[A-Za-z_][\w-]*)*$|^this$/.test(body)) fail(`"{{${body}}}" is not a name`);
    target().push({ type: 'var', path: body, line });
  }
  if (last < src.length) target().push({ type: 'text', text: src.slice(last) });
  const open = stack[stack.length - 1];
  if (open)
    throw new AppError(
      'invalid_input',
      `${name} line ${open.node.line}: {{#${open.node.type} ${open.node.path}}} is never closed`,
    );
  return root;
}

const MISSING = Symbol('missing');

function lookup(scopes: readonly unknown[], path: string): unknown {
  if (path === 'this') return scopes[scopes.length - 1];
  const [head, ...rest] = path.split('.');
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (scope !== null && typeof scope === 'object' && Object.prototype.hasOwnProperty.call(scope, head!)) {
      let v: unknown = (scope as Record<string, unknown>)[head!];
      for (const key of rest) {
        if (v === null || v === undefined) return v;
        if (typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, key)) return MISSING;
        v = (v as Record<string, unknown>)[key];
      }
      return v;
    }
  }
  return MISSING;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== undefined && v !== false && v !== '' && v !== 0;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.replace(/\s*[\r\n]+\s*/g, ' ');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(show).join(', ');
  return JSON.stringify(v);
}

function renderNodes(nodes: readonly Node[], scopes: unknown[], name: string): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') {
      out += n.text;
      continue;
    }
    const v = lookup(scopes, n.path);
    if (v === MISSING)
      throw new AppError(
        'invalid_input',
        `${name} line ${n.line}: no value named "${n.path}" (see templates/letters/README.md for the placeholders)`,
      );
    if (n.type === 'var') out += show(v);
    else if (n.type === 'each') {
      if (!Array.isArray(v))
        throw new AppError('invalid_input', `${name} line ${n.line}: "${n.path}" is not a list`);
      v.forEach((item, i) => {
        out += renderNodes(
          n.body,
          [
            ...scopes,
            { '@index': i, '@number': i + 1, '@first': i === 0, '@last': i === v.length - 1 },
            item,
          ],
          name,
        );
      });
    } else {
      const show = n.type === 'if' ? truthy(v) : !truthy(v);
      out += renderNodes(show ? n.body : n.otherwise, scopes, name);
    }
  }
  return out;
}

/** Renders a template with data. Throws AppError invalid_input for syntax errors and unknown names. */
export function renderTemplate(src: string, data: Record<string, unknown>, name = 'template'): string {
  return renderNodes(parseTemplate(src, name), [data], name);
}
