// SQLite FTS5 query building. FTS5's query language (AND/OR/NOT, NEAR(), "col:", "^", "*",
// parentheses) turns ordinary search box text into syntax errors or surprising filters, so
// user text is never passed through: every term becomes a double-quoted string, which FTS5
// treats as plain words, and only the operators chosen here are added.

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
 * Turns whatever someone typed into a safe FTS5 MATCH expression, or null when nothing
 * searchable is left. Words are ANDed; text the user put in double quotes stays a phrase;
 * a run like "covid-19" or "title:foo" becomes the phrase its words make; the last unquoted
 * term is a prefix match so results appear while typing. A word (or two-word phrase) found in
 * `synonyms` becomes its whole group ORed together, and is not a prefix.
 */
export function toFtsQuery(userText: string, synonyms?: SynonymMap): string | null {
  const text = Array.from(userText.normalize("NFC")).slice(0, MAX_INPUT_LENGTH).join("");
  const terms = capWords(parseTerms(text), MAX_TERMS);
  if (terms.length === 0) return null;

  const parts: string[] = [];
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i];
    if (synonyms && !term.quoted) {
      const next = terms[i + 1];
      const pair = next && !next.quoted && term.words.length === 1 && next.words.length === 1 ? synonyms.get(`${term.words[0]} ${next.words[0]}`.toLowerCase()) : undefined;
      const group = pair ?? synonyms.get(term.words.join(" ").toLowerCase());
      if (group) {
        parts.push(`(${group.map((phrase) => `"${phrase.join(" ")}"`).join(" OR ")})`);
        if (pair) i++;
        continue;
      }
    }
    const phrase = `"${term.words.join(" ")}"`;
    parts.push(i === terms.length - 1 && !term.quoted ? `${phrase}*` : phrase);
  }
  // FTS5 has no implicit AND next to a parenthesised group, so spell it out when there is one.
  return parts.join(parts.some((p) => p.startsWith("(")) ? " AND " : " ");
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
