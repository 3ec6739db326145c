import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE_DIR, LETTER_KINDS } from '../src/respond/letters.js';
import { parseBlocks } from '../src/respond/render.js';
import { parseTemplate, renderTemplate } from '../src/respond/template.js';

describe('letter template engine', () => {
  it('fills values, nested names, lists with numbers, and if/else sections', () => {
    const out = renderTemplate(
      'To {{who.name}}\n{{#each items}}\n{{@number}}. {{text}} ({{who.name}})\n{{/each}}\n{{#if late}}late{{else}}on time{{/if}}\n',
      { who: { name: 'Acme' }, items: [{ text: 'first' }, { text: 'second' }], late: false },
    );
    expect(out).toBe('To Acme\n1. first (Acme)\n2. second (Acme)\non time\n');
  });

  it('treats data as text: no evaluation, and line breaks in a value cannot start a new section', () => {
    const out = renderTemplate('> {{quote}}', { quote: 'line one\n# Heading {{x}}\nline two' });
    expect(out).toBe('> line one # Heading {{x}} line two');
    expect(parseBlocks(out).map((b) => b.type)).toEqual(['quote']);
  });

  it('names the line of an unknown placeholder and of an unclosed block', () => {
    expect(() => renderTemplate('a\nb {{nmae}}', { name: 'x' }, 'my.md')).toThrow(
      /my\.md line 2: no value named "nmae"/,
    );
    expect(() => parseTemplate('x\n{{#each items}}\n', 't.md')).toThrow(/t\.md line 2: .*never closed/);
    expect(() => parseTemplate('{{#if a}}{{/each}}', 't.md')).toThrow(/closes \{\{#if\}\}/);
    expect(() => renderTemplate('{{constructor}}', {})).toThrow(/no value named "constructor"/);
  });

  it('the bundled templates parse, and every placeholder they use is documented in the README', () => {
    const readme = readFileSync(join(DEFAULT_TEMPLATE_DIR, 'README.md'), 'utf8');
    for (const kind of LETTER_KINDS) {
      const src = readFileSync(join(DEFAULT_TEMPLATE_DIR, `${kind}.md`), 'utf8');
      expect(() => parseTemplate(src, kind)).not.toThrow();
      const names = new Set(
        [...src.matchAll(/\{\{\s*(?:#(?:each|if|unless)\s+)?([A-Za-z_][\w.]*)\s*\}\}/g)]
          .map((m) => m[1]!)
          .filter((n) => n !== 'else' && n !== 'this'),
      );
      for (const n of names) expect(readme, `placeholder ${n} of ${kind}.md`).toContain(`\`${n}\``);
    }
  });
});
