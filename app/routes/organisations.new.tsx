import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { OrganisationFields } from "~/components/OrganisationForms";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { Button, ErrorSummary } from "~/components/forms";
import { proposableNetworks, proposeOrganisation } from "~/models/organisations.server";
import { noticeOrganisationProposed } from "~/models/organisation-notices.server";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { consume } from "~/utils/rate-limit.server";
import { ORGANISATION_ARRAY_FIELDS, ORGANISATION_FIELD_ORDER, organisationSchema } from "~/validation/organisations";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ networks: await proposableNetworks(user), verified: user.emailVerified });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const networks = await proposableNetworks(user);
  if (networks.length === 0 || !user.emailVerified) throw new Response("Not found", { status: 404 });
  const values = formToObject(await request.formData(), ORGANISATION_ARRAY_FIELDS);
  const parsed = parseForm(organisationSchema, values);
  if (!parsed.ok) return json({ errors: parsed.errors, values: keepValues(values) }, { status: 400 });
  const allowed = new Set(networks.map((n) => n.id));
  if (!parsed.data.networks.every((id) => allowed.has(id))) {
    return json({ errors: { networks: "Choose networks you belong to" } as Record<string, string>, values: keepValues(values) }, { status: 400 });
  }
  const limit = await consume(`organisation-propose:${user.id}`, 10, 24 * 3600);
  if (!limit.allowed) {
    return json({ errors: { form: "You have proposed a lot of organisations today. Please try again tomorrow." } as Record<string, string>, values: keepValues(values) }, { status: 429 });
  }
  const { slug } = await proposeOrganisation(user, parsed.data);
  await noticeOrganisationProposed({ proposerId: user.id, proposerName: user.name, name: parsed.data.name, area: parsed.data.area_served, networkIds: parsed.data.networks });
  return redirectWithFlash(`/organisations/${slug}`, "Thank you. A network admin will check the organisation before it is listed. You can add its services and case studies now.");
}

export const meta: MetaFunction = () => [{ title: "Propose an organisation – Roundtable" }];

export default function ProposeOrganisation() {
  const { networks, verified } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  return (
    <Page crumbs={[{ to: "/organisations", label: "Organisations" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["form", ...ORGANISATION_FIELD_ORDER]} />
          <h1>Propose an organisation</h1>
          {!verified ? (
            <EmptyState title="Confirm your email address first">
              <p>
                We sent you a link when you signed up. <Link to="/account">Send it again from your account page</Link>.
              </p>
            </EmptyState>
          ) : networks.length === 0 ? (
            <EmptyState title="Join a network first">
              <p>
                Organisations are listed in a network, so you need to be a member of one. <Link to="/networks">Find your network</Link>.
              </p>
            </EmptyState>
          ) : (
            <>
              <p>Add a partner that is not listed yet. A network admin checks each new organisation before it appears in the directory; you become its first profile admin.</p>
              <Form method="post" noValidate>
                <OrganisationFields values={data?.values} errors={errors} networks={networks} />
                <Button>Send for approval</Button>
              </Form>
            </>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
