/** "Near a postcode": the distances a person can choose and how a distance is written (client-safe). */
export const WITHIN_MILES = [1, 2, 5, 10, 25, 50, 100] as const;
export const DEFAULT_WITHIN = 10;

/** The within=… parameter, or the default when it is not one of the choices. */
export function withinFrom(value: string | null): number {
  const n = Number(value ?? DEFAULT_WITHIN);
  return WITHIN_MILES.find((w) => w === n) ?? DEFAULT_WITHIN;
}

/** "0.4 miles", "1 mile", "2.3 miles", "14 miles". */
export function formatMiles(miles: number): string {
  if (miles < 0.1) return "Less than 0.1 miles";
  return `${miles < 10 ? miles.toFixed(1) : Math.round(miles)} ${miles >= 0.95 && miles < 1.05 ? "mile" : "miles"}`;
}
