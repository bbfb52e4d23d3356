import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { OrganisationFields } from "~/components/OrganisationForms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { Button, ErrorSummary } from "~/components/forms";
import { requireOrganisationEditor } from "~/utils/auth.server";
import { hasLogo, LOGO_MAX_BYTES, removeLogo, setLogo, sniffLogo, updateOrganisation } from "~/models/organisations.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { ORGANISATION_FIELD_ORDER, organisationEditSchema } from "~/validation/organisations";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireOrganisationEditor(request, params.slug ?? "");
  const logo = await hasLogo(org.id);
  return json({
    organisation: { slug: org.slug, name: org.name, logoVersion: logo ? encodeURIComponent(logo) : null },
    values: {
      name: org.name,
      sector: org.sector,
      summary: org.summary,
      description: org.description,
      area_served: org.area_served,
      address: org.address,
      postcode: org.postcode,
      website: org.website,
      email: org.email,
      phone: org.phone,
      registry_number: org.registry_number,
    },
  });
}

type Errors = Record<string, string>;

async function uploadLogo(request: Request, organisationId: number, slug: string) {
  // Refuse early when the browser says the body is far too big; the part limit catches the rest.
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > LOGO_MAX_BYTES + 64 * 1024) return json({ errors: { logo: "The logo must be 2 MB or smaller" } as Errors, values: {} }, { status: 413 });
  // The platform's parser (RFC 7578) keeps a file name such as "logo; v2.png" intact; the body
  // is small, as checked above and at the server's edge.
  const form = await request.formData().catch(() => null);
  if (!form) throw new Response("The form could not be read. Please try again.", { status: 400 });
  const file = form.get("logo");
  if (file && typeof file !== "string" && file.size > LOGO_MAX_BYTES) return json({ errors: { logo: "The logo must be 2 MB or smaller" } as Errors, values: {} }, { status: 413 });
  if (!file || typeof file === "string" || file.size === 0) return json({ errors: { logo: "Choose a PNG, JPEG or WebP image" } as Errors, values: {} }, { status: 400 });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffLogo(bytes);
  if (!type) return json({ errors: { logo: "The logo must be a PNG, JPEG or WebP image" } as Errors, values: {} }, { status: 400 });
  await setLogo(organisationId, bytes, type);
  return redirectWithFlash(`/organisations/${slug}`, "The logo is updated.");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { org } = await requireOrganisationEditor(request, params.slug ?? "");
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return uploadLogo(request, org.id, org.slug);
  const formData = await request.formData();
  if (formData.get("intent") === "remove-logo") {
    await removeLogo(org.id);
    return redirectWithFlash(`/organisations/${org.slug}/edit`, "The logo is removed.");
  }
  const values = formToObject(formData);
  const parsed = parseForm(organisationEditSchema, values);
  if (!parsed.ok) return json({ errors: parsed.errors as Errors, values: keepValues(values) }, { status: 400 });
  await updateOrganisation(org.id, parsed.data);
  return redirectWithFlash(`/organisations/${org.slug}`, "The profile is updated.");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit ${data.organisation.name} – Roundtable` : "Edit organisation – Roundtable" }];

export default function EditOrganisation() {
  const { organisation, values } = useLoaderData<typeof loader>();
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
          <ErrorSummary errors={errors} order={ORGANISATION_FIELD_ORDER} />
          <h1>Edit {organisation.name}</h1>
          <Form method="post" noValidate>
            <OrganisationFields values={data?.values && Object.keys(data.values).length ? data.values : values} errors={errors} />
            <Button>Save changes</Button>
          </Form>

          <h2 id="logo-heading">Logo</h2>
          {organisation.logoVersion ? (
            <p>
              <img className="rt-org-logo" src={`/organisations/${organisation.slug}/logo?v=${organisation.logoVersion}`} alt={`The current ${organisation.name} logo`} />
            </p>
          ) : (
            <p>No logo yet.</p>
          )}
          <Form method="post" encType="multipart/form-data" aria-labelledby="logo-heading">
            <div className={`nhsuk-form-group${errors?.logo ? " nhsuk-form-group--error" : ""}`}>
              <label className="nhsuk-label" htmlFor="logo">
                Upload a logo
              </label>
              <div className="nhsuk-hint" id="logo-hint">
                A PNG, JPEG or WebP image, 2 MB or smaller.
              </div>
              {errors?.logo ? (
                <span className="nhsuk-error-message" id="logo-error">
                  <span className="nhsuk-u-visually-hidden">Error:</span> {errors.logo}
                </span>
              ) : null}
              <input
                className="rt-file-input"
                id="logo"
                name="logo"
                type="file"
                accept="image/png,image/jpeg,image/webp"
                aria-describedby={errors?.logo ? "logo-hint logo-error" : "logo-hint"}
              />
            </div>
            <Button variant="secondary">Upload the logo</Button>
          </Form>
          {organisation.logoVersion ? (
            <Form method="post">
              <Button name="intent" value="remove-logo" variant="warning">
                Remove the logo
              </Button>
            </Form>
          ) : null}
          <p>
            <Link to={`/organisations/${organisation.slug}`}>Back to the profile</Link>
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
