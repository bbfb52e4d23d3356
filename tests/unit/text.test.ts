import { describe, expect, test } from "vitest";

import {
  cleanMultiline,
  cleanSingleLine,
  isHttpUrl,
  safeHeaderValue,
  slugify,
  truncate,
} from "~/utils/text";

describe("cleanSingleLine", () => {
  test("turns line breaks, tabs and controls into single spaces and trims", () => {
    expect(cleanSingleLine("  Arts\ton\r\nPrescription\u0000 \u0085 day \u2028 ", 100)).toBe(
      "Arts on Prescription day",
    );
  });

  test("normalises to NFC", () => {
    expect(cleanSingleLine("Cafe\u0301", 100)).toBe("Caf\u00e9");
  });

  test("cuts to maxLen code points without splitting an emoji", () => {
    expect(cleanSingleLine("abc🎨def", 4)).toBe("abc🎨");
    expect(cleanSingleLine("abc def", 4)).toBe("abc");
    expect(cleanSingleLine("", 10)).toBe("");
  });
});

describe("cleanMultiline", () => {
  test("keeps newlines, drops carriage returns and other controls", () => {
    expect(cleanMultiline("Line one\r\nLine two\u0007\r\n\r\nPara\u0000 two\u009b")).toBe(
      "Line one\nLine two\n\nPara two",
    );
  });

  test("drops leading blank lines and trailing whitespace but keeps indentation", () => {
    expect(cleanMultiline("\n \n    code\n  text  \n\n")).toBe("    code\n  text");
  });

  test("widens tabs so indented code survives", () => {
    expect(cleanMultiline("\tcode")).toBe("    code");
  });

  test("normalises to NFC", () => {
    expect(cleanMultiline("nai\u0308ve")).toBe("na\u00efve");
  });
});

describe("isHttpUrl", () => {
  test.each([
    "https://www.england.nhs.uk/personalisedcare/social-prescribing/",
    "http://example.org",
    "HTTPS://EXAMPLE.ORG/Path?q=1#x",
    "https://example.org:8443/a",
    "https://bücher.example/",
  ])("accepts %j", (url) => {
    expect(isHttpUrl(url)).toBe(true);
  });

  test.each([
    "javascript:alert(1)",
    "data:text/html,hi",
    "ftp://example.org",
    "mailto:a@example.org",
    "//example.org",
    "/relative",
    "example.org",
    "https://user:pass@example.org",
    "https://user@example.org",
    "http:example.org",
    "https:\\\\example.org",
    "https:/example.org",
    " https://example.org",
    "https://example.org ",
    "https://exa mple.org",
    "https://example.org/\nSet-Cookie",
    "https://",
    "",
  ])("refuses %j", (url) => {
    expect(isHttpUrl(url)).toBe(false);
  });
});

describe("slugify", () => {
  test.each([
    ["Making sense of social prescribing", "making-sense-of-social-prescribing"],
    ["Arts & Health: North West", "arts-and-health-north-west"],
    ["Café Scientifique — Mánchester", "cafe-scientifique-manchester"],
    ["People’s Health Trust", "peoples-health-trust"],
    ["  --Already--slugged--  ", "already-slugged"],
    ["Straße", "strasse"],
    ["2025/26 Outcomes framework", "2025-26-outcomes-framework"],
    ["<script>", "script"],
    ["!!!", ""],
  ])("%j → %j", (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  test("caps length at a word boundary", () => {
    const slug = slugify("word ".repeat(40));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug).toMatch(/^(word-)*word$/);
  });
});

describe("safeHeaderValue", () => {
  test("removes CR/LF so no header can be injected", () => {
    const value = safeHeaderValue("New event\r\nBcc: everyone@example.org\n\nbody");
    expect(value).toBe("New event Bcc: everyone@example.org body");
    expect(value).not.toMatch(/[\r\n]/);
  });

  test("removes other controls and separators", () => {
    expect(safeHeaderValue("a\u0000b\u0085c\u2028d\te")).toBe("a b c d e");
  });
});

describe("truncate", () => {
  test("leaves short text alone", () => {
    expect(truncate("Short", 10)).toBe("Short");
    expect(truncate("Exactly10!", 10)).toBe("Exactly10!");
  });

  test("cuts at a word boundary and adds an ellipsis within the limit", () => {
    const out = truncate("Volunteering for wellbeing with ten museums", 20);
    expect(out).toBe("Volunteering for…");
    expect(Array.from(out).length).toBeLessThanOrEqual(20);
  });

  test("keeps a word that ends exactly at the limit", () => {
    expect(truncate("Ten museums, more", 13)).toBe("Ten museums…");
  });

  test("cuts a single long word mid-word", () => {
    expect(truncate("Supercalifragilistic", 8)).toBe("Superca…");
  });

  test("never splits a surrogate pair", () => {
    expect(truncate("🎨🎭🎵🚲🍎", 3)).toBe("🎨🎭…");
  });

  test("edge lengths", () => {
    expect(truncate("abc", 0)).toBe("");
    expect(truncate("abc", 1)).toBe("…");
  });
});
