import Database from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";

import { synonymMap, toFtsQuery } from "~/utils/fts.server";

const db = new Database(":memory:");
db.exec("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')");
const insert = db.prepare("INSERT INTO t (rowid, title, body) VALUES (?, ?, ?)");
insert.run(1, "Making sense of social prescribing", "A guide for link workers and commissioners.");
insert.run(2, "Sense-making workshop", "Social prescribing: making it work in rural Cumbria.");
insert.run(3, "Café culture in Manchester", "Museums and volunteering for wellbeing; COVID-19 recovery.");
insert.run(4, "title foo", "Don't panic: NEAR AND OR NOT are just words here.");
afterAll(() => db.close());

const search = db.prepare<[string], { rowid: number }>(
  "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid",
);

function matches(userText: string): number[] {
  const query = toFtsQuery(userText);
  if (query === null) return [];
  return search.all(query).map((row) => row.rowid);
}

describe("toFtsQuery", () => {
  test.each([
    ["making sense", '"making" "sense"*'],
    ['"making sense"', '"making sense"'],
    ["mak", '"mak"*'],
    ["AND OR NEAR(", '"AND" "OR" "NEAR"*'],
    ["title:foo", '"title foo"*'],
    ["^x", '"x"*'],
    ['"unbalanced', '"unbalanced"*'],
    ['social "making sense" guide', '"social" "making sense" "guide"*'],
    ["covid-19", '"covid 19"*'],
    ["a\0b", '"a b"*'],
  ])("%j → %s", (input, expected) => {
    expect(toFtsQuery(input)).toBe(expected);
  });

  test.each(["", "   ", "*", '""', '"', "()", "^", ":", "-", "\0", "\u0301", "!!! ??? ..."])(
    "%j has nothing searchable",
    (input) => {
      expect(toFtsQuery(input)).toBeNull();
    },
  );

  test("caps the number of words at 32", () => {
    const query = toFtsQuery(Array.from({ length: 100 }, (_, i) => `w${i}`).join(" "));
    expect(query?.match(/"/g)).toHaveLength(64);
    expect(query).toContain('"w31"*');
    expect(query).not.toContain("w32");
  });

  test("caps the words taken from a long quoted phrase too", () => {
    const query = toFtsQuery(`"${"word ".repeat(50)}"`);
    expect(query?.split(" ")).toHaveLength(32);
  });

  test("reads at most 500 characters of input", () => {
    const query = toFtsQuery(`${"x".repeat(499)} secret`);
    expect(query).toBe(`"${"x".repeat(499)}"*`);
  });
});

describe("toFtsQuery against a real FTS5 table", () => {
  const hostile = [
    "making sense",
    '"making sense"',
    "mak",
    "AND OR NEAR(",
    "title:foo",
    "*",
    "^x",
    "x".repeat(5_000),
    "word ".repeat(1_000),
    "NEAR(a b, 5) OR title:x AND -y ^z*",
    "a\0b",
    "\0",
    '"unbalanced',
    'unbalanced"',
    '"a" "b',
    "((((",
    ")",
    "{title body}: foo",
    "- NOT",
    "'; DROP TABLE t; --",
    "\u202Eevil\u202C",
    "🙂 emoji",
    "🙂",
  ];

  test.each(hostile)("%j never throws", (input) => {
    expect(() => matches(input)).not.toThrow();
  });

  test("phrases, words and prefixes match as expected", () => {
    expect(matches("making sense")).toEqual([1, 2]);
    expect(matches('"making sense"')).toEqual([1]);
    expect(matches('"sense making"')).toEqual([2]);
    expect(matches("mak")).toEqual([1, 2]);
    expect(matches("social presc")).toEqual([1, 2]);
    expect(matches("sense-making")).toEqual([2]);
    expect(matches("COVID-19")).toEqual([3]);
    expect(matches("cafe")).toEqual([3]);
    expect(matches("Café")).toEqual([3]);
    expect(matches("manchester museums")).toEqual([3]);
  });

  test("operator words are searched as words, not obeyed", () => {
    expect(matches("AND OR NEAR(")).toEqual([4]);
    expect(matches("title:foo")).toEqual([4]);
    expect(matches("NOT panic")).toEqual([4]);
    expect(matches("don't")).toEqual([4]);
    expect(matches("^x")).toEqual([]);
  });

  test("the table still exists after an injection attempt", () => {
    matches("'; DROP TABLE t; --");
    expect(matches("making")).toEqual([1, 2]);
  });
});

describe("synonyms and stemming", () => {
  const stemmed = new Database(":memory:");
  stemmed.exec("CREATE VIRTUAL TABLE s USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2')");
  const add = stemmed.prepare("INSERT INTO s (rowid, title, body) VALUES (?, ?, ?)");
  add.run(1, "Walk and talk", "A weekly walk for people feeling lonely");
  add.run(2, "Befriending service", "Volunteers visit people at home");
  add.run(3, "Walking football", "Physical activity for older men");
  add.run(4, "Debt advice", "Help with money and benefits");
  afterAll(() => stemmed.close());
  const synonyms = synonymMap([
    ["loneliness", "lonely", "isolation", "befriending"],
    ["exercise", "physical activity"],
    ["money", "debt", "benefits"],
  ]);
  const find = (q: string) => {
    const query = toFtsQuery(q, synonyms);
    return query === null ? [] : stemmed.prepare<[string], { rowid: number }>("SELECT rowid FROM s WHERE s MATCH ? ORDER BY rowid").all(query).map((r) => r.rowid);
  };

  test("a word in a group becomes the whole group, ORed", () => {
    expect(toFtsQuery("lonely", synonyms)).toBe('("loneliness" OR "lonely" OR "isolation" OR "befriending")');
    expect(toFtsQuery("physical activity groups", synonyms)).toBe('("exercise" OR "physical activity") AND "groups"*');
  });

  test("walk, walks and walking meet; lonely finds what loneliness finds", () => {
    expect(find("walk")).toEqual([1, 3]);
    expect(find("walks")).toEqual([1, 3]);
    expect(find("walking")).toEqual([1, 3]);
    expect(find("lonely")).toEqual([1, 2]);
    expect(find("loneliness")).toEqual(find("lonely"));
    expect(find("exercise")).toEqual([3]);
    expect(find("money")).toEqual([4]);
    expect(find("walking lonely")).toEqual([1]);
  });
});
