import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCatalogs } from '../../scripts/errors-doc.mjs';
import { catalogs } from './catalogs.mjs';

const docPath = join(import.meta.dirname, '..', '..', 'docs', 'errors.md');

describe('docs/errors.md', () => {
  const text = readFileSync(docPath, 'utf8');

  it('lists exactly the codes of every catalog, with their texts (run `node scripts/errors-doc.mjs` to update)', () => {
    expect(text).toBe(withCatalogs(text));
  });

  it('uses stable, prefixed codes', () => {
    for (const [pkg, catalog] of Object.entries(catalogs as Record<string, Record<string, unknown>>)) {
      const prefix = `COV_${pkg.replace('@covenant/', '').toUpperCase().replace(/-/g, '_')}_`;
      for (const code of Object.keys(catalog))
        expect(code.startsWith(prefix), `${code} in ${pkg}`).toBe(true);
    }
  });
});
