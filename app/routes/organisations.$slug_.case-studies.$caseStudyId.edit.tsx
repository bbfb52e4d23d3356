import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmAction, ConfirmLink, confirmHref, useConfirming, withoutConfirm } from "~/components/ConfirmAction";
import { CaseStudyFields } from "~/components/OrganisationForms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { Button, ErrorSummary } from "~/components/forms";
import { requireOrganisationEditor } from "~/utils/auth.server";
import { deleteCaseStudy, getCaseStudy, parseId, updateCaseStudy } from "~/models/organisations.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { CASE_STUDY_ARRAY_FIELDS, CASE_STUDY_FIELD_ORDER, caseStudySchema } from "~/validation/organisations";

async function load(request: Request, params: { slug?: string; caseStudyId?: string }) {
  const editor = await requireOrganisationEditor(request, params.slug ?? "");
  const id = parseId(params.caseStudyId);
  const caseStudy = id === null ? undefined : await getCaseStudy(editor.org.id, id);
  if (!caseStudy) throw new Response("Not found", { status: 404 });
  return { ...editor, caseStudy };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org, caseStudy: c } = await load(request, params);
  return json({
    organisation: { slug: org.slug, name: org.name },
    values: {
      title: c.title,
      summary: c.summary,
      figure_text: c.figure_text,
      value: c.value === null ? "" : String(c.value),
      unit: c.unit,
      period: c.period,
      participants: c.participants === null ? "" : String(c.participants),
      partners: c.partners,
      source_title: c.source_title,
      source_url: c.source_url,
      domains: c.domains,
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { org, caseStudy } = await load(request, params);
  const formData = await request.formData();
  if (formData.get("intent") === "delete") {
    await deleteCaseStudy(org.id, caseStudy.id);
    return redirectWithFlash(`/organisations/${org.slug}#case-studies`, `${caseStudy.title} is removed.`);
  }
  const values = formToObject(formData, CASE_STUDY_ARRAY_FIELDS);
  const parsed = parseForm(caseStudySchema, values);
  if (!parsed.ok) return json({ errors: parsed.errors, values: keepValues(values) }, { status: 400 });
  await updateCaseStudy(org.id, caseStudy.id, parsed.data);
  return redirectWithFlash(`/organisations/${org.slug}#case-study-${caseStudy.id}`, `${parsed.data.title} is updated.`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit a case study – ${data.organisation.name} – Roundtable` : "Edit a case study – Roundtable" }];

export default function EditCaseStudy() {
  const { organisation, values } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { here, asking } = useConfirming("delete");
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
          <h1>Edit a case study</h1>
          <Form method="post" noValidate>
            <CaseStudyFields values={data?.values ?? values} errors={errors} />
            <Button>Save changes</Button>
          </Form>
          <h2 className="nhsuk-heading-m">Remove this case study</h2>
          {asking ? (
            <ConfirmAction level={3} heading="Remove this case study?" fields={{ intent: "delete" }} confirmLabel="Yes, remove the case study" backTo={withoutConfirm(here)}>
              <p>It will no longer show on the organisation's page. This cannot be undone.</p>
            </ConfirmAction>
          ) : (
            <p>
              <ConfirmLink to={confirmHref(here, "delete")}>Remove the case study</ConfirmLink>
            </p>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
