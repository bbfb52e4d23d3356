import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { NOTICE_CHOICE_LABELS, NOTICE_CHOICES, NOTICE_KIND_INFO, type NoticeChoice } from "../../db/types/notifier";
import { Button, Checkboxes, ErrorSummary, Radios } from "~/components/forms";
import { DigestScopeFields } from "~/components/DigestFields";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { digestLinks } from "~/models/digest-sender.server";
import {
  ACCOUNT_CONSENT_TEXT,
  getAccountSubscription,
  parseIds,
  parseStrings,
  saveAccountDigest,
} from "~/models/digests.server";
import { getNoticeChoices, offeredKinds, setNoticeChoice } from "~/models/notifier.server";
import { listNetworks } from "~/models/networks.server";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { preferencesSchema } from "~/validation/digests";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [sub, networks, choices, kinds] = await Promise.all([getAccountSubscription(user), listNetworks(), getNoticeChoices(user.id), offeredKinds(user.id)]);
  const active = sub && sub.status === "active" && sub.frequency !== "off";
  return json({
    email: user.email,
    emailVerified: user.emailVerified,
    status: sub?.status ?? null,
    frequency: active ? sub.frequency : "off",
    networkIds: sub ? parseIds(sub.network_ids).map(String) : [],
    topics: sub ? parseStrings(sub.topics) : [],
    includeFollows: sub ? sub.include_follows : true,
    previewUrl: sub && sub.status !== "pending" ? (await digestLinks(sub)).previewUrl.replace(/^https?:\/\/[^/]+/, "") : null,
    networks: networks.map((n) => ({ id: n.id, name: n.name })),
    notices: kinds.map((kind) => ({ kind, label: NOTICE_KIND_INFO[kind].label, choice: choices[kind] })),
    consentText: ACCOUNT_CONSENT_TEXT,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("intent") === "emails") {
    // Only the kinds this member is offered; an unknown or missing value leaves that kind as it was.
    for (const kind of await offeredKinds(user.id)) {
      const value = String(form.get(`kind-${kind}`) ?? "");
      const choice = NOTICE_CHOICES.find((c): c is NoticeChoice => c === value);
      if (choice) await setNoticeChoice(user.id, kind, choice);
    }
    return redirectWithFlash("/account/digest", "Your notification choices are saved.");
  }
  const values = formToObject(form, ["networkIds", "topics"]);
  const parsed = parseForm(preferencesSchema, values);
  if (!parsed.ok) return json({ errors: parsed.errors, values: keepValues(values) }, { status: 400 });
  if (!user.emailVerified && parsed.data.frequency !== "off") {
    return json({ errors: { frequency: "Confirm your email address first: use the link we emailed you when you signed up" }, values: keepValues(values) }, { status: 400 });
  }
  await saveAccountDigest(user, {
    frequency: parsed.data.frequency,
    networkIds: parsed.data.networkIds,
    topics: parsed.data.topics,
    includeFollows: parsed.data.includeFollows === "yes",
  });
  return redirectWithFlash("/account/digest", parsed.data.frequency === "off" ? "Your digest is switched off." : "Your digest choices are saved.");
}

export const meta: MetaFunction = () => [{ title: "Digest and emails – Roundtable" }];

export default function AccountDigest() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = result?.errors;
  const values = result?.values;
  const str = (k: string) => (typeof values?.[k] === "string" ? (values[k] as string) : undefined);
  const arr = (k: string) => (Array.isArray(values?.[k]) ? (values[k] as string[]) : undefined);
  return (
    <Page crumbs={[{ to: "/account", label: "Your account" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["frequency", "networkIds", "topics"]} />
          <h1>Digest and emails</h1>
          <h2>Your digest</h2>
          <p>
            A summary of upcoming events, new resources and active discussions, sent to <strong>{data.email}</strong>. It includes members-only news from your
            networks. When there is nothing new, nothing is sent.
          </p>
          {data.status === "suspended" ? (
            <div className="nhsuk-warning-callout">
              <h3 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>Sending is paused
                </span>
              </h3>
              <p>Emails to your address kept being refused, so we stopped sending. Ask a platform admin to start it again once your mailbox works.</p>
            </div>
          ) : null}
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="digest" />
            <Radios
              name="frequency"
              label="How often?"
              hint={data.frequency === "off" ? `By choosing daily or weekly you agree: ${data.consentText}` : undefined}
              defaultValue={str("frequency") ?? data.frequency}
              error={errors?.frequency}
              options={[
                { value: "weekly", label: "Weekly" },
                { value: "daily", label: "Daily" },
                { value: "off", label: "Off" },
              ]}
            />
            <DigestScopeFields networks={data.networks} networkIds={arr("networkIds") ?? data.networkIds} topics={arr("topics") ?? data.topics} errors={errors} />
            <Checkboxes
              name="includeFollows"
              label="What you follow"
              defaultValues={values ? (str("includeFollows") ? ["yes"] : []) : data.includeFollows ? ["yes"] : []}
              options={[{ value: "yes", label: "Include news from organisations and discussions I follow" }]}
            />
            <Button>Save digest choices</Button>
          </Form>
          {data.previewUrl ? (
            <p>
              <Link to={data.previewUrl}>Preview your next digest</Link>
            </p>
          ) : null}
          <h2 id="emails">Notifications about things that involve you</h2>
          <p>
            For each kind, choose how you hear about it. “Put it in my digest” needs your digest switched on above; until then those appear only on the
            site, under Notifications.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="emails" />
            {data.notices.map((n) => (
              <Radios
                key={n.kind}
                name={`kind-${n.kind}`}
                label={n.label}
                small
                defaultValue={n.choice}
                options={NOTICE_CHOICES.map((c) => ({ value: c, label: NOTICE_CHOICE_LABELS[c] }))}
              />
            ))}
            <Button variant="secondary">Save notification choices</Button>
          </Form>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
