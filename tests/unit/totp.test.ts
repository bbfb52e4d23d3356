import { createHash } from "node:crypto";

import { encodeBase32NoPadding } from "@oslojs/encoding";
import { describe, expect, test } from "vitest";

import {
  constantTimeEqual,
  generateRecoveryCodes,
  generateToken,
  generateTotpSecret,
  hashToken,
  hotp,
  normaliseRecoveryCode,
  qrSvg,
  totpCode,
  totpCounter,
  totpUri,
  verifyTotp,
} from "~/utils/totp.server";

const RFC_KEY = new TextEncoder().encode("12345678901234567890");
const RFC_SECRET = encodeBase32NoPadding(RFC_KEY);

// RFC 6238 appendix B, SHA-1 column (8 digits).
const RFC_6238_VECTORS: Array<[number, string]> = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("HOTP and TOTP", () => {
  test("RFC 4226 appendix D HOTP values", () => {
    const expected = [
      "755224", "287082", "359152", "969429", "338314",
      "254676", "287922", "162583", "399871", "520489",
    ];
    expect(expected.map((_, counter) => hotp(RFC_KEY, counter))).toEqual(expected);
  });

  test.each(RFC_6238_VECTORS)("RFC 6238 at T=%i gives %s", (seconds, code) => {
    expect(hotp(RFC_KEY, totpCounter(seconds * 1000), 8)).toBe(code);
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code.slice(-6));
  });

  test.each(RFC_6238_VECTORS)("verifyTotp accepts the 6-digit code at T=%i", (seconds, code) => {
    const now = new Date(seconds * 1000);
    expect(verifyTotp(RFC_SECRET, code.slice(-6), { now, window: 1 })).toBe(
      Math.floor(seconds / 30),
    );
  });

  test("the secret's base32 form is the one apps use", () => {
    expect(RFC_SECRET).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(totpCode(RFC_SECRET.toLowerCase(), 59_000)).toBe("287082");
  });
});

describe("verifyTotp", () => {
  const secret = generateTotpSecret();
  const now = new Date("2025-03-12T09:30:10Z");
  const counter = totpCounter(now);

  test("accepts the previous, current and next step and returns their counter", () => {
    for (const offset of [-1, 0, 1]) {
      const code = totpCode(secret, now.getTime() + offset * 30_000);
      expect(verifyTotp(secret, code, { now, window: 1 })).toBe(counter + offset);
    }
  });

  test("refuses codes two steps away", () => {
    for (const offset of [-2, 2]) {
      const code = totpCode(secret, now.getTime() + offset * 30_000);
      expect(verifyTotp(secret, code, { now, window: 1 })).toBeNull();
    }
  });

  test("window 0 accepts only the current step", () => {
    const previous = totpCode(secret, now.getTime() - 30_000);
    expect(verifyTotp(secret, previous, { now, window: 0 })).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, now), { now, window: 0 })).toBe(counter);
  });

  test("tolerates spaces typed in the code", () => {
    const code = totpCode(secret, now);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, { now })).toBe(counter);
  });

  test.each(["", "12345", "1234567", "abcdef", "12345a", "１２３４５６", "12 34 5", "0x1234"])(
    "refuses malformed code %j",
    (code) => {
      expect(verifyTotp(secret, code, { now, window: 1 })).toBeNull();
    },
  );

  test("refuses a wrong code and a broken secret without throwing", () => {
    // At T=59 the steps either side give 755224, 287082 and 359152 (RFC 4226 appendix D).
    expect(verifyTotp(RFC_SECRET, "287083", { now: 59_000 })).toBeNull();
    expect(verifyTotp(RFC_SECRET, "287082", { now: 59_000 })).toBe(1);
    expect(verifyTotp("not base32 at all!", "123456", { now })).toBeNull();
  });

  test("the same code again returns the same counter, so a caller can refuse the replay", () => {
    const code = totpCode(secret, now);
    const first = verifyTotp(secret, code, { now });
    expect(first).toBe(counter);
    expect(verifyTotp(secret, code, { now: now.getTime() + 5_000 })).toBe(first);
  });
});

describe("secrets and URIs", () => {
  test("secrets are 20 random bytes in unpadded base32", () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  test("totpUri follows the key URI format", () => {
    const uri = totpUri({
      secret: "JBSWY3DPEHPK3PXP",
      accountName: "ann.link-worker+nw@example.org",
      issuer: "Roundtable",
    });
    const url = new URL(uri);
    expect(url.protocol).toBe("otpauth:");
    expect(url.host).toBe("totp");
    expect(decodeURIComponent(url.pathname)).toBe("/Roundtable:ann.link-worker+nw@example.org");
    expect(uri.startsWith("otpauth://totp/Roundtable:ann.link-worker%2Bnw%40example.org?")).toBe(true);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      secret: "JBSWY3DPEHPK3PXP",
      issuer: "Roundtable",
      algorithm: "SHA1",
      digits: "6",
      period: "30",
    });
  });

  test("spaces are encoded as %20, not +", () => {
    const uri = totpUri({ secret: "JBSWY3DPEHPK3PXP", accountName: "A B", issuer: "Round table" });
    expect(uri).toContain("Round%20table:A%20B?");
    expect(uri).toContain("issuer=Round%20table");
    expect(uri).not.toContain("+");
  });
});

describe("recovery codes and tokens", () => {
  test("ten unique human-friendly codes with at least 50 bits each", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    }
    // 10 symbols from a 32-symbol alphabet = 50 bits.
    expect(10 * Math.log2(32)).toBeGreaterThanOrEqual(50);
    expect(generateRecoveryCodes(3)).toHaveLength(3);
  });

  test("every alphabet symbol turns up, so no bits are wasted", () => {
    const seen = new Set(generateRecoveryCodes(200).join("").replace(/-/g, ""));
    expect(seen.size).toBe(32);
  });

  test("normaliseRecoveryCode forgives case, spacing and look-alike letters", () => {
    const [code] = generateRecoveryCodes(1);
    expect(normaliseRecoveryCode(code.toUpperCase().replace("-", " "))).toBe(code);
    expect(normaliseRecoveryCode(" ABCDE FGH0I ")).toBe("abcde-fgh01");
    expect(normaliseRecoveryCode("o1l2i-OOOOO")).toBe("01121-00000");
  });

  test("hashToken is hex SHA-256", () => {
    expect(hashToken("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    const token = generateToken();
    expect(hashToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
  });

  test("generateToken gives 32 random bytes as base64url", () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(generateToken()).not.toBe(token);
  });

  test("constantTimeEqual", () => {
    expect(constantTimeEqual("123456", "123456")).toBe(true);
    expect(constantTimeEqual("123456", "123457")).toBe(false);
    expect(constantTimeEqual("123456", "1234567")).toBe(false);
  });
});

describe("qrSvg", () => {
  test("returns an SVG with a title and accessible name", async () => {
    const uri = totpUri({ secret: generateTotpSecret(), accountName: "a@example.org" });
    const svg = await qrSvg(uri);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img" aria-label="QR code to scan with your authenticator app"><title>QR code to scan with your authenticator app<\/title>/);
    expect(svg).toContain("<path");
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).not.toContain(uri);
  });

  test("escapes the title", async () => {
    const svg = await qrSvg("otpauth://totp/x?secret=A", 'Scan <me> & "you"');
    expect(svg).toContain("<title>Scan &lt;me&gt; &amp; &quot;you&quot;</title>");
  });
});
