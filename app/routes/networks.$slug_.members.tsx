import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { z } from "zod";
import { NETWORK_ROLES } from "../../db/types/foundation";
import { sendInvitationEmail } from "~/models/accounts-email.server";
import { noticeMembershipDecided } from "~/models/network-notices.server";
import { ConfirmAction, ConfirmLink, confirmHref, withoutConfirm } from "~/components/ConfirmAction";
import { Button, ErrorSummary, Select, Textarea, TextInput } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { limitExceeded } from "~/models/accounts.server";
import { roleAtLeast } from "~/models/access.server";
import { changeMembership, createInvitation, getNetworkBySlug, listMembershipsForAdmin, listOpenInvitations, listVisibleMembers, parseDomains, setAutoApproveDomains, withdrawInvitation } from "~/models/networks.server";
import { requireNetworkRole, requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, parseForm } from "~/utils/forms";
import { tooManyRequests } from "~/utils/rate-limit.server";
import { pageParam } from "~/utils/paging";
import { cleanSingleLine } from "~/utils/text";
import { emailField } from "~/validation/accounts";

const ROLE_LABELS = { member: "Member", organiser: "Organiser", moderator: "Moderator", admin: "Admin" } as const;
const ROLE_OPTIONS = NETWORK_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "Europe/London" });

async function load(request: Request, slug: string | undefined) {
  const user = await requireUser(request);
  const network = await getNetworkBySlug(slug ?? "");
  if (!network) throw new Response("Not found", { status: 404 });
  const returnTo = new URL(request.url).pathname;
  // Members of this network only: anyone else (including members of other networks) gets a 404.
  const role = await requireNetworkRole(user, network.id, "member");
  // Admin rights need two-step verification: an admin without it is sent to set it up.
  if (roleAtLeast(role, "admin")) await requireNetworkRole(user, network.id, "admin", { returnTo });
  return { user, network, isAdmin: roleAtLeast(role, "admin") };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { network, isAdmin } = await load(request, params.slug);
  const url = new URL(request.url);
  const q = cleanSingleLine(url.searchParams.get("q") ?? "", 100);
  const page = pageParam(url.searchParams.get("page"));
  const members = await listVisibleMembers(network.id, { q, page });
  const admin = isAdmin
    ? await (async () => {
        const pending = await listMembershipsForAdmin(network.id, { status: "pending" });
        const approved = await listMembershipsForAdmin(network.id, { status: "approved", q, page });
        return {
          pending: { ...pending, items: pending.items.map((m) => ({ ...m, requested: dateFormat.format(new Date(m.created_at)) })) },
          approved,
          invitations: (await listOpenInvitations(network.id)).map((i) => ({ ...i, expires: dateFormat.format(new Date(i.expires_at)) })),
          domains: parseDomains(network.auto_approve_domains),
        };
      })()
    : null;
  return json({ network: { slug: network.slug, name: network.name }, q, members, admin });
}

