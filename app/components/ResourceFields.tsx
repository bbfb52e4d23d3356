import { Checkboxes, Radios, Select, TextInput, Textarea, type FieldErrors } from "./forms";
import { LICENCES, PUBLISHER_MAX, SUMMARY_MAX, TITLE_MAX } from "~/validation/resources";
import { OUTCOME_DOMAINS, RESOURCE_KINDS, TOPICS } from "~/utils/vocab";

export type ResourceFormValues = Partial<Record<string, string | string[]>>;

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
function many(v: string | string[] | undefined): string[] {
  return Array.isArray(v) ? v : v ? [v] : [];
}

/** The details every resource has, shared by the contribute and edit pages. */
export function ResourceFields({
  values,
  errors,
  networks,
  publishers,
}: {
  values: ResourceFormValues;
  errors: FieldErrors | undefined;
  networks: Array<{ id: number; name: string }>;
  publishers: Array<{ id: number; name: string }>;
}) {
  return (
    <>
      <TextInput name="title" label="Title" error={errors?.title} defaultValue={one(values.title)} maxLength={TITLE_MAX + 50} />
      <Select
        name="kind"
        label="What kind of resource is it?"
        error={errors?.kind}
        defaultValue={one(values.kind) ?? ""}
        options={[{ value: "", label: "Choose a kind" }, ...RESOURCE_KINDS.map((k) => ({ value: k.value, label: k.label }))]}
      />
      <Textarea
        name="summary"
        label="Summary"
        hint="A few sentences: what it is, who it is for and what it found."
        error={errors?.summary}
        defaultValue={one(values.summary)}
        rows={5}
        maxLength={SUMMARY_MAX + 500}
      />
      <Select
        name="publisherOrganisationId"
        label="Publisher"
        hint="The organisation that published it. If it is not listed, type its name below."
        error={errors?.publisherOrganisationId}
        defaultValue={one(values.publisherOrganisationId) ?? ""}
        options={[{ value: "", label: "Not listed" }, ...publishers.map((p) => ({ value: p.id, label: p.name }))]}
      />
      <TextInput
        name="publisherName"
        label="Publisher's name (if not listed)"
        error={errors?.publisherName}
        defaultValue={one(values.publisherName)}
        maxLength={PUBLISHER_MAX + 50}
      />
      <TextInput name="year" label="Year published" hint="For example, 2017" error={errors?.year} defaultValue={one(values.year)} width={4} inputMode="numeric" />
      <Checkboxes
        name="topics"
        label="Topics"
        hint="Choose all that apply."
        error={errors?.topics}
        small
        defaultValues={many(values.topics)}
        options={TOPICS.map((t) => ({ value: t.value, label: t.label }))}
      />
      <Checkboxes
        name="outcomes"
        label="Common Outcomes Framework domains"
        hint="Which outcomes does it report on? Choose all that apply."
        error={errors?.outcomes}
        small
        defaultValues={many(values.outcomes)}
        options={OUTCOME_DOMAINS.map((d) => ({ value: d.value, label: d.label }))}
      />
      <Select
        name="licence"
        label="Licence"
        hint="How others may reuse it."
        error={errors?.licence}
        defaultValue={one(values.licence) ?? ""}
        options={LICENCES.map((l) => ({ value: l.value, label: l.label }))}
      />
      <Select
        name="networkId"
        label="Network"
        hint="The network it is shared in."
        error={errors?.networkId}
        defaultValue={one(values.networkId) ?? (networks.length === 1 ? String(networks[0].id) : "")}
        options={[...(networks.length === 1 ? [] : [{ value: "", label: "Choose a network" }]), ...networks.map((n) => ({ value: n.id, label: n.name }))]}
      />
      <Radios
        name="visibility"
        label="Who can see it?"
        error={errors?.visibility}
        defaultValue={one(values.visibility) ?? "public"}
        options={[
          { value: "public", label: "Everyone", hint: "Anyone can find it, and it appears in the feed and digests." },
          { value: "members", label: "Members of the network only" },
        ]}
      />
    </>
  );
}
