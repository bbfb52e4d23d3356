import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { Button } from "~/components/forms";
import { holdsAdminRole } from "~/models/access.server";
import { noticeOrganisationDecision } from "~/models/organisation-notices.server";
import { decideOrganisation, listPendingOrganisationsFor, parseId } from "~/models/organisations.server";
import { requireUser, twoStepSetupRedirect, type SessionUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { SECTOR_LABELS } from "~/utils/vocab";

/** Network admins (two-step verification on) only; anyone else gets a 404. */
async function requireApprover(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!(await holdsAdminRole(user))) throw new Response("Not found", { status: 404 });
  if (!user.hasTotp) throw twoStepSetupRedirect("/organisations/queue");
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireApprover(request);
  return json({ pending: await listPendingOrganisationsFor(user) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireApprover(request);
  const form = await request.formData();
  const id = parseId(String(form.get("organisationId") ?? ""));
  const intent = form.get("intent");
  if (id === null || (intent !== "approve" && intent !== "reject")) throw new Response("Not found", { status: 404 });
  const result = await decideOrganisation(user, id, intent);
  if (!result.ok) {
    if (result.notFound) throw new Response("Not found", { status: 404 });
    return json({ error: result.message }, { status: 409 });
  }
  if (result.proposerAccountId) await noticeOrganisationDecision({ accountId: result.proposerAccountId, name: result.name, slug: result.slug, approved: intent === "approve" });
  return redirectWithFlash("/organisations/queue", intent === "approve" ? `${result.name} is approved and listed.` : `${result.name} was rejected.`);
}

export const meta: MetaFunction = () => [{ title: "Organisations waiting for approval – Roundtable" }];

export default function Queue() {
  const { pending } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <Page crumbs={[{ to: "/organisations", label: "Organisations" }]}>
      <h1>Organisations waiting for approval</h1>
      {data?.error ? (
        <div className="nhsuk-error-summary" tabIndex={-1}>
          <div role="alert">
            <h2 className="nhsuk-error-summary__title">There is a problem</h2>
            <p className="nhsuk-error-summary__body">{data.error}</p>
          </div>
        </div>
      ) : null}
      {pending.length === 0 ? (
        <EmptyState title="Nothing to check">
          <p>New organisations that members propose in your networks will appear here.</p>
        </EmptyState>
      ) : (
        pending.map((o) => (
          <div className="nhsuk-card" key={o.id}>
            <div className="nhsuk-card__content">
              <h2 className="nhsuk-card__heading">
                <Link to={`/organisations/${o.slug}`}>{o.name}</Link>
              </h2>
              <p className="nhsuk-body-s rt-meta">
                {SECTOR_LABELS[o.sector]} · {o.area_served} · {o.networks.map((n) => n.short_name).join(", ")}
              </p>
              <p>{o.summary}</p>
              <p className="nhsuk-body-s">
                Proposed by {o.proposer_name ?? "a former member"}
                {o.proposer_email ? ` (${o.proposer_email})` : ""}
                {o.website ? (
                  <>
                    {" · "}
                    <a href={o.website} rel="noopener noreferrer">
                      {o.website.replace(/^https?:\/\//, "")}
                    </a>
                  </>
                ) : null}
                {o.registry_number ? ` · Registration number ${o.registry_number}` : ""}
              </p>
              <Form method="post" className="rt-button-row">
                <input type="hidden" name="organisationId" value={o.id} />
                <Button name="intent" value="approve">
                  Approve<span className="nhsuk-u-visually-hidden"> {o.name}</span>
                </Button>
                <Button name="intent" value="reject" variant="warning">
                  Reject<span className="nhsuk-u-visually-hidden"> {o.name}</span>
                </Button>
              </Form>
            </div>
          </div>
        ))
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
