import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { EventFields } from "~/components/events";
import { organiserNetworks } from "~/models/access.server";
import { getEventForViewer } from "~/models/events/queries.server";
import { formValuesOf, updateEvent } from "~/models/events/writes.server";
import { listOrganisationOptions } from "~/models/organisations.server";
import { requireUser } from "~/utils/auth.server";
import type { SessionUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues } from "~/utils/forms";
import { EVENT_ARRAY_FIELDS, FIELD_ORDER, validateEventForm } from "~/validation/events";

async function manageable(user: SessionUser, idText: string | undefined) {
  const id = Number(idText);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  const details = await getEventForViewer({ id, user });
  if (!details || !details.canManage) throw new Response("Not found", { status: 404 });
  return details;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const details = await manageable(user, params.id);
  const [networks, organisations] = await Promise.all([organiserNetworks(user), listOrganisationOptions()]);
  return json({ id: details.event.id, title: details.event.title, values: formValuesOf(details.event, details.topics), networks, organisations });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const details = await manageable(user, params.id);
  const values = formToObject(await request.formData(), EVENT_ARRAY_FIELDS);
  const kept = { ...keepValues(values), status: details.event.status };
  const checked = validateEventForm(values);
  if (!checked.ok) return json({ errors: checked.errors, values: kept }, { status: 400 });
  const result = await updateEvent({ user, id: details.event.id, input: checked.input });
  if (!result.ok) return json({ errors: result.errors, values: kept }, { status: 400 });
  return redirectWithFlash(`/events/${details.event.id}`, "Your changes are saved. Subscribed calendars will update." + (checked.notes.length ? ` ${checked.notes.join(" ")}` : ""));
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.title ?? "event"} – Roundtable` }];

export default function EditEvent() {
  const { id, title, values, networks, organisations } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <Page crumbs={[{ to: "/events", label: "Events" }, { to: `/events/${id}`, label: title }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={data?.errors} order={FIELD_ORDER} />
          <h1>Edit the event</h1>
          <Form method="post" noValidate>
            <EventFields values={data?.values ?? values} errors={data?.errors} networks={networks} organisations={organisations} isNew={false} />
            <Button>Save changes</Button>
          </Form>
          <p>
            <Link to={`/events/${id}`}>Back to the event without saving</Link>
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
