import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { sendVerificationEmail } from "~/models/accounts-email.server";
import { Button } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { createEmailToken, EMAIL_ADDRESS_LIMIT, getAccount, limitExceeded } from "~/models/accounts.server";
import { listMembershipsOf } from "~/models/networks.server";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { tooManyRequests } from "~/utils/rate-limit.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const account = await getAccount(user.id);
  if (!account) throw new Response("Not found", { status: 404 });
  return json({
    account: {
      name: account.name,
      email: account.email,
      verified: account.email_verified_at !== null,
      jobTitle: account.job_title,
      bio: account.bio,
      organisation: account.organisation_name ? { name: account.organisation_name, slug: account.organisation_slug, pending: account.organisation_status !== "approved" } : null,
      visible: account.profile_visible,
      twoStep: account.totp_secret !== null,
      platformAdmin: account.is_platform_admin,
    },
    memberships: await listMembershipsOf(user.id),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("intent") !== "resend-verification") throw new Response("Bad request", { status: 400 });
  if (user.emailVerified) return redirectWithFlash("/account", "Your email address is already confirmed.", { kind: "info" });
  const wait = await limitExceeded(`verify-email:address:${user.email}`, EMAIL_ADDRESS_LIMIT);
  if (wait !== null) return tooManyRequests(wait, "emails sent");
  const token = await createEmailToken(user.id, user.email, "verify-email");
  await sendVerificationEmail(user.email, user.name, token);
  return redirectWithFlash("/account", `We have sent a new link to ${user.email}.`);
}

export const meta: MetaFunction = () => [{ title: "Your account – Roundtable" }];

const STATUS_LABEL = { pending: "Waiting for approval", approved: "Member", declined: "Not approved" } as const;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

export default function AccountPage() {
  const { account, memberships } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>Your account</h1>
      {!account.verified ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Confirm your email address
            </span>
          </h2>
          <p>We sent a link to {account.email}. Confirm your address to ask to join networks.</p>
          <Form method="post">
            <input type="hidden" name="intent" value="resend-verification" />
            <Button variant="secondary">Send the link again</Button>
          </Form>
        </div>
      ) : null}
      <h2>Your profile</h2>
      <dl className="nhsuk-summary-list">
        <Row label="Name">{account.name}</Row>
        <Row label="Email address">{account.email}</Row>
        <Row label="Job title">{account.jobTitle ?? "Not given"}</Row>
        <Row label="Organisation">
          {account.organisation ? (
            account.organisation.pending ? (
              `${account.organisation.name} (waiting for approval)`
            ) : (
              <Link to={`/organisations/${account.organisation.slug}`}>{account.organisation.name}</Link>
            )
          ) : (
            "Not given"
          )}
        </Row>
        <Row label="About you">{account.bio ?? "Not given"}</Row>
        <Row label="Other members can see your profile">{account.visible ? "Yes" : "No"}</Row>
      </dl>
      <p>
        <Link to="/account/profile">Change your profile</Link>
      </p>

      <h2>Your networks</h2>
      {memberships.length ? (
        <ul className="nhsuk-list nhsuk-list--border">
          {memberships.map((m) => (
            <li key={m.slug}>
              <Link to={`/networks/${m.slug}`}>{m.name}</Link>
              <span className="nhsuk-body-s rt-meta">
                {" "}
                · {m.status === "approved" ? m.role.charAt(0).toUpperCase() + m.role.slice(1) : STATUS_LABEL[m.status]}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>
          You have not joined a network yet. <Link to="/networks">Find your network</Link>.
        </p>
      )}
      <p>
        <Link to="/members">Find people in the member directory</Link>
      </p>

      <h2>Security</h2>
      <ul className="nhsuk-list">
        <li>
          <Link to="/account/password">Change your password</Link>
        </li>
        <li>
          <Link to="/account/two-step">Two-step verification</Link> <span className="nhsuk-body-s rt-meta">({account.twoStep ? "on" : "off"})</span>
        </li>
        <li>
          <Link to="/account/sessions">Where you are signed in</Link>
        </li>
      </ul>

      <h2>Email and calendar</h2>
      <ul className="nhsuk-list">
        <li>
          <Link to="/account/digest">Your email digest</Link>
        </li>
        <li>
          <Link to="/account/calendar">Your calendar feed</Link>
          <span className="nhsuk-body-s rt-meta rt-meta--below">Your events and the organisations you follow, in Outlook, Google or Apple Calendar</span>
        </li>
      </ul>

      {account.platformAdmin ? (
        <>
          <h2>Platform admin</h2>
          <ul className="nhsuk-list">
            <li>
              <Link to="/admin">Platform admin tools</Link> <span className="nhsuk-body-s rt-meta">(accounts, two-step resets, digest sending)</span>
            </li>
          </ul>
        </>
      ) : null}

      <h2>Your data</h2>
      <ul className="nhsuk-list">
        <li>
          <a href="/account/data" download>
            Download your data
          </a>{" "}
          <span className="nhsuk-body-s rt-meta">(a JSON file)</span>
        </li>
        <li>
          <Link to="/account/delete">Delete your account</Link>
        </li>
      </ul>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
