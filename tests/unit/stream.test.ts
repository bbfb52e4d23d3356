import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { createElement, Suspense } from "react";
import { describe, expect, it } from "vitest";
import { nulPaddingFilter, stripNulPadding } from "../../app/utils/stream.server";

describe("React 18 streaming NUL padding", () => {
  it("drops up to three NUL bytes at the end of a chunk and nothing else", () => {
    const dash = Buffer.from("8pm–9pm");
    expect(stripNulPadding(Buffer.concat([Buffer.from("8pm"), Buffer.from([0, 0])])).toString()).toBe("8pm");
    expect(stripNulPadding(Buffer.concat([Buffer.from("a"), Buffer.from([0, 0, 0])])).toString()).toBe("a");
    expect(stripNulPadding(dash)).toBe(dash);
    expect(stripNulPadding(Buffer.alloc(0)).length).toBe(0);
  });

  it("a page full of en dashes streams without any NUL byte", async () => {
    // Many multi-byte characters at shifting offsets make one straddle React's 2 KB buffer edge.
    const items = Array.from({ length: 2000 }, (_, i) => createElement("li", { key: i }, `${"x".repeat(i % 7)}Wed ${i} Dec, 8pm–9pm ${"–".repeat(i % 11)}`));
    const app = createElement(Suspense, { fallback: null }, createElement("ul", null, items));
    const html = await new Promise<Buffer>((resolve, reject) => {
      const { pipe } = renderToPipeableStream(app, {
        onAllReady() {
          const out: Buffer[] = [];
          const sink = new PassThrough();
          sink.on("data", (c: Buffer) => out.push(c));
          sink.on("end", () => resolve(Buffer.concat(out)));
          pipe(nulPaddingFilter()).pipe(sink);
        },
        onError: reject,
      });
    });
    expect(html.includes(0)).toBe(false);
    expect(html.toString("utf8")).toContain("Wed 1999 Dec, 8pm–9pm");
  });
});
