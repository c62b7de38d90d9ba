import { describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { policyVersions } from '../../src/db/schema.js';
import { halotekPolicyV1 } from '../../src/domain/policy/halotek.js';
import { cachedPolicySource } from '../../src/app/policies/policy-source.js';

describe('cached policy source', () => {
  it('reads once within its age, shares one read, and sees a new version after it or when invalidated', async () => {
    const pglite = testDatabases().find((d) => d.name === 'pglite');
    if (!pglite) throw new Error('PGlite is always there');
    const handle = await pglite.open();
    try {
      let clock = 0;
      const source = cachedPolicySource(handle.db, { maxAgeMs: 1000, monotonicNow: () => clock });
      const [a, b] = await Promise.all([source.versions(), source.versions()]);
      expect(a).toBe(b);
      expect(a.map((v) => v.id)).toEqual(['halotek-2018-01', 'halotek-2026-12']);

      const v2 = { ...halotekPolicyV1, id: 'halotek-2030-01', effectiveFrom: '2030-01-01' };
      await handle.db
        .insert(policyVersions)
        .values({ id: v2.id, effectiveFrom: v2.effectiveFrom, document: v2 });
      clock = 999;
      expect((await source.versions()).map((v) => v.id)).toEqual(['halotek-2018-01', 'halotek-2026-12']);
      clock = 1000;
      expect((await source.versions()).map((v) => v.id)).toEqual([
        'halotek-2018-01',
        'halotek-2026-12',
        'halotek-2030-01',
      ]);

      await handle.db.delete(policyVersions);
      source.invalidate();
      expect(await source.versions()).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
