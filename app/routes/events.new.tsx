import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary } from "~/components/forms";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { EventFields } from "~/components/events";
import { organiserNetworks } from "~/models/access.server";
import { createEvent } from "~/models/events/writes.server";
import { listOrganisationOptions } from "~/models/organisations.server";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues } from "~/utils/forms";
import { EVENT_ARRAY_FIELDS, FIELD_ORDER, validateEventForm } from "~/validation/events";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [networks, organisations] = await Promise.all([organiserNetworks(user), listOrganisationOptions()]);
  return json({ networks, organisations });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formToObject(await request.formData(), EVENT_ARRAY_FIELDS);
  const kept = keepValues(values);
  const checked = validateEventForm(values);
  if (!checked.ok) return json({ errors: checked.errors, values: kept }, { status: 400 });
  const result = await createEvent({ user, input: checked.input });
  if (!result.ok) return json({ errors: result.errors, values: kept }, { status: 400 });
  const note = checked.notes.length ? ` ${checked.notes.join(" ")}` : "";
  return redirectWithFlash(`/events/${result.id}`, (checked.input.publish === "draft" ? "Your draft is saved. Only organisers can see it." : "Your event is published.") + note);
}

export const meta: MetaFunction = () => [{ title: "Add an event – Roundtable" }];

export default function NewEvent() {
  const { networks, organisations } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <Page crumbs={[{ to: "/events", label: "Events" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={data?.errors} order={FIELD_ORDER} />
          <h1>Add an event</h1>
          {networks.length === 0 ? (
            <EmptyState title="Only a network's organisers can add events.">
              <p>
                Ask an organiser of your network to add it, or <Link to="/networks">find your network</Link>.
              </p>
            </EmptyState>
          ) : (
            <Form method="post" noValidate>
              <EventFields values={data?.values ?? {}} errors={data?.errors} networks={networks} organisations={organisations} isNew />
              <Button>Save event</Button>
            </Form>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
