import { readFileSync } from "node:fs";

import { hash, type Options } from "@node-rs/argon2";
import { describe, expect, test } from "vitest";

import {
  DUMMY_HASH,
  checkPasswordPolicy,
  hashPassword,
  isCommonPassword,
  needsRehash,
  verifyPassword,
  verifyPasswordAgainstDummy,
} from "~/utils/password.server";

describe("hashing", () => {
  test("hashes with argon2id m=19456, t=2, p=1 and verifies", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword(stored, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(stored, "correct horse battery stapl")).toBe(false);
    expect(await verifyPassword(stored, "Correct horse battery staple")).toBe(false);
  });

  test("the same password twice gets different salts", async () => {
    expect(await hashPassword("same-password")).not.toBe(await hashPassword("same-password"));
  });

  test("composed and decomposed accents are the same password", async () => {
    const composed = "caf\u00e9 au lait please";
    const decomposed = "cafe\u0301 au lait please";
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true);
  });

  test("a malformed stored hash is a failed check, not an exception", async () => {
    expect(await verifyPassword("not-a-hash", "anything")).toBe(false);
    expect(await verifyPassword("", "anything")).toBe(false);
  });

  test("the dummy hash uses current parameters and never matches", async () => {
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    expect(await verifyPasswordAgainstDummy("password")).toBe(false);
    expect(await verifyPassword(DUMMY_HASH, "")).toBe(false);
  });
});

describe("needsRehash", () => {
  test("false for a current hash", async () => {
    expect(needsRehash(await hashPassword("a long enough password"))).toBe(false);
  });

  test.each<[string, Options]>([
    ["less memory", { algorithm: 2, memoryCost: 4096, timeCost: 3, parallelism: 1 }],
    ["fewer passes", { algorithm: 2, memoryCost: 19456, timeCost: 1, parallelism: 1 }],
    ["argon2i", { algorithm: 1, memoryCost: 19456, timeCost: 2, parallelism: 1 }],
    ["argon2d", { algorithm: 0, memoryCost: 19456, timeCost: 2, parallelism: 1 }],
  ])("true for %s", async (_label, options) => {
    expect(needsRehash(await hash("pw", options))).toBe(true);
  });

  test("false for stronger parameters", async () => {
    const stronger = await hash("pw", { algorithm: 2, memoryCost: 32768, timeCost: 3, parallelism: 1 });
    expect(needsRehash(stronger)).toBe(false);
  });

  test("true for something that is not an argon2 hash", () => {
    expect(needsRehash("$2b$10$abcdefghijklmnopqrstuu5Zr6r2Vv2YQkqz7a5Xl8qbWb4rjJX0W")).toBe(true);
    expect(needsRehash("")).toBe(true);
  });
});

describe("checkPasswordPolicy", () => {
  test("accepts a reasonable password", () => {
    expect(checkPasswordPolicy("link workers connect people")).toBeNull();
    expect(checkPasswordPolicy("Xk9#mQ2v")).toBeNull();
  });

  test("minimum 8 characters, counted as code points", () => {
    expect(checkPasswordPolicy("Xk9#mQ2")).toBe("Your password must be at least 8 characters long.");
    // Seven emoji are 14 UTF-16 units but still only 7 characters.
    expect(checkPasswordPolicy("🦊🐝🌳🎨🎭🎵🚲")).toMatch(/at least 8/);
    expect(checkPasswordPolicy("🦊🐝🌳🎨🎭🎵🚲🍎")).toBeNull();
    // "é" typed as e + combining accent is one character after NFC.
    expect(checkPasswordPolicy("zq7#wk\u0065\u0301")).toMatch(/at least 8/);
  });

  test("maximum 128 characters", () => {
    expect(checkPasswordPolicy("a9".repeat(64))).toBeNull();
    expect(checkPasswordPolicy("a9".repeat(64) + "x")).toBe(
      "Your password must be 128 characters or fewer.",
    );
    expect(checkPasswordPolicy("é".repeat(128))).toBeNull();
  });

  test("any characters are allowed, including spaces and punctuation", () => {
    expect(checkPasswordPolicy("  spaces at both ends  ")).toBeNull();
    expect(checkPasswordPolicy("Ünïcødé ✓ пароль 密码")).toBeNull();
  });

  test.each(["password", "Password1", "PASSWORD123", "qwerty123", "iloveyou1", "liverpool", "Liverpool1", "12345678", "arsenal123", "football", "sunshine"])(
    "refuses the common password %j",
    (pw) => {
      expect(checkPasswordPolicy(pw)).toBe(
        "This password is too common and easy to guess. Try a few unrelated words together.",
      );
    },
  );

  test("refuses the email address, ignoring case", () => {
    expect(checkPasswordPolicy("Ann.Smith@Example.org", { email: "ann.smith@example.org" })).toBe(
      "Your password must not be your email address.",
    );
    expect(checkPasswordPolicy("ann.smith@example.org!", { email: "ann.smith@example.org" })).toBeNull();
  });

  test("refuses the person's name", () => {
    expect(checkPasswordPolicy("Annabelle Smith", { name: "annabelle smith" })).toBe(
      "Your password must not be your name.",
    );
  });
});

describe("common passwords list", () => {
  const lines = readFileSync("app/utils/common-passwords.txt", "utf8").split("\n").filter(Boolean);

  test("has at least 1,000 unique lowercase entries", () => {
    expect(lines.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(lines).size).toBe(lines.length);
    for (const line of lines) expect(line).toBe(line.toLowerCase().trim());
  });

  test("includes the usual suspects, compared case-insensitively", () => {
    for (const pw of ["123456", "password", "qwerty", "iloveyou", "liverpool", "LetMeIn", "Monkey"]) {
      expect(isCommonPassword(pw)).toBe(true);
    }
    expect(isCommonPassword("museum volunteering for wellbeing")).toBe(false);
  });
});
