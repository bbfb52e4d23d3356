import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, Radios } from "~/components/forms";
import { DigestScopeFields } from "~/components/DigestFields";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { parseIds, parseStrings, resubscribe, subscriptionFromToken, updatePreferences } from "~/models/digests.server";
import { listNetworks } from "~/models/networks.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { preferencesSchema } from "~/validation/digests";

/** Changing a digest from the link in every email: the token is the key, no sign-in needed. */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const sub = await subscriptionFromToken(token);
  if (!sub) throw new Response("This link is not valid. Use the link at the bottom of your latest digest.", { status: 404 });
  const networks = await listNetworks();
  return json({
    token,
    email: sub.email,
    status: sub.status,
    frequency: sub.frequency,
    networkIds: parseIds(sub.network_ids).map(String),
    topics: parseStrings(sub.topics),
    networks: networks.map((n) => ({ id: n.id, name: n.name })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const token = String(form.get("token") ?? "") || (new URL(request.url).searchParams.get("token") ?? "");
  const sub = await subscriptionFromToken(token);
  if (!sub) throw new Response("This link is not valid. Use the link at the bottom of your latest digest.", { status: 404 });
  const back = `/digest/manage?token=${encodeURIComponent(token)}`;
  if (form.get("intent") === "resubscribe") {
    await resubscribe(sub.id);
    return redirectWithFlash(back, "Your digest has started again.");
  }
  const values = formToObject(form, ["networkIds", "topics"]);
  const parsed = parseForm(preferencesSchema, values);
  if (!parsed.ok) return json({ errors: parsed.errors, values: keepValues(values) }, { status: 400 });
  await updatePreferences(sub.id, { frequency: parsed.data.frequency, networkIds: parsed.data.networkIds, topics: parsed.data.topics });
  return redirectWithFlash(back, parsed.data.frequency === "off" ? "Your digest is switched off. You can switch it on again here." : "Your digest choices are saved.");
}

export const meta: MetaFunction = () => [{ title: "Change your digest – Roundtable" }, { name: "robots", content: "noindex" }];

export default function ManageDigest() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = result?.errors;
  const values = result?.values;
  const str = (k: string) => (typeof values?.[k] === "string" ? (values[k] as string) : undefined);
  const arr = (k: string) => (Array.isArray(values?.[k]) ? (values[k] as string[]) : undefined);
  const tokenQuery = `token=${encodeURIComponent(data.token)}`;
  return (
    <Page crumbs={[{ to: "/digest", label: "Email digest" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["frequency", "networkIds", "topics"]} />
          <h1>Change your digest</h1>
          <p>
            For <strong>{data.email}</strong>
          </p>
          {data.status === "unsubscribed" ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>You are unsubscribed, so no digest is sent.</p>
              <Form method="post">
                <input type="hidden" name="token" value={data.token} />
                <input type="hidden" name="intent" value="resubscribe" />
                <Button variant="secondary">Start my digest again</Button>
              </Form>
            </div>
          ) : null}
          {data.status === "suspended" ? (
            <div className="nhsuk-warning-callout">
              <h2 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>Sending is paused
                </span>
              </h2>
              <p>Emails to this address kept being refused, so we stopped sending. Contact the network team to start again.</p>
            </div>
          ) : null}
          <Form method="post" noValidate>
            <input type="hidden" name="token" value={data.token} />
            <Radios
              name="frequency"
              label="How often?"
              defaultValue={str("frequency") ?? data.frequency}
              error={errors?.frequency}
              options={[
                { value: "weekly", label: "Weekly" },
                { value: "daily", label: "Daily" },
                { value: "off", label: "Off for now", hint: "Keep your choices but send nothing" },
              ]}
            />
            <DigestScopeFields networks={data.networks} networkIds={arr("networkIds") ?? data.networkIds} topics={arr("topics") ?? data.topics} errors={errors} />
            <Button>Save my choices</Button>
          </Form>
          <ul className="nhsuk-list">
            <li>
              <Link to={`/digest/preview?${tokenQuery}`}>Preview your next digest</Link>
            </li>
            {data.status !== "unsubscribed" ? (
              <li>
                <Link to={`/digest/unsubscribe?${tokenQuery}`}>Unsubscribe</Link>
              </li>
            ) : null}
          </ul>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
