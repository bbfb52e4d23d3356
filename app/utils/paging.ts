/** `?page=` as a page number: 1 for anything missing or odd, capped so OFFSET stays sane. */
export function pageParam(value: string | null | undefined): number {
  const n = Number(value ?? "1");
  return Number.isSafeInteger(n) && n >= 1 ? Math.min(n, 100_000) : 1;
}

/** Clamps a page to 1..pages for a total, and returns the OFFSET to use. */
export function pageWindow(total: number, page: number, size: number): { page: number; pages: number; offset: number } {
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(1, page), pages);
  return { page: current, pages, offset: (current - 1) * size };
}

/** A LIKE pattern (used with `escape '\'`) that matches `text` literally anywhere, case folded by the caller. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
