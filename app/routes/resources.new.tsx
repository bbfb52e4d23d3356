import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { EmptyState, Page } from "~/components/Page";
import { ResourceFields } from "~/components/ResourceFields";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { noticeResourceSubmitted } from "~/models/resource-notices.server";
import { discardTemp, parseUploadForm, removeStored, storeTemp } from "~/models/resource-files.server";
import { contributableNetworks, createResource, publisherOptions } from "~/models/resources.server";
import { requireUser } from "~/utils/auth.server";
import { ACCEPT_ATTRIBUTE } from "~/utils/file-sniff.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { FIELD_ORDER, RESOURCE_ARRAY_FIELDS, resourceDetailsSchema, URL_MAX, urlField } from "~/validation/resources";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [networks, publishers] = await Promise.all([contributableNetworks(user), publisherOptions()]);
  return json({ networks, publishers, accept: ACCEPT_ATTRIBUTE });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const isMultipart = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  const upload = isMultipart ? await parseUploadForm(request) : null;
  const formData = upload ? upload.fields : await request.formData();
  const values = formToObject(formData, RESOURCE_ARRAY_FIELDS);
  const kept = keepValues(values);
  if (upload?.tooLarge) {
    return json({ errors: { file: "The file must be 20 MB or smaller" } as Record<string, string>, values: kept }, { status: 413 });
  }
  const file = upload?.file ?? null;
  const parsed = parseForm(resourceDetailsSchema, values);
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
  const urlText = String(values.url ?? "").trim();
  let url: string | null = null;
  if (file && urlText) errors.url = "Add a link or a file, not both";
  else if (file && !file.type) errors.file = "The file must be a PDF, Word, Excel, PowerPoint, OpenDocument or image file";
  else if (!file) {
    const u = urlField.safeParse(urlText);
    if (u.success) url = u.data;
    else errors.url = urlText ? u.error.issues[0].message : "Add a link, or choose a file to upload";
  }
  if (!parsed.ok || Object.keys(errors).length > 0) {
    await discardTemp(file);
    return json({ errors, values: kept }, { status: 400 });
  }
  let stored: { storageId: string } | null = null;
  try {
    stored = file && file.type ? { storageId: await storeTemp(file) } : null;
    const result = await createResource({
      user,
      details: parsed.data,
      url,
      file: file && file.type && stored ? { storageId: stored.storageId, originalFilename: file.originalFilename, type: file.type, size: file.size, sha256: file.sha256 } : null,
    });
    if (!result.ok) {
      if (stored) await removeStored(stored.storageId);
      return json({ errors: result.errors, values: kept }, { status: 400 });
    }
    if (result.status === "pending") {
      await noticeResourceSubmitted({ resourceId: result.id, title: parsed.data.title, networkId: parsed.data.networkId, contributorId: user.id, contributorName: user.name });
    }
    return redirectWithFlash(
      `/resources/${result.id}`,
      result.status === "published" ? "Your resource is published." : "Thank you. A moderator will check your resource before it is published; we will email you.",
    );
  } catch (error) {
    await discardTemp(file);
    if (stored) await removeStored(stored.storageId);
    throw error;
  }
}

export const meta: MetaFunction = () => [{ title: "Add a resource – Roundtable" }];

export default function NewResource() {
  const { networks, publishers, accept } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  const values = data?.values ?? {};
  return (
    <Page crumbs={[{ to: "/resources", label: "Resources" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={FIELD_ORDER} />
          <h1>Add a resource</h1>
          {networks.length === 0 ? (
            <EmptyState title="Join a network to add resources.">
              <p>
                Resources are shared within a network. <Link to="/networks">Find your network</Link> and ask to join.
              </p>
            </EmptyState>
          ) : (
            <Form method="post" encType="multipart/form-data" noValidate>
              <p>Share a report, guide, evidence review, video or case study with your network. Members' contributions are checked by a moderator first.</p>
              <ResourceFields values={values} errors={errors} networks={networks} publishers={publishers} />
              <h2 className="nhsuk-heading-m">The resource itself</h2>
              <TextInput
                name="url"
                label="Link"
                hint="Where it can be read or watched, starting with https://"
                type="url"
                spellCheck={false}
                error={errors?.url ?? errors?.source}
                defaultValue={typeof values.url === "string" ? values.url : undefined}
                maxLength={URL_MAX + 100}
              />
              <div className={`nhsuk-form-group${errors?.file ? " nhsuk-form-group--error" : ""}`}>
                <label className="nhsuk-label" htmlFor="file">
                  Or upload a file
                </label>
                <div className="nhsuk-hint" id="file-hint">
                  PDF, Word, Excel, PowerPoint, OpenDocument or an image, up to 20 MB.
                </div>
                {errors?.file ? (
                  <span className="nhsuk-error-message" id="file-error">
                    <span className="nhsuk-u-visually-hidden">Error:</span> {errors.file}
                  </span>
                ) : null}
                <input
                  className="nhsuk-input rt-file-input"
                  id="file"
                  name="file"
                  type="file"
                  accept={accept}
                  aria-describedby={errors?.file ? "file-hint file-error" : "file-hint"}
                />
              </div>
              <Button>{navigation.state === "submitting" ? "Sending…" : "Add resource"}</Button>
            </Form>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
