import { describe, expect, it } from "vitest";
import { HIT_END, HIT_START, splitHighlight, withoutEmphasis } from "../../app/models/search/highlight";

describe("search snippets", () => {
  it("drop Markdown emphasis marks, which would show as asterisks", () => {
    expect(withoutEmphasis("**Save the date.** The North West network")).toBe("Save the date. The North West network");
    expect(withoutEmphasis("Part of **Science Week**: an *evening* of __talks__")).toBe("Part of Science Week: an evening of talks");
  });

  it("keep a lone asterisk between spaces and underscores inside words", () => {
    expect(withoutEmphasis("open 24 * 7, see snake_case")).toBe("open 24 * 7, see snake_case");
  });

  it("keep the match marks when emphasis wraps a hit", () => {
    expect(splitHighlight(`a ${HIT_START}**walk**${HIT_END} and **${HIT_START}talk${HIT_END}**`)).toEqual([
      { text: "a ", hit: false },
      { text: "walk", hit: true },
      { text: " and ", hit: false },
      { text: "talk", hit: true },
    ]);
  });
});
