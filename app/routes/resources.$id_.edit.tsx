import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmAction, ConfirmLink, confirmHref, useConfirming, withoutConfirm } from "~/components/ConfirmAction";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { ResourceFields } from "~/components/ResourceFields";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { discardTemp, parseUploadForm, removeStored, storeTemp } from "~/models/resource-files.server";
import { addFileVersion, contributableNetworks, deleteResource, getResourceForViewer, publisherOptions, updateResource } from "~/models/resources.server";
import { requireUser } from "~/utils/auth.server";
import { ACCEPT_ATTRIBUTE } from "~/utils/file-sniff.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { FIELD_ORDER, RESOURCE_ARRAY_FIELDS, resourceDetailsSchema, URL_MAX, urlField } from "~/validation/resources";

function resourceId(params: { id?: string }): number {
  const id = Number(params.id);
  if (!/^\d{1,12}$/.test(params.id ?? "") || !Number.isSafeInteger(id)) throw new Response("Not found", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const r = await getResourceForViewer({ id: resourceId(params), user });
  if (!r || !r.access.canEdit) throw new Response("Not found", { status: 404 });
  const [networks, publishers] = await Promise.all([contributableNetworks(user), publisherOptions()]);
  return json({
    resource: { id: r.id, title: r.title, status: r.status, hasFile: r.files.length > 0, versions: r.files.length, canDelete: r.access.canModerate || (r.isContributor && r.status !== "published") },
    publishesDirectly: r.access.publishesDirectly,
    values: {
      title: r.title,
      kind: r.kind,
      summary: r.summary,
      publisherOrganisationId: r.publisherOrganisationId ? String(r.publisherOrganisationId) : "",
      publisherName: r.publisherFreeText ?? "",
      year: r.year ? String(r.year) : "",
      topics: r.topics,
      outcomes: r.outcomes,
      licence: r.licence,
      networkId: String(r.networkId),
      visibility: r.visibility,
      url: r.url ?? "",
    } as Record<string, string | string[]>,
    networks,
    publishers,
    accept: ACCEPT_ATTRIBUTE,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = resourceId(params);
  const isMultipart = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  if (isMultipart) {
    // A new version of the file.
    const upload = await parseUploadForm(request);
    const file = upload.file;
    if (upload.tooLarge) return json({ errors: { file: "The file must be 20 MB or smaller" } as Record<string, string>, values: null }, { status: 413 });
    if (!file) return json({ errors: { file: "Choose a file to upload" } as Record<string, string>, values: null }, { status: 400 });
    if (!file.type) {
      await discardTemp(file);
      return json({ errors: { file: "The file must be a PDF, Word, Excel, PowerPoint, OpenDocument or image file" } as Record<string, string>, values: null }, { status: 400 });
    }
    const storageId = await storeTemp(file);
    const result = await addFileVersion({ user, id, file: { storageId, originalFilename: file.originalFilename, type: file.type, size: file.size, sha256: file.sha256 } }).catch(async (e: unknown) => {
      await removeStored(storageId);
      throw e;
    });
    if (!result.ok) {
      await removeStored(storageId);
      throw new Response("Not found", { status: 404 });
    }
    return redirectWithFlash(`/resources/${id}`, result.status === "pending" ? "New version uploaded. A moderator will check it before it is published." : "New version uploaded.");
  }

  const form = await request.formData();
  const intent = String(form.get("intent") ?? "details");
  if (intent === "delete") {
    const result = await deleteResource({ user, id });
    if (!result.ok) throw new Response("Not found", { status: 404 });
    for (const storageId of result.storageIds) await removeStored(storageId);
    return redirectWithFlash("/resources", "The resource was deleted.");
  }
  const values = formToObject(form, RESOURCE_ARRAY_FIELDS);
  const kept = keepValues(values);
  const parsed = parseForm(resourceDetailsSchema, values);
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
  let url: string | null = null;
  if (typeof values.url === "string") {
    const u = urlField.safeParse(values.url);
    if (u.success) url = u.data;
    else errors.url = u.error.issues[0].message;
  }
  if (!parsed.ok || Object.keys(errors).length) return json({ errors, values: kept }, { status: 400 });
  const result = await updateResource({ user, id, details: parsed.data, url });
  if (!result.ok) {
    if (result.notFound) throw new Response("Not found", { status: 404 });
    return json({ errors: result.errors, values: kept }, { status: 400 });
  }
  return redirectWithFlash(`/resources/${id}`, result.status === "pending" ? "Changes saved. A moderator will check them before they are published." : "Changes saved.");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit ${data.resource.title} – Roundtable` : "Edit resource – Roundtable" }];

export default function EditResource() {
  const { resource, values: saved, networks, publishers, accept, publishesDirectly } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { here, asking } = useConfirming("delete");
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  const values = data?.values ?? saved;
  return (
    <Page crumbs={[{ to: "/resources", label: "Resources" }, { to: `/resources/${resource.id}`, label: resource.title }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={FIELD_ORDER} />
          <h1>Edit resource</h1>
          {!publishesDirectly && resource.status === "published" ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>A moderator checks changes before they are published again.</p>
            </div>
          ) : null}
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="details" />
            <ResourceFields values={values} errors={errors} networks={networks} publishers={publishers} />
            {!resource.hasFile ? (
              <TextInput
                name="url"
                label="Link"
                hint="Starting with https://"
                type="url"
                spellCheck={false}
                error={errors?.url}
                defaultValue={typeof values.url === "string" ? values.url : ""}
                maxLength={URL_MAX + 100}
              />
            ) : null}
            <Button>Save changes</Button>
          </Form>

          {resource.hasFile ? (
            <>
              <h2 className="nhsuk-heading-m">Upload a new version</h2>
              <p>The {resource.versions === 1 ? "current version is" : `${resource.versions} earlier versions are`} kept and listed on the resource page.</p>
              <Form method="post" encType="multipart/form-data" noValidate>
                <div className={`nhsuk-form-group${errors?.file ? " nhsuk-form-group--error" : ""}`}>
                  <label className="nhsuk-label" htmlFor="file">
                    New file
                  </label>
                  <div className="nhsuk-hint" id="file-hint">
                    PDF, Word, Excel, PowerPoint, OpenDocument or an image, up to 20 MB.
                  </div>
                  {errors?.file ? (
                    <span className="nhsuk-error-message" id="file-error">
                      <span className="nhsuk-u-visually-hidden">Error:</span> {errors.file}
                    </span>
                  ) : null}
                  <input className="nhsuk-input rt-file-input" id="file" name="file" type="file" accept={accept} aria-describedby={errors?.file ? "file-hint file-error" : "file-hint"} />
                </div>
                <Button variant="secondary">Upload new version</Button>
              </Form>
            </>
          ) : null}

          {resource.canDelete ? (
            <>
              <h2 className="nhsuk-heading-m">Delete</h2>
              {asking ? (
                <ConfirmAction level={3} heading={`Delete ${resource.title}?`} fields={{ intent: "delete" }} confirmLabel="Yes, delete this resource" backTo={withoutConfirm(here)}>
                  <p>
                    The resource{resource.versions ? ` and its ${resource.versions === 1 ? "file" : `${resource.versions} file versions`}` : ""} will be deleted for everyone. This cannot be undone.
                  </p>
                </ConfirmAction>
              ) : (
                <p>
                  <ConfirmLink to={confirmHref(here, "delete")}>Delete this resource</ConfirmLink>
                </p>
              )}
            </>
          ) : null}
          <p>
            <Link to={`/resources/${resource.id}`}>Back to the resource</Link>
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
