import { describe, expect, it } from "vitest";
import { VersionedCache } from "../../app/utils/versioned-cache";

describe("VersionedCache", () => {
  it("serves an entry only at the version it was made at", () => {
    const cache = new VersionedCache<string>(10);
    expect(cache.set("a", 1, "one")).toBe("one");
    expect(cache.get("a", 1)).toBe("one");
    expect(cache.get("a", 2)).toBeUndefined();
    expect(cache.get("a", "1")).toBeUndefined();
    cache.set("a", 2, "two");
    expect(cache.get("a", 1)).toBeUndefined();
    expect(cache.get("a", 2)).toBe("two");
    expect(cache.size).toBe(1);
  });

  it("lets the least recently used entry go when full", () => {
    const cache = new VersionedCache<number>(2);
    cache.set("a", 1, 1);
    cache.set("b", 1, 2);
    expect(cache.get("a", 1)).toBe(1); // a is now the most recently used
    cache.set("c", 1, 3);
    expect(cache.get("b", 1)).toBeUndefined();
    expect(cache.get("a", 1)).toBe(1);
    expect(cache.get("c", 1)).toBe(3);
    expect(cache.size).toBe(2);
  });

  it("does not remember undefined, and forgets what it replaces", () => {
    const cache = new VersionedCache<string | undefined>(2);
    cache.set("a", 1, "x");
    cache.set("a", 1, undefined);
    expect(cache.get("a", 1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
