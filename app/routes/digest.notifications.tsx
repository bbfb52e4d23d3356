import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { NOTICE_KIND_INFO } from "../../db/types/notifier";
import { parseKindToken } from "~/models/digests.server";
import { setNoticeChoice } from "~/models/notifier.server";

/**
 * "Stop emails like this one" from a notice email: that kind stops being emailed for that account
 * (it is still shown on the site); every other kind stays as it was. GET only asks (scanners
 * prefetch); POST acts, also as the RFC 8058 one-click POST, which carries no cookie: the HMAC'd
 * token in the URL is all it needs. Idempotent.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const parsed = await parseKindToken(token);
  if (!parsed) return json({ valid: false as const, token: "", label: "" }, { status: 404 });
  return json({ valid: true as const, token, label: NOTICE_KIND_INFO[parsed.kind].label });
}

export async function action({ request }: ActionFunctionArgs) {
  // One-click senders vary in how they encode the body; the token in the URL is what counts.
  const form = await request.formData().catch(() => new FormData());
  const token = new URL(request.url).searchParams.get("token") ?? String(form.get("token") ?? "");
  const parsed = await parseKindToken(token);
  if (!parsed) return json({ done: false as const, label: "" }, { status: 404 });
  await setNoticeChoice(parsed.accountId, parsed.kind, "site");
  return json({ done: true as const, label: NOTICE_KIND_INFO[parsed.kind].label });
}

export const meta: MetaFunction = () => [{ title: "Stop these emails – Roundtable" }, { name: "robots", content: "noindex" }];

export default function StopNotificationEmails() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const crumbs = [{ to: "/digest", label: "Email digest" }];
  let body;
  if (result?.done) {
    body = (
      <>
        <h1>Those emails are switched off</h1>
        <p>You will no longer get emails for: {result.label}. You will still see these under Notifications when you sign in.</p>
        <p>
          <Link to="/account/digest">Choose which emails you get</Link> (you need to sign in).
        </p>
      </>
    );
  } else if (!data.valid || result) {
    body = (
      <>
        <h1>This link is not valid</h1>
        <p>Check that you copied the whole link from the email, or sign in and choose which emails you get from your account.</p>
        <p>
          <Link to="/account/digest">Email settings on your account</Link>
        </p>
      </>
    );
  } else {
    body = (
      <>
        <h1>Stop these emails?</h1>
        <p>You will no longer get emails for: {data.label}. Every other kind of email stays as it is.</p>
        <Form method="post">
          <input type="hidden" name="token" value={data.token} />
          <Button variant="warning">Stop these emails</Button>
        </Form>
      </>
    );
  }
  return (
    <Page crumbs={crumbs}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">{body}</div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
