/**
 * A typed organisation filter: a plain text input the server matches by name (so it works
 * without JavaScript), with suggestions in a <datalist> fetched as the person types when
 * JavaScript is on. Never a <select> of every organisation: there can be thousands.
 */
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";

export function OrganisationSearch({
  name = "organisation",
  label = "Organisation",
  hint = "Type part of its name",
  defaultValue,
  suggestionsUrl,
}: {
  name?: string;
  label?: string;
  hint?: string;
  defaultValue?: string;
  /** A resource route answering `q=` with `{ suggestions: string[] }` (it may carry a query already). */
  suggestionsUrl: string;
}) {
  const fetcher = useFetcher<{ suggestions: string[] }>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const id = `${name}-search`;
  const listId = `${id}-suggestions`;
  return (
    <div className="nhsuk-form-group">
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      <div className="nhsuk-hint" id={`${id}-hint`}>
        {hint}
      </div>
      <input
        // A new value from the server (the full name of the one organisation matched) replaces what was typed.
        key={defaultValue}
        className="nhsuk-input"
        id={id}
        name={name}
        type="text"
        list={listId}
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        defaultValue={defaultValue}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const q = e.currentTarget.value.trim();
          clearTimeout(timer.current);
          if (q.length < 2) return;
          timer.current = setTimeout(() => fetcher.load(`${suggestionsUrl}${suggestionsUrl.includes("?") ? "&" : "?"}q=${encodeURIComponent(q)}`), 150);
        }}
      />
      <datalist id={listId}>
        {(fetcher.data?.suggestions ?? []).map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </div>
  );
}
