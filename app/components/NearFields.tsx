import { Select, TextInput } from "~/components/forms";
import { formatMiles, WITHIN_MILES } from "~/validation/near";

/** The postcode and "within" fields every "near a postcode" form has (named near and within, so URLs are shareable). */
export function NearFields({ near, within, error, hint }: { near: string; within: number; error?: string | null; hint: string }) {
  return (
    <div className="rt-near-fields">
      {/* Keyed by the value so a client-side search shows the postcode as it was read ("PR1 2HE"). */}
      <TextInput key={near} name="near" label="Near a postcode" hint={hint} error={error ?? undefined} defaultValue={near} width={10} autoComplete="postal-code" spellCheck={false} maxLength={20} />
      <Select name="within" label="Within" defaultValue={within} options={WITHIN_MILES.map((w) => ({ value: w, label: `${w} ${w === 1 ? "mile" : "miles"}` }))} />
    </div>
  );
}

/** "2.3 miles away" for something placed, "Online" for something that runs online and has no place. */
export function DistanceTag({ miles, online }: { miles: number | null; online: boolean }) {
  if (miles !== null) return <strong className="nhsuk-tag nhsuk-tag--blue rt-tag">{formatMiles(miles)} away</strong>;
  if (online) return <strong className="nhsuk-tag nhsuk-tag--green rt-tag">Online</strong>;
  return null;
}
