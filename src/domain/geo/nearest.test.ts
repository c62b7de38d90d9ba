import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cities, cityById } from './cities.js';
import { distanceKm, isValidPoint, nearest } from './nearest.js';

const at = (id: string) => {
  const c = cityById(id);
  if (!c) throw new Error(id);
  return c;
};

describe('nearest service center', () => {
  it('measures real distances between cities', () => {
    expect(distanceKm(at('beijing'), at('shanghai'))).toBeCloseTo(1067, -1);
    expect(distanceKm(at('shenzhen'), at('guangzhou'))).toBeGreaterThan(90);
    expect(distanceKm(at('shenzhen'), at('guangzhou'))).toBeLessThan(115);
  });

  it('sends a customer to the closest center, ties to the smaller id', () => {
    const centers = [
      { ...at('shanghai'), id: 'c-sh' },
      { ...at('shenzhen'), id: 'c-sz' },
      { ...at('beijing'), id: 'c-bj' },
      { ...at('chengdu'), id: 'c-cd' },
    ].map(({ id, latitude, longitude }) => ({ id, latitude, longitude }));
    expect(nearest(at('suzhou'), centers)?.place.id).toBe('c-sh');
    expect(nearest(at('dongguan'), centers)?.place.id).toBe('c-sz');
    expect(nearest(at('tianjin'), centers)?.place.id).toBe('c-bj');
    expect(nearest(at('chongqing'), centers)?.place.id).toBe('c-cd');
    expect(nearest(at('urumqi'), centers)?.place.id).toBe('c-cd');
    const twins = [
      { id: 'b', latitude: 30, longitude: 120 },
      { id: 'a', latitude: 30, longitude: 120 },
    ];
    expect(nearest({ latitude: 31, longitude: 121 }, twins)?.place.id).toBe('a');
    expect(nearest({ latitude: 31, longitude: 121 }, [])).toBeUndefined();
  });

  it('no center is closer than the one chosen (property)', () => {
    const point = fc.record({
      latitude: fc.double({ min: -89, max: 89, noNaN: true }),
      longitude: fc.double({ min: -179, max: 179, noNaN: true }),
    });
    fc.assert(
      fc.property(
        point,
        fc.array(fc.tuple(point, fc.uuid()), { minLength: 1, maxLength: 20 }),
        (from, raw) => {
          const places = raw.map(([p, id]) => ({ ...p, id }));
          const best = nearest(from, places);
          if (!best) throw new Error('some place is nearest');
          for (const p of places) expect(best.distanceKm).toBeLessThanOrEqual(distanceKm(from, p));
        },
      ),
    );
  });

  it('bundles a city list with both names and valid coordinates', () => {
    expect(cities.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cities.map((c) => c.id)).size).toBe(cities.length);
    for (const c of cities) {
      expect(isValidPoint(c)).toBe(true);
      expect(c.name.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(isValidPoint({ latitude: 91, longitude: 0 })).toBe(false);
    expect(isValidPoint({ latitude: Number.NaN, longitude: 0 })).toBe(false);
  });
});
