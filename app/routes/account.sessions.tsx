import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { endOtherSessions, endSessionByHash, getAuth, listSessions, requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";

/** A rough, human description of a browser from its user agent: enough to recognise a device. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const ua = userAgent;
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /OPR\//.test(ua)
      ? "Opera"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Chrom(e|ium)\//.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua)
            ? "Safari"
            : "A browser";
  const os = /iPhone|iPad/.test(ua)
    ? "iPhone or iPad"
    : /Android/.test(ua)
      ? "Android"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X|Macintosh/.test(ua)
          ? "Mac"
          : /Linux/.test(ua)
            ? "Linux"
            : "an unknown system";
  return `${browser} on ${os}`;
}

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const auth = await getAuth(request);
  const sessions = await listSessions(user.id);
  return json({
    sessions: sessions.map((s) => ({
      hash: s.id,
      device: describeDevice(s.user_agent),
      lastUsed: when.format(new Date(s.last_seen_at)),
      signedIn: when.format(new Date(s.created_at)),
      current: s.id === auth?.sessionHash,
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "end-others") {
    await endOtherSessions(user.id, request);
    return redirectWithFlash("/account/sessions", "You have been signed out on every other device.");
  }
  if (intent === "end") {
    const hash = String(form.get("session") ?? "");
    const auth = await getAuth(request);
    if (!/^[0-9a-f]{64}$/.test(hash) || hash === auth?.sessionHash) throw new Response("Bad request", { status: 400 });
    // Scoped to this account: another person's session hash ends nothing.
    await endSessionByHash(user.id, hash);
    return redirectWithFlash("/account/sessions", "That device has been signed out.");
  }
  throw new Response("Bad request", { status: 400 });
}

export const meta: MetaFunction = () => [{ title: "Where you are signed in – Roundtable" }];

export default function Sessions() {
  const { sessions } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[{ to: "/account", label: "Your account" }]}>
      <h1>Where you are signed in</h1>
      <p>If you do not recognise a device, sign it out and change your password.</p>
      <ul className="nhsuk-list">
        {sessions.map((s, i) => (
          <li key={s.hash} className="nhsuk-card">
            <div className="nhsuk-card__content">
              <h2 className="nhsuk-card__heading nhsuk-heading-s">
                {s.device}
                {s.current ? <strong className="nhsuk-tag nhsuk-tag--green rt-tag-inline">This device</strong> : null}
              </h2>
              <p className="nhsuk-body-s">
                Last used {s.lastUsed}. Signed in {s.signedIn}.
              </p>
              {s.current ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="end" />
                  <input type="hidden" name="session" value={s.hash} />
                  <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" aria-label={`Sign out this device: ${s.device}, last used ${s.lastUsed}`}>
                    Sign out this device
                  </button>
                </Form>
              )}
            </div>
          </li>
        ))}
      </ul>
      {sessions.length > 1 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="end-others" />
          <Button variant="warning">Sign out every other device</Button>
        </Form>
      ) : null}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
