/** Forms and small pieces shared by the organisation pages (client-safe). */
import { Link } from "@remix-run/react";
import { SECTORS } from "../../db/types/foundation";
import { SECTOR_LABELS, OUTCOME_DOMAINS, TOPICS } from "../utils/vocab";
import { Checkboxes, Radios, Select, Textarea, TextInput, type FieldErrors } from "./forms";

type Values = Record<string, string | string[] | number | null | undefined>;

function str(values: Values | undefined, key: string): string {
  const v = values?.[key];
  if (v === null || v === undefined) return "";
  return Array.isArray(v) ? (v[0] ?? "") : String(v);
}
function arr(values: Values | undefined, key: string): string[] {
  const v = values?.[key];
  return Array.isArray(v) ? v.map(String) : v === null || v === undefined || v === "" ? [] : [String(v)];
}

export const SECTOR_OPTIONS = [{ value: "", label: "Choose a sector" }, ...SECTORS.map((s) => ({ value: s, label: SECTOR_LABELS[s] }))];

export function OrganisationFields({
  values,
  errors,
  networks,
}: {
  values?: Values;
  errors?: FieldErrors;
  /** Networks to choose from (proposals only); omitted when editing. */
  networks?: Array<{ id: number; name: string }>;
}) {
  return (
    <>
      <TextInput name="name" label="Name" error={errors?.name} defaultValue={str(values, "name")} autoComplete="organization" />
      <Select name="sector" label="Sector" error={errors?.sector} defaultValue={str(values, "sector")} options={SECTOR_OPTIONS} />
      <TextInput name="summary" label="Summary" hint="One sentence: what the organisation does, in plain words." error={errors?.summary} defaultValue={str(values, "summary")} />
      <Textarea name="description" label="Description (optional)" hint="What it offers, who for, and how it works with social prescribing." error={errors?.description} defaultValue={str(values, "description")} rows={6} />
      <TextInput name="area_served" label="Area served" hint="For example Greater Manchester, Cumbria or England." error={errors?.area_served} defaultValue={str(values, "area_served")} />
      <TextInput name="address" label="Address (optional)" error={errors?.address} defaultValue={str(values, "address")} autoComplete="street-address" />
      <TextInput name="postcode" label="Postcode (optional)" error={errors?.postcode} defaultValue={str(values, "postcode")} width={10} autoComplete="postal-code" />
      <TextInput name="website" label="Website (optional)" hint="Starting with https://" type="url" error={errors?.website} defaultValue={str(values, "website")} spellCheck={false} />
      <TextInput name="email" label="Contact email (optional)" type="email" error={errors?.email} defaultValue={str(values, "email")} spellCheck={false} />
      <TextInput name="phone" label="Phone (optional)" type="tel" error={errors?.phone} defaultValue={str(values, "phone")} width={20} autoComplete="tel" />
      <TextInput
        name="registry_number"
        label="Charity number, company number or ODS code (optional)"
        error={errors?.registry_number}
        defaultValue={str(values, "registry_number")}
        width={20}
      />
      {networks ? (
        <Checkboxes
          name="networks"
          label="Networks"
          hint="The networks it works with. An admin of one of them will check the proposal."
          error={errors?.networks}
          options={networks.map((n) => ({ value: String(n.id), label: n.name }))}
          defaultValues={arr(values, "networks")}
        />
      ) : null}
    </>
  );
}

