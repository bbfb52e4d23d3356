import { describe, expect, test } from "vitest";

import { isAllowedLinkUrl, markdownToPlainText, renderMarkdown } from "~/utils/markdown.server";

const ALLOWED_TAGS = new Set([
  "p", "a", "em", "strong", "s", "code", "pre", "blockquote", "hr", "br",
  "ul", "ol", "li", "h3", "h4", "h5", "h6",
  "table", "thead", "tbody", "tr", "th", "td",
]);

interface Tag {
  name: string;
  attrs: Map<string, string>;
}

// With html disabled every literal "<" in member text is escaped, so each "<" left in the
// output starts a tag the renderer made; parse those the way a browser would read them.
function tagsIn(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const match of html.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)) {
    const attrs = new Map<string, string>();
    for (const attr of match[2].matchAll(/([^\s=/]+)\s*=\s*"([^"]*)"/g)) {
      attrs.set(attr[1].toLowerCase(), decodeEntities(attr[2]));
    }
    tags.push({ name: match[1].toLowerCase(), attrs });
  }
  return tags;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function expectSafe(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<svg/i);
  expect(html).not.toMatch(/<iframe/i);
  expect(html).not.toMatch(/href\s*=\s*["']?\s*(?:javascript|vbscript|data|file):/i);
  for (const tag of tagsIn(html)) {
    expect(ALLOWED_TAGS, `unexpected <${tag.name}> in ${html}`).toContain(tag.name);
    for (const [name, value] of tag.attrs) {
      expect(name).not.toMatch(/^on/);
      expect(["href", "rel", "start", "style", "class"]).toContain(name);
      if (name === "class") expect(value).toMatch(/^language-\S+$/);
      if (name === "style") expect(value).toMatch(/^text-align:(left|right|center)$/);
      if (name === "href") expect(value).toMatch(/^(https?:\/\/[^/]|mailto:)/i);
    }
    if (tag.name === "a" && tag.attrs.size > 0) {
      expect(tag.attrs.get("rel")).toBe("ugc nofollow noopener");
      expect(tag.attrs.has("target")).toBe(false);
    }
  }
  // Attribute-looking text is fine only while it is escaped text, never inside a tag.
  for (const tag of html.match(/<[^>]*>/g) ?? []) {
    expect(tag).not.toMatch(/\son\w+\s*=/i);
  }
}

const XSS_PAYLOADS = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
  "<img src=x onerror=alert(1)>",
  '<IMG SRC="javascript:alert(\'XSS\');">',
  "<IMG SRC=JaVaScRiPt:alert('XSS')>",
  "<svg/onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  '<a href="javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  "<body onload=alert(1)>",
  '<iframe src="javascript:alert(1)"></iframe>',
  '<div style="background:url(javascript:alert(1))">',
  "[x](javascript:alert(1))",
  "[x](JAVASCRIPT:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](jav&#x61;script:alert(1))",
  "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
  "[x](java\\script:alert(1))",
  "[x](  javascript:alert(1))",
  "[x](<javascript:alert(1)>)",
  "[x](java%0ascript:alert(1))",
  "[x](vbscript:msgbox(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[x](file:///etc/passwd)",
  "[x](//evil.example/phish)",
  "[x](\\\\evil.example\\share)",
  "[x](/relative/path)",
  "[x](#fragment)",
  "[x](https://ok.example \"title\" onmouseover=alert(1))",
  '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
  "[x][ref]\n\n[ref]: javascript:alert(1)",
  "[x][ref]\n\n[ref]: https://ok.example 'x\" onclick=\"alert(1)'",
  "<javascript:alert(1)>",
  "<JAVASCRIPT:alert(1)>",
  "<vbscript:msgbox(1)>",
  "<data:text/html,<script>alert(1)</script>>",
  "![x](javascript:alert(1))",
  "![x](data:image/png;base64,iVBORw0KGgo=)",
  "![x\" onerror=\"alert(1)](https://ok.example/i.png)",
  "![<img src=x onerror=alert(1)>](https://ok.example/i.png)",
  "[![x](https://tracker.example/p.gif)](javascript:alert(1))",
  "javascript:alert(1)",
  "`<script>alert(1)</script>`",
  "```html\n<script>alert(1)</script>\n```",
  "    <script>alert(1)</script>",
  "> <script>alert(1)</script>",
  "* <img src=x onerror=alert(1)>",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#60;script&#62;alert(1)&#60;/script&#62;",
  "\u0000<script>alert(1)</script>",
  "<!-- --><script>alert(1)</script>",
  "<![CDATA[<script>alert(1)</script>]]>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:alert(1)) |",
  "https://ok.example/\"onmouseover=\"alert(1)",
  "www.ok.example/<script>alert(1)</script>",
  "a@b.example?subject=<script>",
  "[x](mailto:javascript:alert(1))",
  "[x](https:javascript:alert(1))",
];

