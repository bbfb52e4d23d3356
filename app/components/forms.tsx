/**
 * NHS.UK form fields. Each takes the value the user typed and the error for
 * that field, so a failed submission re-renders with nothing lost.
 */
import { useEffect, useRef, type MouseEvent, type ReactNode } from "react";

export type FieldErrors = Partial<Record<string, string>>;

type Common = {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  id?: string;
  /** Render the label as the page heading (single-question pages). */
  labelIsHeading?: boolean;
};

function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function Label({ id, label, labelIsHeading }: { id: string; label: ReactNode; labelIsHeading?: boolean }) {
  const el = (
    <label className={`nhsuk-label${labelIsHeading ? " nhsuk-label--l" : ""}`} htmlFor={id}>
      {label}
    </label>
  );
  return labelIsHeading ? <h1 className="nhsuk-label-wrapper">{el}</h1> : el;
}

function HintAndError({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <div className="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <span className="nhsuk-error-message" id={`${id}-error`}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
    </>
  );
}

export function TextInput({
  name,
  label,
  hint,
  error,
  id = name,
  labelIsHeading,
  defaultValue,
  type = "text",
  autoComplete,
  width,
  inputMode,
  spellCheck,
  maxLength,
  required,
}: Common & {
  defaultValue?: string | number | null;
  type?: "text" | "email" | "password" | "url" | "number" | "search" | "tel" | "date" | "time" | "datetime-local";
  autoComplete?: string;
  width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
  inputMode?: "numeric" | "text" | "email" | "url" | "tel";
  spellCheck?: boolean;
  maxLength?: number;
  required?: boolean;
}) {
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <Label id={id} label={label} labelIsHeading={labelIsHeading} />
      <HintAndError id={id} hint={hint} error={error} />
      <input
        className={`nhsuk-input${width ? ` nhsuk-input--width-${width}` : ""}${error ? " nhsuk-input--error" : ""}`}
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue ?? undefined}
        autoComplete={autoComplete}
        inputMode={inputMode}
        spellCheck={spellCheck}
        maxLength={maxLength}
        required={required}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}

export function Textarea({
  name,
  label,
  hint,
  error,
  id = name,
  labelIsHeading,
  defaultValue,
  rows = 5,
  maxLength,
}: Common & { defaultValue?: string | null; rows?: number; maxLength?: number }) {
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <Label id={id} label={label} labelIsHeading={labelIsHeading} />
      <HintAndError id={id} hint={hint} error={error} />
      <textarea
        className={`nhsuk-textarea${error ? " nhsuk-textarea--error" : ""}`}
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue ?? undefined}
        maxLength={maxLength}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}

