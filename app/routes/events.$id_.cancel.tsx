import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, Textarea } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { getEventForViewer } from "~/models/events/queries.server";
import { setEventStatus } from "~/models/events/writes.server";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, parseForm } from "~/utils/forms";
import { cancelEventSchema } from "~/validation/events";

/**
 * "Cancel the event": a page of its own (works without JavaScript) that asks the organiser for a
 * reason. Everyone registered is emailed the reason with a calendar cancellation; the event page
 * shows it too. Only the event's organisers reach it; anyone else gets a 404.
 */
async function manageable(request: Request, idText: string | undefined) {
  const user = await requireUser(request);
  const id = /^\d{1,12}$/.test(idText ?? "") ? Number(idText) : 0;
  const details = id ? await getEventForViewer({ id, user }) : undefined;
  if (!details || !details.canManage) throw new Response("Not found", { status: 404 });
  return { user, details };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { details } = await manageable(request, params.id);
  const { event } = details;
  return json({ id: event.id, title: event.title, recurring: event.recurrence !== null, cancelled: event.status === "cancelled" });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, details } = await manageable(request, params.id);
  const values = formToObject(await request.formData());
  const parsed = parseForm(cancelEventSchema, { reason: "", ...values });
  if (!parsed.ok) return json({ errors: parsed.errors, values }, { status: 400 });
  if (!(await setEventStatus({ user, id: details.event.id, status: "cancelled", reason: parsed.data.reason }))) throw new Response("Not found", { status: 404 });
  return redirectWithFlash(`/events/${details.event.id}`, "The event is cancelled. Everyone registered is being emailed your reason, and calendar feeds show it as cancelled.");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Cancel ${data?.title ?? "the event"} – Roundtable` }];

export default function CancelEvent() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<{ errors?: Record<string, string>; values?: Record<string, unknown> }>();
  const typed = typeof result?.values?.reason === "string" ? result.values.reason : undefined;
  return (
    <Page
      crumbs={[
        { to: "/events", label: "Events" },
        { to: `/events/${data.id}`, label: data.title },
      ]}
    >
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={["reason"]} />
          <h1>{data.recurring ? `Cancel every date of ${data.title}?` : `Cancel ${data.title}?`}</h1>
          {data.cancelled ? (
            <p>
              This event is already cancelled. <Link to={`/events/${data.id}`}>Back to the event</Link>
            </p>
          ) : (
            <>
              <p>Everyone registered or on the waiting list will get one email with your reason and a calendar cancellation that removes it from their calendar.</p>
              <Form method="post" noValidate>
                <Textarea name="reason" label="Why is it cancelled?" hint="For example: the speaker is ill, or the venue is closed. Registrants will see this." defaultValue={typed} error={result?.errors?.reason} rows={4} />
                <Button variant="warning">{data.recurring ? "Cancel the whole series" : "Cancel the event"}</Button>
              </Form>
              <p>
                <Link to={`/events/${data.id}`}>No, keep the event</Link>
              </p>
            </>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
