/** Shared by the benchmarks: timing and percentiles. */

export function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p99: q(0.99), max: s[s.length - 1] };
}

/** Runs `fn` a few times to warm caches, then `runs` timed times (milliseconds each). */
export async function time(fn: (i: number) => Promise<unknown>, runs = 30, warmUp = 3): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}