describe("renderMarkdown: XSS payloads", () => {
  test.each(XSS_PAYLOADS)("%j renders safely", (payload) => {
    expectSafe(renderMarkdown(payload));
  });

  test("a raw <script> is shown as text, not dropped silently", () => {
    expect(renderMarkdown("<script>alert(1)</script>")).toBe(
      "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n",
    );
  });

  test.each([
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](data:text/html,hi)",
    "[x](//evil.example)",
  ])("%j is left as plain text with no link", (payload) => {
    const html = renderMarkdown(payload);
    expect(tagsIn(html).map((t) => t.name)).toEqual(["p", "p"]);
  });

  test("an autolink to javascript: stays escaped text", () => {
    expect(renderMarkdown("<javascript:alert(1)>")).toBe("<p>&lt;javascript:alert(1)&gt;</p>\n");
  });

  test("many payloads together stay safe", () => {
    expectSafe(renderMarkdown(XSS_PAYLOADS.join("\n\n")));
    expectSafe(renderMarkdown(XSS_PAYLOADS.join(" ")));
  });
});

describe("renderMarkdown: features", () => {
  test("http, https and mailto links get rel and no target", () => {
    const html = renderMarkdown(
      "[NHS](https://www.nhs.uk) [old](http://example.org/a?b=1&c=2) [mail](mailto:hello@example.org)",
    );
    expect(html).toBe(
      '<p><a href="https://www.nhs.uk" rel="ugc nofollow noopener">NHS</a> ' +
        '<a href="http://example.org/a?b=1&amp;c=2" rel="ugc nofollow noopener">old</a> ' +
        '<a href="mailto:hello@example.org" rel="ugc nofollow noopener">mail</a></p>\n',
    );
  });

  test("bare URLs, www. addresses and email addresses are linked; file names are not", () => {
    const html = renderMarkdown(
      "See https://example.org/x, www.ageuk.org.uk or hello@vsnw.org.uk; notes in readme.md",
    );
    const hrefs = tagsIn(html).flatMap((t) => t.attrs.get("href") ?? []);
    expect(hrefs).toEqual([
      "https://example.org/x",
      "http://www.ageuk.org.uk",
      "mailto:hello@vsnw.org.uk",
    ]);
    expect(html).toContain("notes in readme.md</p>");
    expectSafe(html);
  });

  test("images become a plain link with the alt text, never <img>", () => {
    expect(renderMarkdown("![Dancers at IWM North](https://example.org/dance.jpg)")).toBe(
      '<p><a href="https://example.org/dance.jpg" rel="ugc nofollow noopener">Image: Dancers at IWM North</a></p>\n',
    );
    expect(renderMarkdown("![](https://example.org/p.gif)")).toContain(">image</a>");
  });

  test("an image inside a link keeps a single link", () => {
    const html = renderMarkdown("[![Logo](https://example.org/logo.png)](https://example.org)");
    expect(html).toBe('<p><a href="https://example.org" rel="ugc nofollow noopener">Logo</a></p>\n');
  });

  test("headings are demoted so posts never emit h1 or h2", () => {
    const html = renderMarkdown("# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six\nSetext\n===");
    expect(html).not.toMatch(/<h[12]/);
    expect(html).toContain("<h3>One</h3>");
    expect(html).toContain("<h4>Two</h4>");
    expect(html).toContain("<h5>Three</h5>");
    expect(html).toContain("<h6>Six</h6>");
    expect(html).toContain("<h3>Setext</h3>");
  });

  test("link titles are dropped", () => {
    expect(renderMarkdown('[x](https://example.org "Tip")')).toBe(
      '<p><a href="https://example.org" rel="ugc nofollow noopener">x</a></p>\n',
    );
  });

  test("typographer is off: quotes and dashes are kept as typed", () => {
    expect(renderMarkdown('"quoted" -- (c)')).toBe("<p>&quot;quoted&quot; -- (c)</p>\n");
  });

  test("lists, emphasis and code render", () => {
    expect(renderMarkdown("- **bold** and *em* and `x < y`")).toBe(
      "<ul>\n<li><strong>bold</strong> and <em>em</em> and <code>x &lt; y</code></li>\n</ul>\n",
    );
  });
});

