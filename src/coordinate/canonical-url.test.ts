import { describe, expect, it } from 'vitest';
import { canonicalUrl } from './canonical-url.js';

describe('canonicalUrl', () => {
  it('treats the same article shared through trackers, hosts and fragments as one link', () => {
    const forms = [
      'https://www.example-news.test/2023/09/modules-ban/?utm_source=twitter&utm_medium=social',
      'http://example-news.test/2023/09/modules-ban#comments',
      'https://m.example-news.test/2023/09/modules-ban/?fbclid=IwAR0abc',
      'HTTPS://Example-News.test:443/2023/09/modules-ban',
      'example-news.test/2023/09/%6Dodules-ban?gclid=xyz',
    ];
    const canon = new Set(forms.map((f) => canonicalUrl(f)));
    expect([...canon]).toEqual(['https://example-news.test/2023/09/modules-ban']);
  });

  it('keeps parameters that select content, in a stable order', () => {
    expect(canonicalUrl('https://forum.test/view?topic=9&page=2&utm_campaign=x')).toBe(
      'https://forum.test/view?page=2&topic=9',
    );
    expect(canonicalUrl('https://forum.test/view?topic=9')).not.toBe(canonicalUrl('https://forum.test/view?topic=10'));
  });

  it('rejects what is not a web link', () => {
    expect(canonicalUrl('mailto:press@example.test')).toBeNull();
    expect(canonicalUrl('   ')).toBeNull();
    expect(canonicalUrl('https://')).toBeNull();
  });
});
