import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ServiceFields } from "~/components/OrganisationForms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { Button, ErrorSummary } from "~/components/forms";
import { requireOrganisationEditor } from "~/utils/auth.server";
import { createService } from "~/models/organisations.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { SERVICE_ARRAY_FIELDS, SERVICE_FIELD_ORDER, serviceSchema } from "~/validation/organisations";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireOrganisationEditor(request, params.slug ?? "");
  return json({ organisation: { slug: org.slug, name: org.name } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, org } = await requireOrganisationEditor(request, params.slug ?? "");
  const values = formToObject(await request.formData(), SERVICE_ARRAY_FIELDS);
  const parsed = parseForm(serviceSchema, values);
  if (!parsed.ok) return json({ errors: parsed.errors, values: keepValues(values) }, { status: 400 });
  const id = await createService(org.id, user.id, parsed.data);
  return redirectWithFlash(`/organisations/${org.slug}#service-${id}`, `${parsed.data.name} is added.`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Add a service – ${data.organisation.name} – Roundtable` : "Add a service – Roundtable" }];

export default function NewService() {
  const { organisation } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  return (
    <Page
      crumbs={[
        { to: "/organisations", label: "Organisations" },
        { to: `/organisations/${organisation.slug}`, label: organisation.name },
      ]}
    >
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <span className="nhsuk-caption-l">{organisation.name}</span>
          <ErrorSummary errors={errors} order={SERVICE_FIELD_ORDER} />
          <h1>Add a service</h1>
          <p>What {organisation.name} offers, for whom, and how link workers can refer people. Services are shared publicly, including through the Open Referral UK API.</p>
          <Form method="post" noValidate>
            <ServiceFields values={data?.values} errors={errors} />
            <Button>Add the service</Button>
          </Form>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
