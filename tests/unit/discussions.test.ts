import { describe, expect, it } from "vitest";
import { pageWindow } from "../../app/components/Discussions";
import { replySchema, newThreadSchema } from "../../app/validation/discussions";

describe("pageWindow", () => {
  it("always offers the first and the last page around the current one", () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 101)).toEqual([1, 2, "gap", 101]);
    expect(pageWindow(50, 101)).toEqual([1, "gap", 49, 50, 51, "gap", 101]);
    expect(pageWindow(101, 101)).toEqual([1, "gap", 100, 101]);
    expect(pageWindow(3, 4)).toEqual([1, 2, 3, 4]);
  });
});

describe("discussion forms", () => {
  it("refuses empty and over-long posts with plain messages", () => {
    const empty = replySchema.safeParse({ body: " \n\t " });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0].message).toBe("Enter your reply");
    const long = replySchema.safeParse({ body: "x".repeat(100_000) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0].message).toBe("Your reply must be 20,000 characters or fewer");
    expect(replySchema.safeParse({ body: "x".repeat(20_000) }).success).toBe(true);
  });

  it("cleans a title to one line", () => {
    const parsed = newThreadSchema.parse({ categoryId: "3", title: "  Hello\r\nBcc: x  ", body: "Hi" });
    expect(parsed.title).toBe("Hello Bcc: x");
    expect(parsed.categoryId).toBe(3);
  });
});
