// Client-safe text helpers: no Node imports, so forms and components can share them.

// C0 and C1 control characters plus DEL, and the Unicode line/paragraph separators,
// which some clients treat as line breaks and so can split a single-line value.
const CONTROL_OR_SEPARATOR = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
const CONTROL_EXCEPT_NEWLINE_AND_TAB = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function cleanSingleLine(s: string, maxLen: number): string {
  const cleaned = s
    .normalize("NFC")
    .replace(CONTROL_OR_SEPARATOR, " ")
    .replace(/\s+/g, " ")
    .trim();
  return sliceCodePoints(cleaned, maxLen).trimEnd();
}

export function cleanMultiline(s: string): string {
  return (
    s
      .normalize("NFC")
      .replace(/\r/g, "")
      .replace(/[\u2028\u2029]/g, "\n")
      // Tabs are significant in Markdown (indented code), so widen them rather than drop them.
      .replace(/\t/g, "    ")
      .replace(CONTROL_EXCEPT_NEWLINE_AND_TAB, "")
      .replace(/^(?:[ \u00A0]*\n)+/, "")
      .trimEnd()
  );
}

export function isHttpUrl(s: string): boolean {
  // The URL parser forgives "http:example.com", "https:\\example.com" and surrounding
  // whitespace; people (and browsers) read those differently, so insist on the plain form.
  if (!/^https?:\/\/[^\s\\/]/i.test(s) || /[\s\u0000-\u001F\u007F-\u009F\\]/.test(s)) return false;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (url.username !== "" || url.password !== "") return false;
  return url.hostname !== "";
}

const SLUG_MAX_LENGTH = 80;

export function slugify(s: string): string {
  const slug = s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/æ/g, "ae")
    .replace(/œ/g, "oe")
    .replace(/ø/g, "o")
    .replace(/&/g, " and ")
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= SLUG_MAX_LENGTH) return slug;
  const cut = slug.slice(0, SLUG_MAX_LENGTH);
  const lastDash = cut.lastIndexOf("-");
  return (lastDash > SLUG_MAX_LENGTH / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/, "");
}

export function safeHeaderValue(s: string): string {
  // A CR or LF in a header value would let a user add headers (Bcc:) or a body to an email.
  return s
    .normalize("NFC")
    .replace(CONTROL_OR_SEPARATOR, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const ELLIPSIS = "…";

/** Shortens to at most `n` code points, preferring a word boundary, ending with "…" when cut. */
export function truncate(s: string, n: number): string {
  const codePoints = Array.from(s);
  if (codePoints.length <= n) return s;
  if (n <= 0) return "";
  if (n === 1) return ELLIPSIS;
  const cut = codePoints.slice(0, n - 1).join("");
  const endsAtWord = /\s/.test(codePoints[n - 1]);
  const lastSpace = cut.search(/\s\S*$/);
  // Break at a word only when that keeps most of the text; one very long word is cut mid-word.
  const atWord = !endsAtWord && lastSpace > cut.length * 0.6 ? cut.slice(0, lastSpace) : cut;
  return atWord.replace(/[\s,;:.\-–—]+$/u, "") + ELLIPSIS;
}

function sliceCodePoints(s: string, max: number): string {
  if (s.length <= max) return s;
  return Array.from(s).slice(0, Math.max(0, max)).join("");
}
