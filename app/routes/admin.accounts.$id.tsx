import type {
  ActionFunctionArgs,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useSearchParams,
} from "@remix-run/react";
import { sendTwoStepResetEmail } from "~/models/accounts-email.server";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import {
  getAccountForAdmin,
  listAdminActions,
  resetTwoStepByAdmin,
} from "~/models/admin.server";
import { requirePlatformAdmin } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { cleanSingleLine } from "~/utils/text";

const dateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "Europe/London",
});
const ACTION_LABELS = {
  "reset-two-step": "Reset two-step verification",
} as const;
const NOTE_MAX = 500;

async function load(request: Request, id: string | undefined) {
  const admin = await requirePlatformAdmin(request);
  const account = /^[A-Za-z0-9_-]{1,64}$/.test(id ?? "")
    ? await getAccountForAdmin(id!)
    : undefined;
  if (!account) throw new Response("Not found", { status: 404 });
  return { admin, account };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { admin, account } = await load(request, params.id);
  const actions = await listAdminActions(account.id);
  return json({
    self: admin.id === account.id,
    account: {
      id: account.id,
      name: account.name,
      email: account.email,
      verified: account.email_verified_at !== null,
      platformAdmin: account.is_platform_admin,
      hasTotp: account.hasTotp,
      sessionCount: account.sessionCount,
      joined: dateTime.format(new Date(account.created_at)),
    },
    actions: actions.map((a) => ({
      id: a.id,
      label: ACTION_LABELS[a.action],
      by: a.admin_name ?? "A former admin",
      note: a.note,
      when: dateTime.format(new Date(a.created_at)),
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { admin, account } = await load(request, params.id);
  const form = await request.formData();
  if (form.get("intent") !== "reset-two-step")
    throw new Response("Bad request", { status: 400 });
  const rawNote = String(form.get("note") ?? "");
  const values = { note: rawNote.slice(0, NOTE_MAX + 100) };
  if (rawNote.length > NOTE_MAX)
    return json(
      { errors: { note: `Enter ${NOTE_MAX} characters or fewer` }, values },
      { status: 400 }
    );
  if (form.get("confirm") !== "yes")
    return json(
      {
        errors: { confirm: "Confirm that you have checked it is really them" },
        values,
      },
      { status: 400 }
    );
  const note = cleanSingleLine(rawNote, NOTE_MAX) || null;
  const result = await resetTwoStepByAdmin(admin.id, account.id, note);
  if (!result.ok) {
    const message =
      result.problem === "self"
        ? "You cannot reset your own two-step verification here. Use your recovery codes, or ask another platform admin."
        : result.problem === "not-on"
        ? "Two-step verification is already off for this account."
        : "That account no longer exists.";
    if (result.problem === "not-found")
      throw new Response("Not found", { status: 404 });
    return json({ errors: { form: message }, values }, { status: 400 });
  }
  // After the transaction: email is never sent inside one.
  await sendTwoStepResetEmail(result.email, result.name);
  return redirectWithFlash(
    `/admin/accounts/${account.id}`,
    `Two-step verification is reset for ${result.name}. They are signed out everywhere and we have emailed them.`
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.account.name} – Accounts – Roundtable`
      : "Account – Roundtable",
  },
];

function Row({
  label,
  children,
}: {
  label: string;
  children: React.ReactNode;
}) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value rt-break">{children}</dd>
    </div>
  );
}

export default function AdminAccount() {
  const { account, actions, self } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  const confirming = params.get("confirm") === "reset-two-step" || !!errors;
  return (
    <Page
      crumbs={[
        { to: "/admin", label: "Platform admin" },
        { to: "/admin/accounts", label: "Accounts" },
      ]}
    >
      <ErrorSummary errors={errors} order={["form", "note", "confirm"]} />
      <h1>{account.name}</h1>
      <dl className="nhsuk-summary-list">
        <Row label="Email address">{account.email}</Row>
        <Row label="Address confirmed">{account.verified ? "Yes" : "No"}</Row>
        <Row label="Joined">{account.joined}</Row>
        <Row label="Platform admin">{account.platformAdmin ? "Yes" : "No"}</Row>
        <Row label="Two-step verification">
          {account.hasTotp ? "On" : "Off"}
        </Row>
        <Row label="Signed in on">{`${account.sessionCount} device${
          account.sessionCount === 1 ? "" : "s"
        }`}</Row>
      </dl>

      <h2>Reset two-step verification</h2>
      {self ? (
        <p>
          This is your own account. Use a recovery code, or ask another platform
          admin to reset it.
        </p>
      ) : !account.hasTotp ? (
        <p>
          Two-step verification is off for this account, so there is nothing to
          reset.
        </p>
      ) : confirming ? (
        <div className="nhsuk-warning-callout">
          <h3 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Are
              you sure?
            </span>
          </h3>
          <p>
            This turns off two-step verification for {account.email}, deletes
            their recovery codes and signs them out everywhere. Only do this
            when you are sure the request came from them, for example by calling
            them on a number you already know.
          </p>
        </div>
      ) : null}
      {!self && account.hasTotp && confirming ? (
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="reset-two-step" />
          <TextInput
            name="note"
            label="How did you check it was them? (optional)"
            hint="Kept in the record of admin actions on this account."
            defaultValue={data?.values?.note ?? ""}
            error={errors?.note}
          />
          <div
            className={`nhsuk-form-group${
              errors?.confirm ? " nhsuk-form-group--error" : ""
            }`}
          >
            <fieldset
              className="nhsuk-fieldset"
              aria-describedby={errors?.confirm ? "confirm-error" : undefined}
            >
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
                Confirm
              </legend>
              {errors?.confirm ? (
                <span className="nhsuk-error-message" id="confirm-error">
                  <span className="nhsuk-u-visually-hidden">Error:</span>{" "}
                  {errors.confirm}
                </span>
              ) : null}
              <div className="nhsuk-checkboxes">
                <div className="nhsuk-checkboxes__item">
                  <input
                    className="nhsuk-checkboxes__input"
                    id="confirm"
                    name="confirm"
                    type="checkbox"
                    value="yes"
                  />
                  <label
                    className="nhsuk-label nhsuk-checkboxes__label"
                    htmlFor="confirm"
                  >
                    I have checked it is really {account.name} asking
                  </label>
                </div>
              </div>
            </fieldset>
          </div>
          <div className="rt-button-row">
            <Button variant="warning">Reset two-step verification</Button>
            <Link to={`/admin/accounts/${account.id}`}>Cancel</Link>
          </div>
        </Form>
      ) : null}
      {!self && account.hasTotp && !confirming ? (
        <>
          <p>
            When someone has lost their phone and their recovery codes, turn off
            their two-step verification so they can sign in with their password
            and set it up again.
          </p>
          <Link
            className="nhsuk-button nhsuk-button--secondary"
            to={`/admin/accounts/${account.id}?confirm=reset-two-step`}
          >
            Reset two-step verification
          </Link>
        </>
      ) : null}

      <h2>Admin actions on this account</h2>
      {actions.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul className="nhsuk-list nhsuk-list--border">
          {actions.map((a) => (
            <li key={a.id}>
              <strong>{a.label}</strong> by {a.by}, {a.when}
              {a.note ? (
                <p className="nhsuk-body-s rt-break">{a.note}</p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
