import MarkdownIt from "markdown-it";
import type { MarkdownIt as Renderer, Token } from "markdown-it";

import { truncate } from "./text";

const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const LINK_REL = "ugc nofollow noopener";
// Pages own h1 and h2; member content starts at h3 so it never competes with the page outline.
const HEADING_OFFSET = 2;

/**
 * markdown-it hands us the destination after decoding entities and backslash escapes, so
 * "jav&#x61;script:" arrives as "javascript:". An allow-list parsed with the same WHATWG URL
 * parser the browser uses means there is no scheme trick we have to think of in advance;
 * relative and protocol-relative URLs have no scheme and are refused too.
 */
export function isAllowedLinkUrl(url: string): boolean {
  // Browsers ignore tabs and newlines inside URLs; refuse them instead of guessing.
  if (/[\u0000-\u0020\u007F-\u009F]/.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!ALLOWED_PROTOCOLS.has(parsed.protocol)) return false;
  if (parsed.protocol === "mailto:") return parsed.pathname.includes("@");
  return parsed.hostname !== "";
}

function createRenderer(): Renderer {
  const md = new MarkdownIt("default", {
    html: false,
    linkify: true,
    typographer: false,
    breaks: false,
  });
  md.validateLink = isAllowedLinkUrl;
  // People in this sector write "www.ageuk.org.uk" far more often than "https://…", but
  // fuzzy matching also links "readme.md" and "notes.zip", so only "www." survives below.
  md.linkify.set({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: false });
  md.core.ruler.after("linkify", "keep_www_fuzzy_links_only", (state) => {
    for (const block of state.tokens) {
      if (block.type === "inline" && block.children) block.children = unlinkBareDomains(block.children);
    }
  });

  md.core.ruler.push("mark_images_inside_links", (state) => {
    for (const block of state.tokens) {
      if (block.type === "inline" && block.children) markImagesInsideLinks(block.children);
    }
  });

  md.core.ruler.push("demote_headings", (state) => {
    for (const token of state.tokens) {
      if (token.type === "heading_open" || token.type === "heading_close") {
        const level = Number(token.tag.slice(1));
        token.tag = `h${Math.min(6, level + HEADING_OFFSET)}`;
      }
    }
  });

  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx];
    // Title tooltips are unreachable by keyboard and touch, so they only add attack surface.
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== "title");
    token.attrSet("rel", LINK_REL);
    return self.renderToken(tokens, idx, options);
  };

  // A remote <img> is a tracking pixel that fires for every reader, so show a link instead.
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const alt = self.renderInlineAsText(token.children ?? [], options, env).trim();
    const escapedAlt = md.utils.escapeHtml(alt === "" ? "image" : alt);
    // Nested <a> elements are invalid HTML and browsers split them unpredictably.
    if (token.meta?.insideLink === true) return escapedAlt;
    const src = md.utils.escapeHtml(String(token.attrGet("src") ?? ""));
    const label = alt === "" ? escapedAlt : `Image: ${escapedAlt}`;
    return `<a href="${src}" rel="${LINK_REL}">${label}</a>`;
  };

  return md;
}

function unlinkBareDomains(children: Token[]): Token[] {
  const kept: Token[] = [];
  for (let i = 0; i < children.length; i++) {
    const open = children[i];
    const text = children[i + 1];
    const close = children[i + 2];
    const isBareDomain =
      open.type === "link_open" &&
      open.markup === "linkify" &&
      text?.type === "text" &&
      close?.type === "link_close" &&
      /^https?:/i.test(String(open.attrGet("href") ?? "")) &&
      !/^(?:https?:\/\/|www\.)/i.test(text.content);
    if (isBareDomain) {
      kept.push(text);
      i += 2;
    } else {
      kept.push(open);
    }
  }
  return kept;
}

function markImagesInsideLinks(children: Token[]): void {
  let depth = 0;
  for (const token of children) {
    if (token.type === "link_open") depth++;
    else if (token.type === "link_close") depth--;
    else if (token.type === "image" && depth > 0) token.meta = { insideLink: true };
  }
}

let renderer: Renderer | undefined;

function getRenderer(): Renderer {
  renderer ??= createRenderer();
  return renderer;
}

/**
 * Rendered Markdown, remembered by its source: a page shows the same posts and descriptions to
 * every reader until someone edits them, and rendering (linkify above all) was a fifth of a long
 * thread's page time. The output depends on nothing but the source, so a hit is exact. Bounded
 * by entries and by characters held, oldest first out.
 */
const rendered = new Map<string, string>();
const RENDERED_KEPT = 5000;
const RENDERED_MAX_CHARS = 16 * 1024 * 1024;
let renderedChars = 0;

