import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { createCookie, json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { checkCurrentPassword, disableTwoStep, enableTwoStep, regenerateRecoveryCodes, unusedRecoveryCodeCount } from "~/models/accounts.server";
import { holdsAdminRole } from "~/models/access.server";
import { createLoginSession, requireUser } from "~/utils/auth.server";
import { redirectWithFlash, safeRedirect } from "~/utils/flash.server";
import { env } from "~/utils/env.server";
import { generateTotpSecret, qrSvg, totpUri } from "~/utils/totp.server";
import { keepRouteHeaders } from "~/utils/headers";

/**
 * The new recovery codes travel to the page that shows them once in a short-lived cookie for
 * this page alone, read and cleared by the loader. The action cannot show them itself: turning
 * the second step on starts a new session, and on a plain (no-JavaScript) form post the loader
 * of the same request still carries the old, deleted session, so it signed the member out.
 */
function recoveryCodesCookie() {
  return createCookie("rt_recovery_codes", { path: "/account/two-step", httpOnly: true, sameSite: "strict", secure: env().secureCookies, maxAge: 300 });
}

async function takeRecoveryCodes(request: Request, accountId: string): Promise<{ codes: string[] | null; clear: string | null }> {
  const cookie = recoveryCodesCookie();
  const value: unknown = await cookie.parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object" || !("accountId" in value) || !("codes" in value)) return { codes: null, clear: null };
  const clear = await cookie.serialize("", { maxAge: 0 });
  const codes = value.accountId === accountId && Array.isArray(value.codes) ? value.codes.filter((c): c is string => typeof c === "string") : null;
  return { codes, clear };
}

async function enrolmentView(email: string, secret: string) {
  return { secret, qr: await qrSvg(totpUri({ secret, accountName: email })) };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/account");
  const recovery = await takeRecoveryCodes(request, user.id);
  const headers: HeadersInit = recovery.clear ? { "Set-Cookie": recovery.clear, "Cache-Control": "no-store" } : {};
  return json({
    newCodes: recovery.codes,
    enabled: user.hasTotp,
    required: await holdsAdminRole(user),
    recoveryCodesLeft: user.hasTotp ? await unusedRecoveryCodeCount(user.id) : 0,
    enrol: user.hasTotp ? null : await enrolmentView(user.email, generateTotpSecret()),
    redirectTo,
  }, { headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "enable") {
    const secret = String(form.get("secret") ?? "");
    const code = String(form.get("code") ?? "").slice(0, 32);
    if (user.hasTotp) return redirectWithFlash("/account/two-step", "Two-step verification is already on.", { kind: "info" });
    if (!/^[A-Z2-7]{32}$/.test(secret)) return json({ errors: { code: "Something went wrong. Scan the new QR code and try again." }, enrol: await enrolmentView(user.email, generateTotpSecret()), codes: null }, { status: 400 });
    const result = code.trim() === "" ? { ok: false as const } : await enableTwoStep(user.id, secret, code);
    if (!result.ok) {
      return json(
        { errors: { code: code.trim() === "" ? "Enter the 6-digit code from your authenticator app" : "That code did not match. Check your app shows Roundtable and enter the code it shows now" }, enrol: await enrolmentView(user.email, secret), codes: null },
        { status: 400 },
      );
    }
    // This device has just proved the second step; a new session id marks the change of rights.
    const headers = new Headers();
    headers.append("Set-Cookie", await createLoginSession(user.id, request, { mfaVerified: true }));
    headers.append("Set-Cookie", await recoveryCodesCookie().serialize({ accountId: user.id, codes: result.recoveryCodes }));
    const back = new URL(request.url).searchParams.get("redirectTo");
    return redirect(back ? `/account/two-step?redirectTo=${encodeURIComponent(safeRedirect(back, "/account"))}` : "/account/two-step", { headers });
  }
  const password = String(form.get("password") ?? "");
  if (!user.hasTotp) return redirectWithFlash("/account/two-step", "Two-step verification is off.", { kind: "info" });
  if (!(await checkCurrentPassword(user.id, password))) {
    return json({ errors: { [`password-${intent}`]: "Enter your current password" }, enrol: null, codes: null }, { status: 400 });
  }
  if (intent === "regenerate") {
    return json({ errors: null, enrol: null, codes: await regenerateRecoveryCodes(user.id) });
  }
  if (intent === "disable") {
    if (await holdsAdminRole(user)) {
      return json({ errors: { "password-disable": "Admins must keep two-step verification on. Ask another admin to take over your role first." }, enrol: null, codes: null }, { status: 400 });
    }
    await disableTwoStep(user.id);
    return redirectWithFlash("/account", "Two-step verification is off.");
  }
  throw new Response("Bad request", { status: 400 });
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Two-step verification – Roundtable" }];

function RecoveryCodes({ codes, continueTo }: { codes: string[]; continueTo: string }) {
  return (
    <>
      <h1>Save your recovery codes</h1>
      <div className="nhsuk-warning-callout">
        <h2 className="nhsuk-warning-callout__label">
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Important: </span>Shown only once
          </span>
        </h2>
        <p>If you lose your phone, each of these codes lets you sign in once. Print them or keep them in a password manager. We will not show them again.</p>
      </div>
      <h2>Your recovery codes</h2>
      <ul className="nhsuk-list rt-recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <Link className="nhsuk-button" to={continueTo}>
        I have saved my codes, continue
      </Link>
    </>
  );
}

export default function TwoStepSettings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = result?.errors ?? undefined;
  const codes = (result && "codes" in result ? result.codes : null) ?? data.newCodes;
  if (codes) {
    return (
      <Page crumbs={[{ to: "/account", label: "Your account" }]}>
        <RecoveryCodes codes={codes} continueTo={data.redirectTo} />
      </Page>
    );
  }
  const enrol = result?.enrol ?? data.enrol;
  return (
    <Page crumbs={[{ to: "/account", label: "Your account" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <h1>Two-step verification</h1>
          {!data.enabled && enrol ? (
            <>
              <p>
                When you sign in, we will ask for a code from an authenticator app on your phone as well as your password, so a stolen password alone is not enough.
                {data.required ? " Admins must turn this on." : ""}
              </p>
              <h2>1. Add Roundtable to your authenticator app</h2>
              <p>Use an app such as Microsoft Authenticator, Google Authenticator or 1Password. Scan this QR code with it:</p>
              <div className="rt-qr" dangerouslySetInnerHTML={{ __html: enrol.qr }} />
              <details className="nhsuk-details">
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">I cannot scan the code</span>
                </summary>
                <div className="nhsuk-details__text">
                  <p>Choose to enter a key by hand in your app, and type this key (time-based):</p>
                  <p className="rt-secret" data-testid="totp-secret">
                    {enrol.secret.match(/.{1,4}/g)?.join(" ")}
                  </p>
                </div>
              </details>
              <h2>2. Enter the code your app shows</h2>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="enable" />
                <input type="hidden" name="secret" value={enrol.secret} />
                <TextInput name="code" label="6-digit code from your app" autoComplete="one-time-code" inputMode="numeric" spellCheck={false} width={10} error={errors?.code} />
                <Button>Turn on two-step verification</Button>
              </Form>
            </>
          ) : (
            <>
              <p>
                <strong className="nhsuk-tag nhsuk-tag--green">On</strong> We ask for a code from your authenticator app when you sign in.
              </p>
              <p>You have {data.recoveryCodesLeft} unused recovery code{data.recoveryCodesLeft === 1 ? "" : "s"}.</p>
              <h2>Make new recovery codes</h2>
              <p>Your old codes stop working.</p>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="regenerate" />
                <TextInput name="password" id="password-regenerate" label="Your current password" type="password" autoComplete="current-password" error={errors?.["password-regenerate"]} />
                <Button variant="secondary">Make new recovery codes</Button>
              </Form>
              {data.required ? (
                <p>Admins must keep two-step verification on.</p>
              ) : (
                <>
                  <h2>Turn off two-step verification</h2>
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="disable" />
                    <TextInput name="password" id="password-disable" label="Your current password" type="password" autoComplete="current-password" error={errors?.["password-disable"]} />
                    <Button variant="warning">Turn off two-step verification</Button>
                  </Form>
                </>
              )}
            </>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
