// Checks that TypeScript alone cannot: code that reaches the browser bundle must
// not import server-only modules (with the classic compiler they silently become
// empty there), and nothing in db/ or emails/ may import from app/routes.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(new URL("..", import.meta.url).pathname);
const problems = [];

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

const importRe = /^\s*import\s+(?!type\b)[^;]*?from\s+["']([^"']+)["']/gm;

for (const file of walk(path.join(root, "app"))) {
  const rel = path.relative(root, file);
  const clientSafe =
    (rel.startsWith("app/components/") || rel.startsWith("app/validation/") || rel.startsWith("app/utils/")) &&
    !/\.server\.tsx?$/.test(rel);
  if (!clientSafe) continue;
  const src = fs.readFileSync(file, "utf8");
  for (const m of src.matchAll(importRe)) {
    const spec = m[1];
    if (/\.server(\.tsx?)?$/.test(spec) || /^node:/.test(spec) || /^(better-sqlite3|kysely|lucia|nodemailer)$/.test(spec) || (spec.includes("/db/") && !spec.includes("/db/types/"))) {
      problems.push(`${rel}: client-safe module imports server-only "${spec}"`);
    }
  }
}

// Route modules reach the browser bundle (minus loader/action); email code pulls in
// nodemailer and Node built-ins, so routes reach it only through *.server modules.
for (const file of walk(path.join(root, "app/routes"))) {
  const src = fs.readFileSync(file, "utf8");
  for (const m of src.matchAll(importRe)) {
    if (/emails\/(?!.*\.server)/.test(m[1]) && !/emails\/layout$/.test(m[1])) {
      problems.push(`${path.relative(root, file)}: imports "${m[1]}" directly; call it from a .server module`);
    }
  }
}

// A route's component runs in the browser, where values imported from *.server
// modules are undefined: flag any such name used after `export default function`.
for (const file of walk(path.join(root, "app/routes"))) {
  const src = fs.readFileSync(file, "utf8");
  const start = src.search(/export default function/);
  if (start < 0) continue;
  const rest = src.slice(start);
  const end = rest.slice(1).search(/\nexport /);
  const component = end < 0 ? rest : rest.slice(0, end + 1);
  for (const m of src.matchAll(/^\s*import\s+(?!type\b)\{([^}]*)\}\s*from\s+["']([^"']+\.server)["']/gm)) {
    const names = m[1]
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n && !n.startsWith("type "))
      .map((n) => n.split(/\s+as\s+/).pop());
    for (const name of names) {
      // In an expression position (after { ( , = ? : ! [ & |), not in prose or a string.
      if (new RegExp(`(?<=[{(,=?:![&|]\\s*)${name}\\b`).test(component)) {
        problems.push(`${path.relative(root, file)}: the component uses "${name}" from ${m[2]}, which is empty in the browser`);
      }
    }
  }
}

// Headers a page route sets (Retry-After, Referrer-Policy) reach the HTML page only through a
// `headers` export: without one, a plain form post loses them.
for (const file of walk(path.join(root, "app/routes"))) {
  if (!file.endsWith(".tsx")) continue;
  const src = fs.readFileSync(file, "utf8");
  if (/"(Retry-After|Referrer-Policy|Cache-Control)"/.test(src) && !/export const headers\b|export function headers\b/.test(src)) {
    problems.push(`${path.relative(root, file)}: sets response headers but has no \`headers\` export (use keepRouteHeaders from ~/utils/headers)`);
  }
}

for (const dir of ["db", "emails"]) {
  for (const file of walk(path.join(root, dir))) {
    const src = fs.readFileSync(file, "utf8");
    for (const m of src.matchAll(importRe)) {
      if (m[1].includes("routes/")) problems.push(`${path.relative(root, file)}: imports from app/routes ("${m[1]}")`);
    }
  }
}

if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("lint: ok");
