import { createHash } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { KIND_LABEL, listNewestPublicResources } from "~/models/resources.server";
import { env } from "~/utils/env.server";
import { notModified } from "~/utils/http.server";

function xml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);
}

/** Atom feed of newly published public resources (members-only ones never appear). */
export async function loader({ request }: LoaderFunctionArgs) {
  const base = env().APP_URL;
  const items = await listNewestPublicResources({ limit: 50 });
  const updated = items.reduce((max, r) => ((r.published_at ?? "") > max ? (r.published_at ?? "") : max), "1970-01-01T00:00:00.000Z");
  const host = new URL(base).hostname;
  const entries = items
    .map((r) => {
      const link = `${base}/resources/${r.id}`;
      return `  <entry>
    <id>tag:${xml(host)},2026:resource:${r.id}</id>
    <title>${xml(r.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <published>${xml(r.published_at ?? r.updated_at)}</published>
    <updated>${xml(r.updated_at > (r.published_at ?? "") ? r.updated_at : (r.published_at ?? r.updated_at))}</updated>
    <author><name>${xml(r.publisher ?? "Roundtable")}</name></author>
    <category term="${xml(r.kind)}" label="${xml(KIND_LABEL[r.kind] ?? r.kind)}"/>
    <summary type="text">${xml(`${r.meta}. ${r.summary}`)}</summary>
  </entry>`;
    })
    .join("\n");
  const body = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">
  <id>${xml(base)}/resources.atom</id>
  <title>New resources on Roundtable</title>
  <subtitle>Reports, guides, evidence and videos shared by social prescribing networks</subtitle>
  <link rel="self" type="application/atom+xml" href="${xml(base)}/resources.atom"/>
  <link rel="alternate" type="text/html" href="${xml(base)}/resources"/>
  <updated>${xml(updated)}</updated>
  <generator>Roundtable</generator>
${entries}
</feed>
`;
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const headers = { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=300", ETag: etag };
  if (notModified(request, etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
