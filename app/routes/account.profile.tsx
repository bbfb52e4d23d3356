import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { SECTORS } from "../../db/types/foundation";
import { Button, Checkboxes, ErrorSummary, Select, Textarea, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { getAccount, listOrganisationChoices, updateProfile, type ProfileInput } from "~/models/accounts.server";
import { proposableNetworks } from "~/models/organisations.server";
import { consume } from "~/utils/rate-limit.server";
import { SECTOR_LABELS } from "~/utils/vocab";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, parseForm } from "~/utils/forms";
import { BIO_MAX, JOB_TITLE_MAX, nameField, optionalLine, optionalText, ORGANISATION_NAME_MAX } from "~/validation/accounts";
import { keepRouteHeaders } from "~/utils/headers";

const schema = z
  .object({
    name: nameField,
    jobTitle: optionalLine("Job title", JOB_TITLE_MAX),
    bio: optionalText("About you", BIO_MAX),
    organisationId: z.string().regex(/^(|new|\d{1,9})$/, "Choose an organisation from the list"),
    proposedName: optionalLine("Organisation name", ORGANISATION_NAME_MAX),
    proposedSector: z.enum(["", ...SECTORS], { message: "Choose the kind of organisation" }),
    visible: z.array(z.string()).max(1),
  })
  .superRefine((v, ctx) => {
    if (v.organisationId !== "new") return;
    if (!v.proposedName) ctx.addIssue({ code: "custom", path: ["proposedName"], message: "Enter the name of your organisation" });
    if (!v.proposedSector) ctx.addIssue({ code: "custom", path: ["proposedSector"], message: "Choose the kind of organisation" });
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const account = await getAccount(user.id);
  if (!account) throw new Response("Not found", { status: 404 });
  const choices = await listOrganisationChoices();
  if (account.organisation_id && !choices.some((c) => c.id === account.organisation_id)) {
    choices.push({ id: account.organisation_id, name: `${account.organisation_name} (waiting for approval)` });
  }
  return json({
    profile: {
      name: account.name,
      jobTitle: account.job_title ?? "",
      bio: account.bio ?? "",
      organisationId: account.organisation_id ? String(account.organisation_id) : "",
      visible: account.profile_visible,
    },
    organisations: choices,
    sectors: SECTORS.map((s) => ({ value: s, label: SECTOR_LABELS[s] })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formToObject(await request.formData(), ["visible"]);
  const parsed = parseForm(schema, { proposedName: "", proposedSector: "", organisationId: "", jobTitle: "", bio: "", ...values });
  if (!parsed.ok) return json({ errors: parsed.errors, values }, { status: 400 });
  const d = parsed.data;
  let organisation: ProfileInput["organisation"] = { kind: "none" };
  if (d.organisationId === "new" && d.proposedName && d.proposedSector) {
    // The same rules as /organisations/new: a confirmed email address, at most 10 a day, and
    // listed in the proposer's networks so their admins see it in the queue.
    if (!user.emailVerified) {
      return json({ errors: { proposedName: "Confirm your email address before you suggest an organisation. Use the link we sent you, or send a new one from your account page" }, values }, { status: 400 });
    }
    const networks = await proposableNetworks(user);
    if (networks.length === 0) {
      return json({ errors: { proposedName: "Join a network before you suggest an organisation, so that its admins can check it" }, values }, { status: 400 });
    }
    const limit = await consume(`organisation-propose:${user.id}`, 10, 24 * 3600);
    if (!limit.allowed) {
      return json(
        { errors: { proposedName: "You have suggested a lot of organisations today. Please try again tomorrow" }, values },
        { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } },
      );
    }
    organisation = { kind: "propose", name: d.proposedName, sector: d.proposedSector, networkIds: networks.map((n) => n.id) };
  } else if (/^\d+$/.test(d.organisationId)) organisation = { kind: "existing", id: Number(d.organisationId) };
  const result = await updateProfile(user.id, { name: d.name, jobTitle: d.jobTitle, bio: d.bio, profileVisible: d.visible.includes("yes"), organisation });
  if (!result.ok) return json({ errors: { [result.field]: result.message }, values }, { status: 400 });
  return redirectWithFlash("/account", organisation.kind === "propose" ? "Your profile is saved. We will review the organisation you suggested." : "Your profile is saved.");
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Your profile – Roundtable" }];

export default function ProfilePage() {
  const { profile, organisations, sectors } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  const v = (k: string, fallback: string) => (data?.values && typeof data.values[k] === "string" ? String(data.values[k]) : fallback);
  const visible = data?.values ? Array.isArray(data.values.visible) && data.values.visible.includes("yes") : profile.visible;
  return (
    <Page crumbs={[{ to: "/account", label: "Your account" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["name", "jobTitle", "organisationId", "proposedName", "proposedSector", "bio", "visible"]} />
          <h1>Your profile</h1>
          <Form method="post" noValidate>
            <TextInput name="name" label="Full name" autoComplete="name" defaultValue={v("name", profile.name)} error={errors?.name} />
            <TextInput name="jobTitle" label="Job title (optional)" hint="For example, link worker or VCSE development officer" autoComplete="organization-title" defaultValue={v("jobTitle", profile.jobTitle)} error={errors?.jobTitle} />
            <Select
              name="organisationId"
              label="Organisation (optional)"
              defaultValue={v("organisationId", profile.organisationId)}
              error={errors?.organisationId}
              options={[{ value: "", label: "None or not listed here" }, ...organisations.map((o) => ({ value: String(o.id), label: o.name })), { value: "new", label: "My organisation is not listed: suggest it" }]}
            />
            <fieldset className="nhsuk-fieldset">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">If your organisation is not listed</legend>
              <div className="nhsuk-hint">Choose “My organisation is not listed” above, then tell us about it. A network admin checks it before it appears.</div>
              <TextInput name="proposedName" label="Organisation name" defaultValue={v("proposedName", "")} error={errors?.proposedName} />
              <Select name="proposedSector" label="Kind of organisation" defaultValue={v("proposedSector", "")} error={errors?.proposedSector} options={[{ value: "", label: "Choose one" }, ...sectors]} />
            </fieldset>
            <Textarea name="bio" label="About you (optional)" hint="A few lines about your work, so other members know who to talk to." rows={4} defaultValue={v("bio", profile.bio)} error={errors?.bio} />
            <Checkboxes
              name="visible"
              label="Who can see your profile"
              error={errors?.visible}
              defaultValues={visible ? ["yes"] : []}
              options={[{ value: "yes", label: "Show my profile to other members of my networks", hint: "Your email address is never shown to other members." }]}
            />
            <Button>Save profile</Button>
          </Form>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
