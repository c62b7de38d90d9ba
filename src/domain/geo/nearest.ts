export type Point = { latitude: number; longitude: number };

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance: good to well under 1 % for choosing between service centers. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function isValidPoint(p: Point): boolean {
  return (
    Number.isFinite(p.latitude) &&
    Number.isFinite(p.longitude) &&
    Math.abs(p.latitude) <= 90 &&
    Math.abs(p.longitude) <= 180
  );
}

/**
 * The nearest of `places` to `from`, with its distance; ties go to the smaller id so the same
 * customer is always sent to the same center.
 */
export function nearest<T extends Point & { id: string }>(
  from: Point,
  places: readonly T[],
): { place: T; distanceKm: number } | undefined {
  let best: { place: T; distanceKm: number } | undefined;
  for (const place of places) {
    const d = distanceKm(from, place);
    if (!best || d < best.distanceKm || (d === best.distanceKm && place.id < best.place.id)) {
      best = { place, distanceKm: d };
    }
  }
  return best;
}