export function ServiceFields({ values, errors }: { values?: Values; errors?: FieldErrors }) {
  return (
    <>
      <TextInput name="name" label="Name of the service" error={errors?.name} defaultValue={str(values, "name")} />
      <Textarea name="description" label="What it offers" error={errors?.description} defaultValue={str(values, "description")} rows={5} />
      <Textarea name="eligibility" label="Who it is for (optional)" error={errors?.eligibility} defaultValue={str(values, "eligibility")} rows={3} />
      <Textarea name="how_to_refer" label="How to refer (optional)" hint="How link workers, GPs or people themselves can get in touch." error={errors?.how_to_refer} defaultValue={str(values, "how_to_refer")} rows={3} />
      <TextInput name="schedule_text" label="When it runs (optional)" hint="For example: Wednesdays, 10am to noon, in term time." error={errors?.schedule_text} defaultValue={str(values, "schedule_text")} />
      <fieldset className="nhsuk-fieldset">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Where (optional)</legend>
        <TextInput name="location_name" label="Place name" error={errors?.location_name} defaultValue={str(values, "location_name")} />
        <TextInput name="address" label="Street address" error={errors?.address} defaultValue={str(values, "address")} />
        <TextInput name="city" label="Town or city" error={errors?.city} defaultValue={str(values, "city")} width={20} />
        <TextInput name="postcode" label="Postcode" error={errors?.postcode} defaultValue={str(values, "postcode")} width={10} />
        <Radios
          name="online"
          label="Is it also offered online?"
          error={errors?.online}
          inline
          small
          options={[
            { value: "yes", label: "Yes" },
            { value: "no", label: "No" },
          ]}
          defaultValue={str(values, "online") || "no"}
        />
      </fieldset>
      <TextInput name="cost" label="Cost (optional)" hint="For example: Free, or £3 a session." error={errors?.cost} defaultValue={str(values, "cost")} />
      <Radios
        name="is_free"
        label="Is it free to the people who use it?"
        error={errors?.is_free}
        inline
        small
        options={[
          { value: "yes", label: "Yes" },
          { value: "no", label: "No, or it depends" },
        ]}
        defaultValue={str(values, "is_free") || "no"}
      />
      <TextInput name="url" label="Web page (optional)" hint="Starting with https://" type="url" error={errors?.url} defaultValue={str(values, "url")} spellCheck={false} />
      <TextInput name="email" label="Email (optional)" type="email" error={errors?.email} defaultValue={str(values, "email")} spellCheck={false} />
      <TextInput name="phone" label="Phone (optional)" type="tel" error={errors?.phone} defaultValue={str(values, "phone")} width={20} />
      <Checkboxes name="topics" label="Topics" small error={errors?.topics} options={TOPICS.map((t) => ({ value: t.value, label: t.label }))} defaultValues={arr(values, "topics")} />
      <Select
        name="status"
        label="Is it running?"
        error={errors?.status}
        defaultValue={str(values, "status") || "active"}
        options={[
          { value: "active", label: "Running" },
          { value: "temporarily closed", label: "Temporarily closed" },
          { value: "inactive", label: "Not running at the moment" },
          { value: "defunct", label: "Closed for good" },
        ]}
      />
    </>
  );
}

export function CaseStudyFields({ values, errors }: { values?: Values; errors?: FieldErrors }) {
  return (
    <>
      <TextInput name="title" label="Title" error={errors?.title} defaultValue={str(values, "title")} />
      <Textarea name="summary" label="The story" hint="What happened, for whom, and what changed." error={errors?.summary} defaultValue={str(values, "summary")} rows={5} />
      <TextInput
        name="figure_text"
        label="Headline outcome"
        hint="In words, for example: £3.50 social return for every £1 invested."
        error={errors?.figure_text}
        defaultValue={str(values, "figure_text")}
      />
      <TextInput name="value" label="The figure as a number (optional)" hint="For example 3.5 or 28." error={errors?.value} defaultValue={str(values, "value")} width={10} inputMode="text" />
      <TextInput name="unit" label="Unit (optional)" hint="For example: %, £ per £1, hours a day." error={errors?.unit} defaultValue={str(values, "unit")} width={20} />
      <TextInput name="period" label="Period (optional)" hint="For example 2013–2016." error={errors?.period} defaultValue={str(values, "period")} width={20} />
      <TextInput name="participants" label="Number of participants (optional)" error={errors?.participants} defaultValue={str(values, "participants")} width={10} inputMode="numeric" />
      <TextInput name="partners" label="Partners (optional)" error={errors?.partners} defaultValue={str(values, "partners")} />
      <TextInput name="source_title" label="Source (optional)" hint="The report or evaluation the figures come from." error={errors?.source_title} defaultValue={str(values, "source_title")} />
      <TextInput name="source_url" label="Link to the source (optional)" type="url" error={errors?.source_url} defaultValue={str(values, "source_url")} spellCheck={false} />
      <Checkboxes
        name="domains"
        label="Common Outcomes Framework domains"
        hint="Which kinds of impact this case study reports."
        error={errors?.domains}
        options={OUTCOME_DOMAINS.map((d) => ({ value: d.value, label: d.label }))}
        defaultValues={arr(values, "domains")}
      />
    </>
  );
}

/** The links an organisation's editors see, so they never hunt for them. */
export function EditorLinks({ slug }: { slug: string }) {
  return (
    <ul className="rt-inline-links nhsuk-list">
      <li>
        <Link to={`/organisations/${slug}/edit`}>Edit profile</Link>
      </li>
      <li>
        <Link to={`/organisations/${slug}/services/new`}>Add a service</Link>
      </li>
      <li>
        <Link to={`/organisations/${slug}/case-studies/new`}>Add a case study</Link>
      </li>
      <li>
        <Link to={`/organisations/${slug}/people`}>People and requests</Link>
      </li>
    </ul>
  );
}
