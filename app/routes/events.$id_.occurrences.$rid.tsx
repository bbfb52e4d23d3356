import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { occurrenceUrl } from "~/models/events/shared.server";
import { findOccurrence } from "~/models/events/occurrences.server";
import { getEventForViewer } from "~/models/events/queries.server";
import { changeOccurrence } from "~/models/events/writes.server";
import { requireUser, type SessionUser } from "~/utils/auth.server";
import { describeWhen } from "~/utils/event-time";
import { redirectWithFlash } from "~/utils/flash.server";
import { localToUtc, parseLocal } from "~/utils/recurrence";
import { cleanSingleLine } from "~/utils/text";

async function load(user: SessionUser, idText: string | undefined, rid: string | undefined) {
  const id = Number(idText);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  const details = await getEventForViewer({ id, user });
  if (!details || !details.canManage || details.event.recurrence === null) throw new Response("Not found", { status: 404 });
  const occ = findOccurrence(details.event, details.overrides, (rid ?? "").slice(0, 40));
  if (!occ) throw new Response("Not found", { status: 404 });
  return { details, occ };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { details, occ } = await load(user, params.id, params.rid);
  const allDay = details.event.all_day;
  return json({
    id: details.event.id,
    title: details.event.title,
    allDay,
    occurrence: occ.occurrence,
    when: describeWhen(occ.startLocal, occ.endLocal, allDay, details.event.time_zone),
    usual: describeWhen(allDay ? occ.occurrence.slice(0, 10) : occ.occurrence, allDay ? occ.occurrence.slice(0, 10) : occ.occurrence, allDay, details.event.time_zone),
    cancelled: occ.cancelled,
    moved: occ.moved,
    values: { date: occ.startLocal.slice(0, 10), startTime: occ.startLocal.slice(11, 16), endTime: occ.endLocal.slice(11, 16) },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { details, occ } = await load(user, params.id, params.rid);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const note = cleanSingleLine(String(form.get("note") ?? ""), 300) || undefined;
  const back = occurrenceUrl(details.event.id, occ.occurrence);
  if (intent === "cancel") {
    await changeOccurrence({ user, id: details.event.id, rid: occ.occurrence, change: { cancel: true, note } });
    return redirectWithFlash(back, "This date is cancelled. The other dates go ahead, and calendar feeds drop this one.");
  }
  if (intent === "restore") {
    await changeOccurrence({ user, id: details.event.id, rid: occ.occurrence, change: { restore: true } });
    return redirectWithFlash(back, "This date is back to normal.");
  }
  if (intent === "move") {
    const values = { date: String(form.get("date") ?? ""), startTime: String(form.get("startTime") ?? ""), endTime: String(form.get("endTime") ?? "") };
    const errors: Record<string, string> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date) || !parseLocal(values.date)) errors.date = "Enter the new date, for example 2026-12-17";
    else if (Math.abs(Date.parse(values.date) - Date.parse(occ.occurrence.slice(0, 10))) > 60 * 86_400_000) errors.date = "Move a date by up to 60 days; for a bigger change, cancel this date and add a new event";
    if (!details.event.all_day) {
      if (!/^\d{2}:\d{2}$/.test(values.startTime) || !parseLocal(`2000-01-01T${values.startTime}`)) errors.startTime = "Enter the start time, for example 20:00";
      if (!/^\d{2}:\d{2}$/.test(values.endTime) || !parseLocal(`2000-01-01T${values.endTime}`)) errors.endTime = "Enter the end time, for example 21:00";
    }
    if (!errors.date && !errors.startTime && !errors.endTime && !details.event.all_day) {
      const s = localToUtc(`${values.date}T${values.startTime}`, details.event.time_zone);
      const e = localToUtc(`${values.date}T${values.endTime}`, details.event.time_zone);
      if (e <= s) errors.endTime = "The event must end after it starts";
    }
    if (Object.keys(errors).length) return json({ errors, values }, { status: 400 });
    const startLocal = details.event.all_day ? values.date : `${values.date}T${values.startTime}`;
    const endLocal = details.event.all_day ? values.date : `${values.date}T${values.endTime}`;
    await changeOccurrence({ user, id: details.event.id, rid: occ.occurrence, change: { startLocal, endLocal, note } });
    return redirectWithFlash(back, "This date has moved. Calendar feeds show the new time.");
  }
  return json({ errors: { form: "Choose what to do with this date" }, values: null }, { status: 400 });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Change one date of ${data?.title ?? "an event"} – Roundtable` }];

export default function OccurrencePage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? data.values;
  return (
    <Page crumbs={[{ to: "/events", label: "Events" }, { to: `/events/${data.id}`, label: data.title }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={actionData?.errors} order={["date", "startTime", "endTime", "form"]} />
          <span className="nhsuk-caption-l">{data.title}</span>
          <h1>Change one date</h1>
          <p>
            <strong>{data.when}</strong>
            {data.cancelled ? " (cancelled)" : data.moved ? " (moved)" : ""}
          </p>
          <p>Changes here affect this date only. The rest of the series stays as it is.</p>

          {data.cancelled || data.moved ? (
            <Form method="post">
              <h2 className="nhsuk-heading-m">Put this date back</h2>
              <p>Restore it to its usual time: {data.usual}.</p>
              <Button name="intent" value="restore" variant="secondary">
                Restore this date
              </Button>
            </Form>
          ) : null}

          {!data.cancelled ? (
            <Form method="post">
              <h2 className="nhsuk-heading-m">Cancel this date</h2>
              <TextInput name="note" id="cancel-note" label="Reason (optional)" hint="Shown on the event page, for example 'Christmas break'." />
              <Button name="intent" value="cancel" variant="warning">
                Cancel this date only
              </Button>
            </Form>
          ) : null}

          <Form method="post" noValidate>
            <h2 className="nhsuk-heading-m">Move this date</h2>
            <TextInput name="date" label="New date" type="date" error={actionData?.errors && "date" in actionData.errors ? actionData.errors.date : undefined} defaultValue={values?.date} />
            {!data.allDay ? (
              <div className="rt-date-time">
                <TextInput name="startTime" label="Start time (UK)" type="time" error={actionData?.errors && "startTime" in actionData.errors ? actionData.errors.startTime : undefined} defaultValue={values?.startTime} />
                <TextInput name="endTime" label="End time (UK)" type="time" error={actionData?.errors && "endTime" in actionData.errors ? actionData.errors.endTime : undefined} defaultValue={values?.endTime} />
              </div>
            ) : null}
            <TextInput name="note" id="move-note" label="Note (optional)" hint="For example 'Moved because of the bank holiday'." />
            <Button name="intent" value="move" variant="secondary">
              Move this date
            </Button>
          </Form>
          <p>
            <Link to={`/events/${data.id}`}>Back to the event</Link>
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
