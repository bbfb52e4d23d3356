import { describe, expect, test } from "vitest";
import { matchQuery, titleOnly } from "~/models/search/fts.pg.server";
import { SYNONYM_GROUPS } from "~/models/search/synonyms";
import { synonymMap } from "~/utils/fts.server";

const SYNONYMS = synonymMap(SYNONYM_GROUPS);
const parts = (q: string) => {
  const m = matchQuery(q, SYNONYMS);
  return m === null ? null : (JSON.parse(m) as { all: string; prefix: string });
};

describe("PostgreSQL tsquery text from what someone typed", () => {
  test.each([
    ["walking", { all: "", prefix: "'walking':*" }],
    ["walk talk", { all: "'walk'", prefix: "'talk':*" }],
    ['"walk and talk"', { all: "'walk' <-> 'and' <-> 'talk'", prefix: "" }],
    ["title:walk", { all: "'title' <-> 'walk':*", prefix: "" }],
    ["covid-19", { all: "'covid' <-> ('19':* | '-19':*)", prefix: "" }],
    ["lonely", { all: "('loneliness' | 'lonely' | 'isolation' | 'isolated' | 'befriending' | 'befriend')", prefix: "" }],
    ["physical activity classes", { all: "('exercise' | 'physical' <-> 'activity' | 'fitness' | 'keep' <-> 'fit')", prefix: "'classes':*" }],
  ])("%j → %j", (q, expected) => {
    expect(parts(q)).toEqual(expected);
  });

  test.each([`'"():*&|!<->\\`, "", "   ", "!!!", "&|", "<->", ":*", "''", "\\\\"])("%j has nothing searchable", (q) => {
    expect(parts(q)).toBeNull();
  });

  test("hostile text leaves only quoted words and the operators chosen here", () => {
    for (const q of ["walk:* & !talk | x", "a' | 'b", "x\\' & 'y", "(a <2> b)", "NEAR(a b)", "'; DROP TABLE x; --", "$$x$$", "a\u0000b"]) {
      const p = parts(q);
      const text = `${p?.all ?? ""} ${p?.prefix ?? ""}`;
      // Remove every quoted lexeme: what is left is only operators, brackets and spaces.
      const rest = text.replace(/'[\p{L}\p{N}\p{M}-]+'(:\*)?/gu, "");
      expect(rest, q).toMatch(/^[\s&|()<\->]*$/);
      expect(rest, q).not.toMatch(/!|<\d>/);
    }
  });

  test("held to titles, every lexeme is restricted to weight A", () => {
    expect(JSON.parse(titleOnly(matchQuery("walk talk", SYNONYMS) ?? ""))).toEqual({ all: "'walk':A", prefix: "'talk':*A" });
    expect(JSON.parse(titleOnly(matchQuery("covid-19 money", SYNONYMS) ?? "")).all).toBe(
      "'covid':A <-> ('19':A | '-19':A) & ('money':A | 'debt':A | 'benefits':A | 'finance':A | 'financial':A)",
    );
  });
});
