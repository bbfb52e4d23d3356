import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// `npm test` must pass on a fresh clone with nothing beside it (issue 12, item 18): no code,
// test or script may read the shared folder that sits next to the repository on our machines.
const root = fileURLToPath(new URL("../..", import.meta.url));
const OUTSIDE = new RegExp(["\\.\\./", "shared", "|", "/work/", "shared", "|", "shared/", "standards"].join(""));
const SKIP = new Set(["node_modules", ".git", ".builds", "build", ".cache", ".artifacts"]);

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const stat = fs.statSync(dir);
  if (stat.isFile()) return [dir];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (SKIP.has(e.name) ? [] : files(path.join(dir, e.name))));
}

describe("the repository is self-contained", () => {
  it("no file in app/, db/, emails/, tests/, public/, .ci or package.json reads the shared folder beside the repository", () => {
    const offenders = ["app", "db", "emails", "tests", "public", ".ci", "package.json", "remix.config.js", "tsconfig.json"]
      .flatMap((p) => files(path.join(root, p)))
      .filter((f) => /\.(ts|tsx|js|mjs|cjs|json|sh)$|(^|\/)run$/.test(f))
      .filter((f) => OUTSIDE.test(fs.readFileSync(f, "utf8")))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });

  it("has the Open Referral UK schemas the tests validate against, with their licence and source", () => {
    const vendor = path.join(root, "tests/vendor/openreferral-uk");
    for (const f of ["LICENSE", "README.md", "schema/compiled/service.json", "schema/compiled/service_list.json", "schema/taxonomy_term.json"]) {
      expect(fs.existsSync(path.join(vendor, f)), f).toBe(true);
    }
    expect(fs.readFileSync(path.join(vendor, "README.md"), "utf8")).toMatch(/uk-profile/);
  });
});