const inviteSchema = z.object({ email: emailField, role: z.enum(NETWORK_ROLES, { message: "Choose a role" }) });
const DOMAIN = /^(?=.{3,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const PUBLIC_MAIL = new Set(["gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.com", "yahoo.com", "yahoo.co.uk", "icloud.com", "aol.com", "btinternet.com"]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, network } = await load(request, params.slug);
  // Every change here is an admin's: the same check as the page, including two-step verification.
  await requireNetworkRole(user, network.id, "admin", { returnTo: new URL(request.url).pathname });
  const values = formToObject(await request.formData());
  const here = `/networks/${network.slug}/members`;
  const accountId = typeof values.accountId === "string" ? values.accountId : "";
  switch (values.intent) {
    case "approve":
    case "decline": {
      const result = await changeMembership(user.id, network.id, { kind: values.intent, accountId });
      if (!result.ok) return json({ errors: { form: result.message }, values }, { status: 400 });
      await noticeMembershipDecided({ accountId, networkName: network.name, networkSlug: network.slug, approved: values.intent === "approve" });
      return redirectWithFlash(here, values.intent === "approve" ? "Request approved. We have emailed them." : "Request declined. We have emailed them.");
    }
    case "role": {
      const role = NETWORK_ROLES.find((r) => r === values.role);
      if (!role) return json({ errors: { form: "Choose a role" }, values }, { status: 400 });
      const result = await changeMembership(user.id, network.id, { kind: "role", accountId, role });
      if (!result.ok) return json({ errors: { form: result.message }, values }, { status: 400 });
      return redirectWithFlash(here, `Role changed to ${ROLE_LABELS[role].toLowerCase()}.`);
    }
    case "remove": {
      const result = await changeMembership(user.id, network.id, { kind: "remove", accountId });
      if (!result.ok) return json({ errors: { form: result.message }, values }, { status: 400 });
      return redirectWithFlash(here, "They have been removed from the network.");
    }
    case "invite": {
      const parsed = parseForm(inviteSchema, values);
      if (!parsed.ok) return json({ errors: parsed.errors, values }, { status: 400 });
      const wait = await limitExceeded(`invite:account:${user.id}`, { limit: 50, windowSeconds: 3600 });
      if (wait !== null) return tooManyRequests(wait, "invitations");
      const token = await createInvitation({ networkId: network.id, email: parsed.data.email, role: parsed.data.role, invitedBy: user.id });
      await sendInvitationEmail(parsed.data.email, { networkName: network.name, role: parsed.data.role, inviterName: user.name, token });
      return redirectWithFlash(here, `Invitation sent to ${parsed.data.email}.`);
    }
    case "withdraw": {
      const id = Number(values.invitationId);
      if (!Number.isSafeInteger(id)) throw new Response("Bad request", { status: 400 });
      await withdrawInvitation(network.id, id);
      return redirectWithFlash(here, "Invitation withdrawn.");
    }
    case "domains": {
      const raw = typeof values.domains === "string" ? values.domains : "";
      if (raw.length > 2000) return json({ errors: { domains: "Enter 2,000 characters or fewer" }, values }, { status: 400 });
      const domains = raw
        .toLowerCase()
        .split(/[\s,;]+/)
        .map((d) => d.replace(/^@/, ""))
        .filter(Boolean);
      const bad = domains.filter((d) => !DOMAIN.test(d));
      if (bad.length) return json({ errors: { domains: `These are not email domains: ${bad.slice(0, 5).join(", ").slice(0, 200)}. Enter domains like nhs.net` }, values }, { status: 400 });
      const open = domains.filter((d) => PUBLIC_MAIL.has(d));
      if (open.length) return json({ errors: { domains: `Anyone can get an address at ${open.join(", ")}, so it cannot let people in without approval` }, values }, { status: 400 });
      if (domains.length > 30) return json({ errors: { domains: "Enter 30 domains or fewer" }, values }, { status: 400 });
      await setAutoApproveDomains(network.id, domains);
      return redirectWithFlash(here, "Saved the email domains.");
    }
    default:
      throw new Response("Bad request", { status: 400 });
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Members of ${data.network.name} – Roundtable` : "Members – Roundtable" }];

function Hidden({ fields }: { fields: Record<string, string> }) {
  return (
    <>
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
    </>
  );
}

function AdminTools() {
  const { admin, network } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const location = useLocation();
  if (!admin) return null;
  const errors: Partial<Record<string, string>> | undefined = data && "errors" in data ? data.errors : undefined;
  const values: Partial<Record<string, string | string[]>> = data && "values" in data ? data.values : {};
  const pending = admin.pending.items;
  const approved = admin.approved.items;
  // "Remove" asks first: ?confirm=remove&accountId=… shows the warning in that member's card.
  const here = `${location.pathname}${location.search}`;
  const search = new URLSearchParams(location.search);
  const confirming = search.get("confirm") === "remove" ? search.get("accountId") : null;
  return (
    <>
      <ErrorSummary errors={errors} order={["form", "email", "role", "domains"]} />
      <h2>Requests to join ({admin.pending.total})</h2>
      {pending.length === 0 ? (
        <EmptyState title="No requests waiting">
          <p>When someone asks to join {network.name}, they appear here and we email you.</p>
        </EmptyState>
      ) : (
        <ul className="nhsuk-list">
          {pending.map((m) => (
            <li key={m.account_id} className="nhsuk-card">
              <div className="nhsuk-card__content">
                <h3 className="nhsuk-card__heading nhsuk-heading-s">{m.name}</h3>
                <p className="nhsuk-body-s rt-break">
                  {m.email} · asked {m.requested}
                </p>
                {m.message ? <p className="rt-prewrap">“{m.message}”</p> : null}
                <div className="rt-button-row">
                  <Form method="post">
                    <Hidden fields={{ intent: "approve", accountId: m.account_id }} />
                    <button className="nhsuk-button nhsuk-u-margin-bottom-0" type="submit" aria-label={`Approve ${m.name}`}>
                      Approve
                    </button>
                  </Form>
                  <Form method="post">
                    <Hidden fields={{ intent: "decline", accountId: m.account_id }} />
                    <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" aria-label={`Decline ${m.name}`}>
                      Decline
                    </button>
                  </Form>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      {admin.pending.total > pending.length ? (
        <p className="nhsuk-body-s">
          Showing the {pending.length} oldest of {admin.pending.total} requests. Answer these to see the rest.
        </p>
      ) : null}

      <h2>Invite someone</h2>
      <p>They get an email with a link that works once, for 14 days, and only for that address.</p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="invite" />
        <TextInput name="email" label="Their email address" type="email" spellCheck={false} autoComplete="off" defaultValue={values.intent === "invite" ? String(values.email ?? "") : ""} error={errors?.email} />
        <Select name="role" label="Role" options={ROLE_OPTIONS} defaultValue={values.intent === "invite" ? String(values.role ?? "member") : "member"} error={errors?.role} />
        <Button>Send invitation</Button>
      </Form>
      {admin.invitations.length ? (
        <>
          <h3>Invitations not yet accepted</h3>
          <ul className="nhsuk-list nhsuk-list--border">
            {admin.invitations.map((i) => (
              <li key={i.id} className="rt-split-row">
                <span className="rt-break">
                  {i.email} · {ROLE_LABELS[i.role]} · expires {i.expires}
                </span>
                <Form method="post">
                  <Hidden fields={{ intent: "withdraw", invitationId: String(i.id) }} />
                  <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" aria-label={`Withdraw the invitation to ${i.email}`}>
                    Withdraw
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Members and roles ({admin.approved.total.toLocaleString("en-GB")})</h2>
      <p>Organisers publish events; moderators look after resources and discussions; admins manage members and roles.</p>
      <MemberFilter label="Filter members by name or email address" />
      <PageStatus {...admin.approved} noun="member" />
      <ul className="nhsuk-list">
        {approved.map((m) => (
          <li key={m.account_id} className="nhsuk-card">
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-card__heading nhsuk-heading-s">{m.name}</h3>
              <p className="nhsuk-body-s rt-break">{m.email}</p>
              <div className="rt-button-row">
                <Form method="post" className="rt-inline-form">
                  <Hidden fields={{ intent: "role", accountId: m.account_id }} />
                  <Select name="role" id={`role-${m.account_id}`} label={`Role of ${m.name}`} options={ROLE_OPTIONS} defaultValue={m.role} />
                  <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" aria-label={`Change role of ${m.name}`}>
                    Change role
                  </button>
                </Form>
                {confirming === m.account_id ? null : (
                  <ConfirmLink to={confirmHref(here, "remove", { accountId: m.account_id }, `remove-${m.account_id}`)} label={`Remove ${m.name} from the network`}>
                    Remove
                  </ConfirmLink>
                )}
              </div>
              {confirming === m.account_id ? (
                <ConfirmAction id={`remove-${m.account_id}`} level={4} heading={`Remove ${m.name} from ${network.name}?`} fields={{ intent: "remove", accountId: m.account_id }} confirmLabel={`Yes, remove ${m.name}`} backTo={withoutConfirm(here, ["accountId"])}>
                  <p>They lose access to the network's members-only pages, discussions and events straight away. To come back they would have to ask to join again or be invited.</p>
                </ConfirmAction>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      <Pagination page={admin.approved.page} pages={admin.approved.pages} link={usePageLink()} />

      <h2>Join without approval</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="domains" />
        <Textarea
          name="domains"
          label="Email domains"
          hint="People whose confirmed email address ends with one of these join straight away, for example nhs.net. One per line."
          rows={3}
          defaultValue={values.intent === "domains" ? String(values.domains ?? "") : admin.domains.join("\n")}
          error={errors?.domains}
        />
        <Button variant="secondary">Save domains</Button>
      </Form>
    </>
  );
}

function usePageLink() {
  const { network, q } = useLoaderData<typeof loader>();
  return (page: number) => `/networks/${network.slug}/members?${new URLSearchParams({ ...(q ? { q } : {}), page: String(page) })}`;
}

/** A GET form: works without JavaScript, and the filter stays in the address to share or page through. */
function MemberFilter({ label }: { label: string }) {
  const { q, network } = useLoaderData<typeof loader>();
  return (
    <Form method="get" action={`/networks/${network.slug}/members`} role="search" aria-label={`Search ${network.name} members`}>
      <TextInput name="q" id="q" type="search" label={label} defaultValue={q} spellCheck={false} width={20} />
      <div className="rt-button-row">
        <Button variant="secondary">Filter</Button>
        {q ? <Link to={`/networks/${network.slug}/members`}>Clear filter</Link> : null}
      </div>
    </Form>
  );
}

function PageStatus({ total, page, pages, noun }: { total: number; page: number; pages: number; noun: string }) {
  const { q } = useLoaderData<typeof loader>();
  return (
    <p className="nhsuk-body-s rt-meta">
      {total.toLocaleString("en-GB")} {noun}
      {total === 1 ? "" : "s"}
      {q ? ` matching “${q}”` : ""}
      {pages > 1 ? ` · page ${page} of ${pages}` : ""}
    </p>
  );
}

export default function NetworkMembers() {
  const { network, members, admin, q } = useLoaderData<typeof loader>();
  const pageLink = usePageLink();
  return (
    <Page crumbs={[{ to: "/networks", label: "Networks" }, { to: `/networks/${network.slug}`, label: network.name }]}>
      <h1>Members of {network.name}</h1>
      {admin ? <AdminTools /> : null}
      <h2>Who is in the network</h2>
      <p>Only members who chose to show their profile are listed.</p>
      {admin ? null : <MemberFilter label="Filter members by name" />}
      <PageStatus {...members} noun="profile" />
      {members.items.length === 0 ? (
        <EmptyState title={members.total > 0 ? "No profiles on this page" : q ? "No profiles match the filter" : "No profiles to show yet"} />
      ) : (
        <ul className="nhsuk-list nhsuk-list--border">
          {members.items.map((m, i) => (
            <li key={`${m.name}-${i}`}>
              <strong>{m.name}</strong>
              {m.role !== "member" ? <span className="nhsuk-tag nhsuk-tag--grey rt-tag-inline">{ROLE_LABELS[m.role]}</span> : null}
              <br />
              <span className="nhsuk-body-s rt-meta">
                {[m.job_title, m.organisation_status === "approved" ? m.organisation_name : null].filter(Boolean).join(", ")}
              </span>
              {m.bio ? <p className="nhsuk-body-s rt-prewrap">{m.bio}</p> : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={members.page} pages={members.pages} link={pageLink} />
      <p>
        <Link to={`/networks/${network.slug}`}>Back to {network.name}</Link>
      </p>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
