import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmAction, ConfirmLink, confirmHref, useConfirming, withoutConfirm } from "~/components/ConfirmAction";
import { ServiceFields } from "~/components/OrganisationForms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { Button, ErrorSummary } from "~/components/forms";
import { requireOrganisationEditor } from "~/utils/auth.server";
import { deleteService, getService, parseId, updateService } from "~/models/organisations.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { SERVICE_ARRAY_FIELDS, SERVICE_FIELD_ORDER, serviceSchema } from "~/validation/organisations";

async function load(request: Request, params: { slug?: string; serviceId?: string }) {
  const editor = await requireOrganisationEditor(request, params.slug ?? "");
  const id = parseId(params.serviceId);
  const service = id === null ? undefined : await getService(editor.org.id, id);
  if (!service) throw new Response("Not found", { status: 404 });
  return { ...editor, service };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org, service } = await load(request, params);
  const { id, organisation_id: _o, created_by_account_id: _c, created_at: _ca, updated_at: _u, uuid: _uuid, ...fields } = service;
  return json({
    organisation: { slug: org.slug, name: org.name },
    serviceId: id,
    values: { ...fields, online: fields.online ? "yes" : "no", is_free: fields.is_free ? "yes" : "no" },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { org, service } = await load(request, params);
  const formData = await request.formData();
  if (formData.get("intent") === "delete") {
    await deleteService(org.id, service.id);
    return redirectWithFlash(`/organisations/${org.slug}#services`, `${service.name} is removed.`);
  }
  const values = formToObject(formData, SERVICE_ARRAY_FIELDS);
  const parsed = parseForm(serviceSchema, values);
  if (!parsed.ok) return json({ errors: parsed.errors, values: keepValues(values) }, { status: 400 });
  await updateService(org.id, service.id, parsed.data);
  return redirectWithFlash(`/organisations/${org.slug}#service-${service.id}`, `${parsed.data.name} is updated.`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit a service – ${data.organisation.name} – Roundtable` : "Edit a service – Roundtable" }];

export default function EditService() {
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
          <ErrorSummary errors={errors} order={SERVICE_FIELD_ORDER} />
          <h1>Edit a service</h1>
          <Form method="post" noValidate>
            <ServiceFields values={data?.values ?? values} errors={errors} />
            <Button>Save changes</Button>
          </Form>
          <h2 className="nhsuk-heading-m">Remove this service</h2>
          <p>If it has stopped for a while, set "Is it running?" above instead, so people know it may come back.</p>
          {asking ? (
            <ConfirmAction level={3} heading="Remove this service?" fields={{ intent: "delete" }} confirmLabel="Yes, remove the service" backTo={withoutConfirm(here)}>
              <p>People looking for it will no longer find it on Roundtable. This cannot be undone.</p>
            </ConfirmAction>
          ) : (
            <p>
              <ConfirmLink to={confirmHref(here, "delete")}>Remove the service</ConfirmLink>
            </p>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
