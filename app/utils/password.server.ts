import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { hash, parseOptions, verify } from "@node-rs/argon2";

// OWASP's recommended argon2id floor: 19 MiB, two passes, one lane. The numeric algorithm
// id is used because the package declares its enums as ambient `const enum`s, which
// isolatedModules builds cannot inline.
const ARGON2ID = 2;
const ARGON2_VERSION_0x13 = 1;
const MEMORY_COST_KIB = 19456;
const TIME_COST = 2;
const PARALLELISM = 1;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * A real hash of a random password nobody knows, with the current parameters, so checking an
 * unknown email address costs as much time as checking a wrong password for a real one.
 */
export const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$D5derTiDOx0Lq91O5hwmUg$uQibwZ8p7/eCd9hffHKtN3L/BmcRNy+RXXiPHe8xP8g";

// The same password typed on different keyboards can arrive composed or decomposed ("é" vs
// "e" + combining accent); normalising means it still verifies.
function normalise(password: string): string {
  return password.normalize("NFC");
}

export async function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), {
    algorithm: ARGON2ID,
    memoryCost: MEMORY_COST_KIB,
    timeCost: TIME_COST,
    parallelism: PARALLELISM,
  });
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, normalise(password));
  } catch {
    // A malformed stored hash is a failed login, not a crashed request.
    return false;
  }
}

/** Always false; spends the same time as `verifyPassword` on a real hash. */
export async function verifyPasswordAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}

/** True when the stored hash uses another algorithm or weaker parameters than today's. */
export function needsRehash(storedHash: string): boolean {
  let stored: ReturnType<typeof parseOptions>;
  try {
    stored = parseOptions(storedHash);
  } catch {
    return true;
  }
  return (
    stored.algorithm !== ARGON2ID ||
    stored.version !== ARGON2_VERSION_0x13 ||
    stored.memoryCost < MEMORY_COST_KIB ||
    stored.timeCost < TIME_COST ||
    stored.outputLen < 32 ||
    stored.saltLen < 16
  );
}

/** Returns null when the password is acceptable, otherwise a message to show beside the field. */
export function checkPasswordPolicy(
  password: string,
  { email, name }: { email?: string; name?: string } = {},
): string | null {
  const normalised = normalise(password);
  const length = Array.from(normalised).length;
  if (length < PASSWORD_MIN_LENGTH) {
    return `Your password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return `Your password must be ${PASSWORD_MAX_LENGTH} characters or fewer.`;
  }
  const folded = normalised.toLowerCase();
  if (email && folded.trim() === normalise(email).trim().toLowerCase()) {
    return "Your password must not be your email address.";
  }
  if (name && folded.replace(/\s+/g, "") === normalise(name).replace(/\s+/g, "").toLowerCase()) {
    return "Your password must not be your name.";
  }
  if (isCommonPassword(folded)) {
    return "This password is too common and easy to guess. Try a few unrelated words together.";
  }
  return null;
}

export function isCommonPassword(password: string): boolean {
  return getCommonPasswords().has(normalise(password).toLowerCase());
}

let commonPasswords: Set<string> | undefined;

function getCommonPasswords(): Set<string> {
  commonPasswords ??= loadCommonPasswords();
  return commonPasswords;
}

const LIST_FILE = "common-passwords.txt";

function loadCommonPasswords(): Set<string> {
  const file = commonPasswordsPath();
  const words = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line !== "");
  return new Set(words);
}

function commonPasswordsPath(): string {
  // In development and tests the source tree is beside us; in production this module is
  // bundled into build/index.js, so import.meta.url points at build/ and the list is found
  // from the working directory (or from build/../app/utils).
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(process.cwd(), "app", "utils", LIST_FILE),
    path.join(here, LIST_FILE),
    path.join(here, "..", "app", "utils", LIST_FILE),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    // Failing loudly beats silently accepting "password123".
    throw new Error(`Common passwords list not found; looked in: ${candidates.join(", ")}`);
  }
  return found;
}
