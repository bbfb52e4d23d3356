// Search box text → query parts, and the SQLite FTS5 rendering of them (PostgreSQL's tsquery
// rendering is in app/models/search/fts.pg.server.ts). Query languages (FTS5's AND/OR/NOT, NEAR(),
// "col:", "^", "*", parentheses; tsquery's & | ! <-> :* and quotes) turn ordinary search box text
// into syntax errors or surprising filters, so user text is never passed through: only runs of
// letters and digits survive, each FTS5 term becomes a double-quoted string, which FTS5 treats as
// plain words, and only the operators chosen here are added.

const MAX_TERMS = 32;
const MAX_INPUT_LENGTH = 500;
// A word starts with a letter or digit; combining marks stay attached so "e\u0301" is one word.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

interface Term {
  words: string[];
  quoted: boolean;
}

/** Lower-case word or two-word phrase → every phrase of its group (each a list of words). */
export type SynonymMap = ReadonlyMap<string, readonly string[][]>;

export function synonymMap(groups: readonly (readonly string[])[]): SynonymMap {
  const map = new Map<string, string[][]>();
  for (const group of groups) {
    const phrases = group.map((entry) => wordsIn(entry.normalize("NFC").toLowerCase()));
    for (const phrase of phrases) map.set(phrase.join(" "), phrases);
  }
  return map;
}

/**
 * One part of what someone typed, every part required: a phrase (its words in order; the last
 * word a prefix when `prefix`), or a synonym group, any one of whose phrases may match. Each word
 * is a run of letters and digits, so no part can carry query syntax of any engine.
 */
export type QueryPart = { phrase: string[]; prefix: boolean } | { anyOf: string[][] };

/**
 * Reads whatever someone typed into query parts, or null when nothing searchable is left.
 * Words are ANDed; text the user put in double quotes stays a phrase; a run like "covid-19" or
 * "title:foo" becomes the phrase its words make; the last unquoted term is a prefix match so
 * results appear while typing. A word (or two-word phrase) found in `synonyms` becomes its whole
 * group, and is not a prefix. Each dialect renders the parts in its own query language.
 */
export function queryParts(userText: string, synonyms?: SynonymMap): QueryPart[] | null {
  const text = Array.from(userText.normalize("NFC")).slice(0, MAX_INPUT_LENGTH).join("");
  const terms = capWords(parseTerms(text), MAX_TERMS);
  if (terms.length === 0) return null;

  const parts: QueryPart[] = [];
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i];
    if (synonyms && !term.quoted) {
      const next = terms[i + 1];
      const pair = next && !next.quoted && term.words.length === 1 && next.words.length === 1 ? synonyms.get(`${term.words[0]} ${next.words[0]}`.toLowerCase()) : undefined;
      const group = pair ?? synonyms.get(term.words.join(" ").toLowerCase());
      if (group) {
        parts.push({ anyOf: group.map((phrase) => [...phrase]) });
        if (pair) i++;
        continue;
      }
    }
    parts.push({ phrase: term.words, prefix: i === terms.length - 1 && !term.quoted });
  }
  return parts;
}

/** Turns whatever someone typed into a safe FTS5 MATCH expression (see queryParts), or null when nothing searchable is left. */
export function toFtsQuery(userText: string, synonyms?: SynonymMap): string | null {
  const parts = queryParts(userText, synonyms);
  if (!parts) return null;
  const rendered = parts.map((part) =>
    "anyOf" in part ? `(${part.anyOf.map((phrase) => `"${phrase.join(" ")}"`).join(" OR ")})` : `"${part.phrase.join(" ")}"${part.prefix ? "*" : ""}`,
  );
  // FTS5 has no implicit AND next to a parenthesised group, so spell it out when there is one.
  return rendered.join(rendered.some((p) => p.startsWith("(")) ? " AND " : " ");
}

function parseTerms(text: string): Term[] {
  const parts = text.split('"');
  const terms: Term[] = [];
  for (const [i, part] of parts.entries()) {
    // Odd parts sit between quotes; an odd part with no closing quote after it is plain text.
    const isClosedQuote = i % 2 === 1 && i < parts.length - 1;
    if (isClosedQuote) {
      const words = wordsIn(part);
      if (words.length > 0) terms.push({ words, quoted: true });
      continue;
    }
    for (const chunk of part.split(/\s+/)) {
      const words = wordsIn(chunk);
      if (words.length > 0) terms.push({ words, quoted: false });
    }
  }
  return terms;
}

function wordsIn(s: string): string[] {
  return s.match(WORD) ?? [];
}

function capWords(terms: Term[], max: number): Term[] {
  const kept: Term[] = [];
  let remaining = max;
  for (const term of terms) {
    if (remaining <= 0) break;
    const words = term.words.slice(0, remaining);
    remaining -= words.length;
    kept.push({ words, quoted: term.quoted });
  }
  return kept;
}
