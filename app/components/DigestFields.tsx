import { TOPICS } from "~/utils/vocab";
import { Checkboxes, type FieldErrors } from "./forms";

/**
 * What a digest covers: networks and topics (unticked means all). Shared by the
 * public sign-up, the subscriber's manage page and a member's account page.
 */
export function DigestScopeFields({
  networks,
  networkIds,
  topics,
  errors,
  topicsOptional = false,
}: {
  networks: Array<{ id: number; name: string }>;
  networkIds?: string[];
  topics?: string[];
  errors?: FieldErrors;
  /** Tuck the topics away behind "Only some topics?" (the short public sign-up form). */
  topicsOptional?: boolean;
}) {
  const topicBoxes = (
    <Checkboxes
      name="topics"
      label={topicsOptional ? "Topics" : "Which topics?"}
      hint="Leave all unticked for every topic."
      small
      defaultValues={topics}
      error={errors?.topics}
      options={TOPICS.map((t) => ({ value: t.value, label: t.label }))}
    />
  );
  return (
    <>
      <Checkboxes
        name="networkIds"
        label="Which networks?"
        hint="Leave all unticked to hear from every network."
        defaultValues={networkIds}
        error={errors?.networkIds}
        options={networks.map((n) => ({ value: String(n.id), label: n.name }))}
      />
      {topicsOptional ? (
        <details className="nhsuk-details" open={Boolean(topics?.length || errors?.topics)}>
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">Only some topics? (optional)</span>
          </summary>
          <div className="nhsuk-details__text">{topicBoxes}</div>
        </details>
      ) : (
        topicBoxes
      )}
    </>
  );
}