export function Select({
  name,
  label,
  hint,
  error,
  id = name,
  defaultValue,
  options,
}: Common & { defaultValue?: string | number | null; options: Array<{ value: string | number; label: string }> }) {
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <Label id={id} label={label} />
      <HintAndError id={id} hint={hint} error={error} />
      <select
        className={`nhsuk-select${error ? " nhsuk-select--error" : ""}`}
        id={id}
        name={name}
        defaultValue={defaultValue == null ? undefined : String(defaultValue)}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      >
        {options.map((o) => (
          <option key={String(o.value)} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

type ChoiceProps = Omit<Common, "labelIsHeading"> & {
  legend?: ReactNode;
  options: Array<{ value: string; label: ReactNode; hint?: ReactNode }>;
  small?: boolean;
  inline?: boolean;
};

function ChoiceGroup({
  kind,
  name,
  label,
  hint,
  error,
  id = name,
  options,
  checked,
  small,
  inline,
}: ChoiceProps & { kind: "checkboxes" | "radios"; checked: (value: string) => boolean }) {
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{label}</legend>
        <HintAndError id={id} hint={hint} error={error} />
        <div
          className={`nhsuk-${kind}${small ? ` nhsuk-${kind}--small` : ""}${inline ? ` nhsuk-${kind}--inline` : ""}`}
          data-module={`nhsuk-${kind}`}
        >
          {options.map((o, i) => {
            const optionId = i === 0 ? id : `${id}-${i + 1}`;
            const singular = kind === "checkboxes" ? "checkboxes" : "radios";
            return (
              <div key={o.value} className={`nhsuk-${singular}__item`}>
                <input
                  className={`nhsuk-${singular}__input`}
                  id={optionId}
                  name={name}
                  type={kind === "checkboxes" ? "checkbox" : "radio"}
                  value={o.value}
                  defaultChecked={checked(o.value)}
                  aria-describedby={o.hint ? `${optionId}-item-hint` : undefined}
                />
                <label className={`nhsuk-label nhsuk-${singular}__label`} htmlFor={optionId}>
                  {o.label}
                </label>
                {o.hint ? (
                  <div className={`nhsuk-hint nhsuk-${singular}__hint`} id={`${optionId}-item-hint`}>
                    {o.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function Checkboxes(props: ChoiceProps & { defaultValues?: string[] }) {
  const selected = new Set(props.defaultValues ?? []);
  return <ChoiceGroup {...props} kind="checkboxes" checked={(v) => selected.has(v)} />;
}

export function Radios(props: ChoiceProps & { defaultValue?: string | null }) {
  return <ChoiceGroup {...props} kind="radios" checked={(v) => v === props.defaultValue} />;
}

/**
 * The error summary at the top of a form (NHS.UK pattern): every problem at once, each linked
 * to its field. Without JavaScript it is the first thing on the page after the header, so it
 * is read first; with JavaScript (where Remix re-renders the form in place after a submission)
 * it takes focus each time a submission comes back with errors, and its links move focus to
 * the field, as nhsuk-frontend's own script does on a full page load.
 */
export function ErrorSummary({ errors, order }: { errors: FieldErrors | undefined; order?: string[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const keys = errors ? [...new Set([...(order ?? []), ...Object.keys(errors)])].filter((k) => errors[k]) : [];
  const shown = keys.length > 0;
  useEffect(() => {
    if (!shown || !ref.current) return;
    ref.current.focus();
    if (!document.title.startsWith("Error: ")) document.title = `Error: ${document.title}`;
    return () => {
      document.title = document.title.replace(/^Error: /, "");
    };
    // A new errors object is a new submission: focus again, even when the messages are the same.
  }, [errors, shown]);
  if (!errors || !shown) return null;
  return (
    <div className="nhsuk-error-summary" data-module="nhsuk-error-summary" tabIndex={-1} ref={ref}>
      <div role="alert">
        <h2 className="nhsuk-error-summary__title">There is a problem</h2>
        <div className="nhsuk-error-summary__body">
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {keys.map((k) => (
              <li key={k}>
                {k === "form" ? (
                  errors[k]
                ) : (
                  <a href={`#${k}`} onClick={(event) => focusField(event, k)}>
                    {errors[k]}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

/** Moves focus to the field (the first control of a group) and brings its label or legend into view. */
function focusField(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const target = document.getElementById(id);
  if (!target) return;
  const control = target.matches("input, select, textarea, button") ? target : target.querySelector<HTMLElement>("input, select, textarea");
  if (!control) return;
  event.preventDefault();
  const caption = control.closest("fieldset")?.querySelector("legend") ?? document.querySelector(`label[for="${CSS.escape(control.id)}"]`) ?? control;
  caption.scrollIntoView();
  control.focus({ preventScroll: true });
}

export function Button({
  children,
  variant,
  name,
  value,
  type = "submit",
}: {
  children: ReactNode;
  variant?: "secondary" | "warning" | "reverse";
  name?: string;
  value?: string;
  type?: "submit" | "button";
}) {
  return (
    <button className={`nhsuk-button${variant ? ` nhsuk-button--${variant}` : ""}`} data-module="nhsuk-button" type={type} name={name} value={value}>
      {children}
    </button>
  );
}
