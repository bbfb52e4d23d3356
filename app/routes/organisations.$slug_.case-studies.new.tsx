import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CaseStudyFields } from "~/components/OrganisationForms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { Button, ErrorSummary } from "~/components/forms";
import { requireOrganisationEditor } from "~/utils/auth.server";
import { createCaseStudy } from "~/models/organisations.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { CASE_STUDY_ARRAY_FIELDS, CASE_STUDY_FIELD_ORDER, caseStudySchema } from "~/validation/organisations";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireOrganisationEditor(request, params.slug ?? "");
  return json({ organisation: { slug: org.slug, name: org.name } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, org } = await requireOrganisationEditor(request, params.slug ?? "");
  const values = formToObject(await request.formData(), CASE_STUDY_ARRAY_FIELDS);
  const parsed = parseForm(caseStudySchema, values);
  if (!parsed.ok) return json({ errors: parsed.errors, values: keepValues(values) }, { status: 400 });
  const id = await createCaseStudy(org.id, user.id, parsed.data);
  return redirectWithFlash(`/organisations/${org.slug}#case-study-${id}`, `${parsed.data.title} is added.`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Add a case study – ${data.organisation.name} – Roundtable` : "Add a case study – Roundtable" }];

export default function NewCaseStudy() {
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
          <ErrorSummary errors={errors} order={CASE_STUDY_FIELD_ORDER} />
          <h1>Add a case study</h1>
          <p>A story of what changed for people, services or communities, with its headline outcome and where the figures come from. Case studies feed the evidence page, grouped by Common Outcomes Framework domain.</p>
          <Form method="post" noValidate>
            <CaseStudyFields values={data?.values} errors={errors} />
            <Button>Add the case study</Button>
          </Form>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
