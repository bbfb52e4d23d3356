/**
 * A bounded memo whose entries hold only at the version they were made at: a number in the
 * database that triggers raise in the same transaction as every write that could change them
 * (feed_version, search_version). Read the version before working a value out: a write in the
 * meantime raises it, so that value is never served after the write. Each process (and each copy
 * of a module) keeps its own; all of them check the same number. The least recently used entry
 * goes first when it is full. A value of `undefined` is not remembered.
 */
export class VersionedCache<V> {
  private readonly entries = new Map<string, { version: number | string; value: V }>();

  constructor(private readonly max: number) {}

  /** What was remembered under `key` at `version`, if anything. */
  get(key: string, version: number | string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.version !== version) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  /** Remembers `value` under `key` at `version`, and returns it. */
  set(key: string, version: number | string, value: V): V {
    this.entries.delete(key);
    if (value === undefined) return value;
    this.entries.set(key, { version, value });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