describe("renderMarkdown: large and pathological input", () => {
  test.each([
    ["plain text", "Social prescribing works. ".repeat(4_000)],
    ["open brackets", "[".repeat(100_000)],
    ["nested links", "[a](".repeat(25_000)],
    ["emphasis markers", "*a_".repeat(33_334)],
    ["backticks", "`".repeat(100_000)],
    ["blockquote nesting", ">".repeat(100_000)],
    ["list nesting", "- ".repeat(50_000)],
    ["angle brackets", "<a".repeat(50_000)],
    ["entities", "&#106;".repeat(20_000)],
    ["images", "![a](https://x.example/p.gif)".repeat(3_500)],
    ["images in links", "[![a](https://x.example/p.gif)](https://y.example)".repeat(2_000)],
  ])("100,000 characters of %s renders correctly", (_name, input) => {
    expect(input.length).toBeGreaterThanOrEqual(100_000);
    const html = renderMarkdown(input);
    expectSafe(html);
    expect(html.length).toBeGreaterThan(0);
  });

  test("long plain text keeps every word", () => {
    const input = "word ".repeat(20_000).trim();
    const html = renderMarkdown(input);
    expect(html).toBe(`<p>${input}</p>\n`);
  });
});

describe("isAllowedLinkUrl", () => {
  test.each([
    ["https://example.org", true],
    ["http://example.org/a?b#c", true],
    ["mailto:someone@example.org", true],
    ["MAILTO:someone@example.org", true],
    ["javascript:alert(1)", false],
    ["mailto:nobody", false],
    ["data:text/html,x", false],
    ["//example.org", false],
    ["/relative", false],
    ["https://", false],
    ["java\nscript:alert(1)", false],
    ["ftp://example.org", false],
  ])("%j → %s", (url, expected) => {
    expect(isAllowedLinkUrl(url)).toBe(expected);
  });
});

describe("markdownToPlainText", () => {
  const post = [
    "# Volunteering for wellbeing",
    "",
    "Ten museums, **£3.50** per £1 invested. Read the [evidence review](https://example.org/review).",
    "",
    "- IWM North",
    "- Manchester Museum",
    "",
    "1. Refer",
    "2. Connect",
    "",
    "![Dancers](https://example.org/d.jpg)",
    "",
    "```",
    "<script>alert(1)</script>",
    "```",
    "",
    "Contact hello@example.org or www.example.org.",
  ].join("\n");

  test("keeps structure and link addresses for email text parts", () => {
    expect(markdownToPlainText(post)).toBe(
      [
        "Volunteering for wellbeing",
        "",
        "Ten museums, £3.50 per £1 invested. Read the evidence review (https://example.org/review).",
        "",
        "- IWM North",
        "- Manchester Museum",
        "",
        "1. Refer",
        "2. Connect",
        "",
        "Dancers (https://example.org/d.jpg)",
        "",
        "<script>alert(1)</script>",
        "",
        "Contact hello@example.org or www.example.org.",
      ].join("\n"),
    );
  });

  test("with maxLength gives a single shortened line", () => {
    const summary = markdownToPlainText(post, 40);
    expect(Array.from(summary).length).toBeLessThanOrEqual(40);
    expect(summary).not.toContain("\n");
    expect(summary).toBe("Volunteering for wellbeing Ten museums…");
  });

  test("short text is not shortened", () => {
    expect(markdownToPlainText("Hello *there*", 100)).toBe("Hello there");
  });

  test("invalid links stay as the text that was typed", () => {
    expect(markdownToPlainText("[x](javascript:alert(1))")).toBe("[x](javascript:alert(1))");
  });

  test("empty input gives empty text", () => {
    expect(markdownToPlainText("")).toBe("");
    expect(markdownToPlainText("   \n\n ", 10)).toBe("");
  });
});

describe("renderMarkdown remembers what it rendered", () => {
  test("gives the same safe HTML the second time as the first, source by source", () => {
    const sources = ["**bold** www.ageuk.org.uk", "[x](javascript:alert(1))", "![pixel](https://t.example/p.gif)", "# Heading", "a\n\n**bold** www.ageuk.org.uk"];
    const first = sources.map(renderMarkdown);
    expect(sources.map(renderMarkdown)).toEqual(first);
    expect(first[0]).toContain('<a href="http://www.ageuk.org.uk" rel="ugc nofollow noopener">');
    expect(first[1]).not.toContain("href=");
    expect(new Set(first).size).toBe(sources.length);
  });
});
