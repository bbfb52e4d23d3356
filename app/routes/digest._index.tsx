import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button, Checkboxes, ErrorSummary, Radios, TextInput } from "~/components/forms";
import { DigestScopeFields } from "~/components/DigestFields";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { PUBLIC_CONSENT_TEXT, requestSubscription, sendConfirmationEmail } from "~/models/digests.server";
import { listNetworks } from "~/models/networks.server";
import { clientIp, getOptionalUser } from "~/utils/auth.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { consume } from "~/utils/rate-limit.server";
import { signUpSchema } from "~/validation/digests";
import { keepRouteHeaders } from "~/utils/headers";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const networks = await listNetworks();
  const requested = new URL(request.url).searchParams.get("requested") === "1";
  return json({
    signedIn: Boolean(user),
    requested,
    networks: networks.map((n) => ({ id: n.id, name: n.name })),
    consentText: PUBLIC_CONSENT_TEXT,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const values = formToObject(await request.formData(), ["networkIds", "topics"]);
  const parsed = parseForm(signUpSchema, values);
  if (!parsed.ok) return json({ errors: parsed.errors, values: keepValues(values) }, { status: 400 });
  const ip = clientIp(request) ?? "unknown";
  const byIp = await consume(`digest:signup:ip:${ip}`, 20, 3600);
  if (!byIp.allowed) {
    return json(
      { errors: { email: `Too many sign-ups from your connection. Please wait ${Math.ceil(byIp.retryAfterSeconds / 60)} minutes and try again.` }, values: keepValues(values) },
      { status: 429, headers: { "Retry-After": String(byIp.retryAfterSeconds) } },
    );
  }
  const email = parsed.data.email.toLowerCase();
  // A limit per address stops the form being used to flood someone's inbox; the answer stays the same.
  const byAddress = await consume(`digest:signup:email:${email}`, 3, 3600);
  const result = byAddress.allowed
    ? await requestSubscription({ email, frequency: parsed.data.frequency, networkIds: parsed.data.networkIds, topics: parsed.data.topics })
    : undefined;
  if (result) await sendConfirmationEmail({ to: email, token: result.token, frequency: parsed.data.frequency });
  // The same answer whether the address is new, pending, already subscribed or limited.
  return redirect("/digest?requested=1");
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [
  { title: "Get the email digest – Roundtable" },
  { name: "description", content: "A daily or weekly email of events, resources and discussions from Roundtable's social-prescribing networks." },
];

export default function DigestSignUp() {
  const { networks, requested, signedIn, consentText } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  const values = data?.values;
  const str = (k: string) => (typeof values?.[k] === "string" ? (values[k] as string) : undefined);
  const arr = (k: string) => (Array.isArray(values?.[k]) ? (values[k] as string[]) : undefined);
  if (requested) {
    return (
      <Page crumbs={[{ to: "/digest", label: "Email digest" }]}>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h1>Check your email</h1>
            <p>If the address can receive the digest, we have sent it a link to confirm. Nothing else will be sent until the link is used.</p>
            <p>The link works once and expires in 48 hours. If nothing arrives in a few minutes, look in your spam or junk folder.</p>
            <p>
              <Link to="/">Back to the home page</Link>
            </p>
          </div>
        </div>
      </Page>
    );
  }
  return (
    <Page>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["email", "frequency", "networkIds", "topics", "consent"]} />
          <h1>Get the email digest</h1>
          <p className="nhsuk-lede-text">Upcoming events, new resources and active discussions from the networks, straight to your inbox. No account needed.</p>
          {signedIn ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>
                You are signed in. <Link to="/account/digest">Choose your digest on your account</Link> to include the members-only news of your networks and the organisations and discussions you follow.
              </p>
            </div>
          ) : null}
          <Form method="post" noValidate>
            <TextInput name="email" label="Email address" type="email" autoComplete="email" spellCheck={false} defaultValue={str("email")} error={errors?.email} />
            <Radios
              name="frequency"
              label="How often?"
              defaultValue={str("frequency") ?? "weekly"}
              error={errors?.frequency}
              options={[
                { value: "weekly", label: "Weekly", hint: "One email at the start of each week" },
                { value: "daily", label: "Daily", hint: "One email each day there is something new" },
              ]}
            />
            <DigestScopeFields networks={networks} networkIds={arr("networkIds")} topics={arr("topics")} errors={errors} topicsOptional />
            <Checkboxes name="consent" label="Your agreement" defaultValues={arr("consent") ?? (str("consent") ? [str("consent") ?? ""] : [])} error={errors?.consent} options={[{ value: "yes", label: consentText }]} />
            <p>We will email you a link to confirm. We use your address only for the digest. <Link to="/privacy">How we use your information</Link></p>
            <Button>{navigation.state === "submitting" ? "Sending…" : "Send me a confirmation link"}</Button>
          </Form>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