/** Renders member-written Markdown to HTML that is safe to insert into a page. */
export function renderMarkdown(src: string): string {
  const seen = rendered.get(src);
  if (seen !== undefined) return seen;
  const html = getRenderer().render(src);
  if (src.length + html.length > RENDERED_MAX_CHARS / 64) return html;
  rendered.set(src, html);
  renderedChars += src.length + html.length;
  while (rendered.size > RENDERED_KEPT || renderedChars > RENDERED_MAX_CHARS) {
    const [oldSrc, oldHtml] = rendered.entries().next().value!;
    rendered.delete(oldSrc);
    renderedChars -= oldSrc.length + oldHtml.length;
  }
  return html;
}

/**
 * Markdown to readable plain text: paragraphs separated by blank lines, list items with
 * "- ", links as "text (url)" so an email's text part keeps them. With `maxLength` the
 * result is flattened to one line and shortened, for summaries and previews.
 */
export function markdownToPlainText(src: string, maxLength?: number): string {
  const md = getRenderer();
  const blocks: PlainBlock[] = [];
  let current = "";
  let listDepth = 0;
  let topLevelListCount = 0;
  const listId = (): number | null => (listDepth > 0 ? topLevelListCount : null);

  for (const token of md.parse(src, {})) {
    switch (token.type) {
      case "bullet_list_open":
      case "ordered_list_open":
        if (listDepth === 0) topLevelListCount++;
        listDepth++;
        break;
      case "bullet_list_close":
      case "ordered_list_close":
        listDepth--;
        break;
      case "list_item_open": {
        const isOrdered = token.markup === "." || token.markup === ")";
        const marker = isOrdered ? `${token.info}${token.markup}` : "-";
        current += `${"  ".repeat(Math.max(0, listDepth - 1))}${marker} `;
        break;
      }
      case "inline":
        current += inlineToPlainText(token.children ?? []);
        break;
      case "code_block":
      case "fence":
        current += token.content.replace(/\n$/, "");
        break;
      case "hr":
        current += "---";
        break;
    }
    if (endsBlock(token)) {
      if (current.trim() !== "") blocks.push({ text: current.trimEnd(), listId: listId() });
      current = "";
    }
  }
  if (current.trim() !== "") blocks.push({ text: current.trimEnd(), listId: listId() });

  const text = joinBlocks(blocks);
  if (maxLength === undefined) return text;
  return truncate(text.replace(/\s+/g, " ").trim(), maxLength);
}

function endsBlock(token: Token): boolean {
  return (
    token.type === "paragraph_close" ||
    token.type === "heading_close" ||
    token.type === "code_block" ||
    token.type === "fence" ||
    token.type === "hr" ||
    token.type === "th_close" ||
    token.type === "td_close"
  );
}

interface PlainBlock {
  text: string;
  listId: number | null;
}

function joinBlocks(blocks: PlainBlock[]): string {
  // Items of one list stay on consecutive lines; everything else gets a blank line between.
  let out = "";
  for (const [i, block] of blocks.entries()) {
    if (i > 0) {
      const sameList = block.listId !== null && block.listId === blocks[i - 1].listId;
      out += sameList ? "\n" : "\n\n";
    }
    out += block.text;
  }
  return out;
}

function inlineToPlainText(children: Token[]): string {
  let out = "";
  let linkHref: string | null = null;
  let linkText = "";
  let linkIsBare = false;
  for (const child of children) {
    let piece = "";
    switch (child.type) {
      case "text":
      case "code_inline":
        piece = child.content;
        break;
      case "softbreak":
      case "hardbreak":
        piece = "\n";
        break;
      case "image": {
        const alt = inlineToPlainText(child.children ?? []).trim();
        const src = String(child.attrGet("src") ?? "");
        piece = linkHref === null ? withUrl(alt === "" ? "image" : alt, src) : alt;
        break;
      }
      case "link_open":
        linkHref = String(child.attrGet("href") ?? "");
        linkText = "";
        // Autolinks and linkified text already show their address.
        linkIsBare = child.markup === "linkify" || child.markup === "autolink";
        continue;
      case "link_close":
        out += linkIsBare ? linkText : withUrl(linkText, linkHref ?? "");
        linkHref = null;
        continue;
    }
    if (linkHref === null) out += piece;
    else linkText += piece;
  }
  return out;
}

function withUrl(text: string, href: string): string {
  const visible = text.trim();
  const bare = href.replace(/^mailto:/, "");
  if (visible === "" || visible === href || visible === bare) return href === "" ? visible : bare;
  return `${visible} (${bare})`;
}
