import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, Textarea } from "~/components/forms";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { noticeResourceDecision } from "~/models/resource-notices.server";
import { listModerationQueue, moderateResource, resolveReport } from "~/models/resources.server";
import { KIND_LABEL } from "~/validation/resources";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { cleanMultiline } from "~/utils/text";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const queue = await listModerationQueue(user);
  // Only moderators (and admins) of at least one network have a queue.
  if (queue.networkIds.length === 0) throw new Response("Not found", { status: 404 });
  return json({ pending: queue.pending, reports: queue.reports });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = Number(form.get("id"));
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  if (intent === "resolve") {
    if (!(await resolveReport({ user, reportId: id }))) throw new Response("Not found", { status: 404 });
    return redirectWithFlash("/resources/moderation", "Report marked as dealt with.");
  }
  if (intent === "approve" || intent === "reject") {
    const reason = cleanMultiline(String(form.get("reason") ?? "")).slice(0, 2000) || null;
    const result = await moderateResource({ user, id, decision: intent, reason });
    if (!result.ok) {
      if (result.notFound) throw new Response("Not found", { status: 404 });
      return json({ errors: { [`reason-${id}`]: result.error ?? "Something went wrong" } as Record<string, string> }, { status: 400 });
    }
    await noticeResourceDecision(result);
    return redirectWithFlash(
      "/resources/moderation",
      intent === "approve" ? `Published “${result.title}”. The contributor has been told.` : `Rejected “${result.title}”. The contributor has been told why.`,
    );
  }
  return json({ errors: { form: "Unknown action" } as Record<string, string> }, { status: 400 });
}

export const meta: MetaFunction = () => [{ title: "Moderation queue – Resources – Roundtable" }];

export default function Moderation() {
  const { pending, reports } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  return (
    <Page crumbs={[{ to: "/resources", label: "Resources" }]}>
      <ErrorSummary errors={errors} />
      <h1>Moderation queue</h1>
      <p>Resources members have shared in the networks you moderate. Approve them to publish, or reject with a reason: the contributor is emailed either way.</p>
      <h2 className="nhsuk-heading-m">Waiting for a decision ({pending.length})</h2>
      {pending.length === 0 ? (
        <EmptyState title="Nothing is waiting.">
          <p>New contributions from members will appear here.</p>
        </EmptyState>
      ) : (
        <ul className="nhsuk-list">
          {pending.map((r) => (
            <li key={r.id} className="nhsuk-card">
              <div className="nhsuk-card__content">
                <h3 className="nhsuk-card__heading nhsuk-heading-s">
                  <Link to={`/resources/${r.id}`}>{r.title}</Link>
                </h3>
                <p className="nhsuk-body-s rt-meta">
                  {[KIND_LABEL[r.kind] ?? r.kind, r.publisher, r.year, r.network_name, r.visibility === "members" ? "members only" : "public"].filter(Boolean).join(" · ")}
                  <br />
                  Shared by {r.contributor_name ?? "a former member"} · {Number(r.file_count) > 0 ? "uploaded file" : "link"}
                </p>
                <p className="nhsuk-body-s rt-pre-line">{r.summary.length > 400 ? `${r.summary.slice(0, 400)}…` : r.summary}</p>
                <Form method="post">
                  <input type="hidden" name="id" value={r.id} />
                  <Button name="intent" value="approve">
                    Approve <span className="nhsuk-u-visually-hidden">{r.title}</span>
                  </Button>
                </Form>
                <Form method="post" noValidate>
                  <input type="hidden" name="id" value={r.id} />
                  <Textarea name="reason" id={`reason-${r.id}`} label={<>Reason for rejecting <span className="nhsuk-u-visually-hidden">{r.title}</span></>} rows={2} error={errors?.[`reason-${r.id}`]} />
                  <Button name="intent" value="reject" variant="secondary">
                    Reject <span className="nhsuk-u-visually-hidden">{r.title}</span>
                  </Button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      )}
      <h2 className="nhsuk-heading-m">Broken-link reports ({reports.length})</h2>
      {reports.length === 0 ? (
        <EmptyState title="No open reports." />
      ) : (
        <ul className="nhsuk-list nhsuk-list--border">
          {reports.map((p) => (
            <li key={p.id}>
              <Link to={`/resources/${p.resource_id}`}>{p.title}</Link>
              <p className="nhsuk-body-s rt-meta">
                Reported by {p.reporter_name ?? "a former member"}
                {p.note ? `: ${p.note}` : ""}
              </p>
              <Form method="post">
                <input type="hidden" name="id" value={p.id} />
                <Button name="intent" value="resolve" variant="secondary">
                  Mark as dealt with <span className="nhsuk-u-visually-hidden">: {p.title}</span>
                </Button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
