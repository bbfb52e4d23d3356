import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { Button } from "~/components/forms";
import { requireOrganisationEditor } from "~/utils/auth.server";
import { changeAffiliation, listAffiliations, type AffiliationChange } from "~/models/organisations.server";
import { redirectWithFlash } from "~/utils/flash.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireOrganisationEditor(request, params.slug ?? "");
  const people = await listAffiliations(org.id);
  return json({
    organisation: { slug: org.slug, name: org.name },
    pending: people.filter((p) => p.status === "pending"),
    approved: people.filter((p) => p.status === "approved"),
  });
}

const KINDS = ["approve", "decline", "remove", "make-admin", "make-member"] as const;
const DONE: Record<AffiliationChange["kind"], string> = {
  approve: "Request approved.",
  decline: "Request declined.",
  remove: "Removed from the organisation.",
  "make-admin": "They can now edit this profile.",
  "make-member": "They are now listed as a member.",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, org } = await requireOrganisationEditor(request, params.slug ?? "");
  const form = await request.formData();
  const kind = KINDS.find((k) => k === form.get("intent"));
  const accountId = form.get("accountId");
  if (!kind || typeof accountId !== "string" || accountId.length > 100) return json({ error: "Choose what to do" }, { status: 400 });
  const result = await changeAffiliation(user.id, org.id, { kind, accountId });
  if (!result.ok) return json({ error: result.message }, { status: 400 });
  return redirectWithFlash(`/organisations/${org.slug}/people`, DONE[kind]);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `People – ${data.organisation.name} – Roundtable` : "People – Roundtable" }];

export default function People() {
  const { organisation, pending, approved } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <Page
      crumbs={[
        { to: "/organisations", label: "Organisations" },
        { to: `/organisations/${organisation.slug}`, label: organisation.name },
      ]}
    >
      <span className="nhsuk-caption-l">{organisation.name}</span>
      <h1>People and requests</h1>
      {data?.error ? (
        <div className="nhsuk-error-summary" tabIndex={-1}>
          <div role="alert">
            <h2 className="nhsuk-error-summary__title">There is a problem</h2>
            <p className="nhsuk-error-summary__body">{data.error}</p>
          </div>
        </div>
      ) : null}
      <h2>Asking to be listed</h2>
      {pending.length === 0 ? (
        <EmptyState title="No requests waiting" />
      ) : (
        <ul className="nhsuk-list nhsuk-list--border">
          {pending.map((p) => (
            <li key={p.account_id}>
              <p className="nhsuk-u-margin-bottom-1">
                <strong>{p.name}</strong> ({p.email}){p.job_title ? `, ${p.job_title}` : ""}
              </p>
              {p.message ? <p className="rt-prewrap nhsuk-body-s">“{p.message}”</p> : null}
              <Form method="post" className="rt-button-row">
                <input type="hidden" name="accountId" value={p.account_id} />
                <Button name="intent" value="approve">
                  Approve<span className="nhsuk-u-visually-hidden"> {p.name}</span>
                </Button>
                <Button name="intent" value="decline" variant="secondary">
                  Decline<span className="nhsuk-u-visually-hidden"> {p.name}</span>
                </Button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <h2>Listed here</h2>
      {approved.length === 0 ? (
        <EmptyState title="Nobody is listed yet" />
      ) : (
        <ul className="nhsuk-list nhsuk-list--border">
          {approved.map((p) => (
            <li key={p.account_id}>
              <p className="nhsuk-u-margin-bottom-1">
                <strong>{p.name}</strong> ({p.email}) · {p.role === "admin" ? "Profile admin" : "Member"}
              </p>
              <Form method="post" className="rt-button-row">
                <input type="hidden" name="accountId" value={p.account_id} />
                {p.role === "admin" ? (
                  <Button name="intent" value="make-member" variant="secondary">
                    Make a member<span className="nhsuk-u-visually-hidden"> ({p.name})</span>
                  </Button>
                ) : (
                  <Button name="intent" value="make-admin" variant="secondary">
                    Make a profile admin<span className="nhsuk-u-visually-hidden"> ({p.name})</span>
                  </Button>
                )}
                <Button name="intent" value="remove" variant="warning">
                  Remove<span className="nhsuk-u-visually-hidden"> {p.name}</span>
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
