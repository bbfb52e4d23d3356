/**
 * Match marks in titles and snippets. Both dialects (FTS5's highlight()/snippet(), PostgreSQL's
 * ts_headline) wrap hits in these; stored text never contains control characters
 * (cleanSingleLine/cleanMultiline remove them), so they cannot be forged.
 */
export const HIT_START = "\u0002";
export const HIT_END = "\u0003";

/** Text cut into plain and matched parts, rendered by React as text and <mark>: never raw HTML. */
export type HighlightPart = { text: string; hit: boolean };

export function splitHighlight(s: string | null | undefined): HighlightPart[] {
  const parts: HighlightPart[] = [];
  let hit = false;
  let buffer = "";
  for (const ch of withoutEmphasis(s ?? "")) {
    if (ch === HIT_START || ch === HIT_END) {
      if (buffer) parts.push({ text: buffer, hit });
      buffer = "";
      hit = ch === HIT_START;
      continue;
    }
    buffer += ch;
  }
  if (buffer) parts.push({ text: buffer, hit });
  return parts;
}

/**
 * Bodies are Markdown, and a snippet is a cut of the indexed text: the emphasis marks (`**bold**`,
 * `*em*`, `__bold__`) would show as asterisks, so they go. A lone `*` between spaces ("24 * 7") stays.
 */
export function withoutEmphasis(s: string): string {
  return s.replace(/(\*{1,3}|_{2,3})(?=[^\s*_])|(?<=[^\s*_\u0002\u0003])(\*{1,3}|_{2,3})/g, "").replace(/(?<=[\u0002\u0003])(\*{1,3}|_{2,3})|(\*{1,3}|_{2,3})(?=[\u0002\u0003])/g, "");
}
