import * as React from "react";
import { ErrorList, errorMessages, type ListOfErrors } from "./error-list";

/** Accepts the spread of react-hook-form's `register()`, whose `ref` is a callback ref. */
export type InputProps = React.InputHTMLAttributes<HTMLInputElement> & {
  ref?: React.Ref<HTMLInputElement>;
};
export type TextareaProps = React.TextareaHTMLAttributes<HTMLTextAreaElement> & {
  ref?: React.Ref<HTMLTextAreaElement>;
};
export type SelectProps = React.SelectHTMLAttributes<HTMLSelectElement> & {
  ref?: React.Ref<HTMLSelectElement>;
};

function assignRef<T>(ref: React.Ref<T> | undefined, value: T | null) {
  if (typeof ref === "function") ref(value);
  else if (ref) (ref as React.MutableRefObject<T | null>).current = value;
}

/**
 * Only merges when both refs exist: a fresh callback each render would make React detach and
 * re-attach react-hook-form's ref on every render.
 */
function combineRefs<T>(a: React.Ref<T> | undefined, b: React.Ref<T> | undefined) {
  if (!a || !b) return a ?? b;
  return (value: T | null) => {
    assignRef(a, value);
    assignRef(b, value);
  };
}

function joinIds(...ids: Array<string | undefined | false>) {
  return ids.filter(Boolean).join(" ") || undefined;
}

/** Ids and ARIA wiring shared by every single-control field. */
function useFieldIds(
  givenId: string | undefined,
  hint: React.ReactNode,
  errors: ListOfErrors,
  describedBy: string | undefined,
) {
  const generatedId = React.useId();
  const id = givenId ?? generatedId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errorMessages(errors).length > 0 ? `${id}-error` : undefined;
  return {
    id,
    hintId,
    errorId,
    describedBy: joinIds(describedBy, hintId, errorId),
  };
}

const labelClass = "block font-semibold text-gray-900";
const hintClass = "mt-1 text-sm text-gray-700";
const controlClass =
  "mt-1 block w-full rounded border-2 bg-white px-3 py-2 text-base text-gray-900 placeholder:text-gray-600 disabled:cursor-not-allowed disabled:bg-gray-100 disabled:text-gray-600";

function controlBorder(invalid: boolean) {
  return invalid ? "border-red-700" : "border-gray-600";
}

function cx(...classes: Array<string | undefined | false>) {
  return classes.filter(Boolean).join(" ");
}

interface FieldShellProps {
  id: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  hintId?: string;
  errors?: ListOfErrors;
  errorId?: string;
  className?: string;
  children: React.ReactNode;
}

// Label, hint, then errors above the control, so a screen reader meets them in reading order too.
function FieldShell({
  id,
  label,
  hint,
  hintId,
  errors,
  errorId,
  className,
  children,
}: FieldShellProps) {
  return (
    <div className={cx("space-y-1", errorId && "border-l-4 border-red-700 pl-3", className)}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {hint ? (
        <p id={hintId} className={hintClass}>
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
      {children}
    </div>
  );
}

export interface FieldProps {
  label: React.ReactNode;
  inputProps: InputProps;
  hint?: React.ReactNode;
  errors?: ListOfErrors;
  className?: string;
}

export const Field = React.forwardRef<HTMLInputElement, FieldProps>(function Field(
  { label, inputProps, hint, errors, className },
  forwardedRef,
) {
  const { ref: inputRef, id: givenId, className: inputClassName, ...rest } = inputProps;
  const ids = useFieldIds(givenId, hint, errors, inputProps["aria-describedby"]);
  const ref = combineRefs(forwardedRef, inputRef);
  return (
    <FieldShell {...ids} label={label} hint={hint} errors={errors} className={className}>
      <input
        {...rest}
        ref={ref}
        id={ids.id}
        aria-describedby={ids.describedBy}
        aria-invalid={ids.errorId ? true : inputProps["aria-invalid"]}
        className={cx(controlClass, controlBorder(Boolean(ids.errorId)), inputClassName)}
      />
    </FieldShell>
  );
});

export interface TextareaFieldProps {
  label: React.ReactNode;
  textareaProps: TextareaProps;
  hint?: React.ReactNode;
  errors?: ListOfErrors;
  className?: string;
}

export const TextareaField = React.forwardRef<HTMLTextAreaElement, TextareaFieldProps>(
  function TextareaField({ label, textareaProps, hint, errors, className }, forwardedRef) {
    const { ref: textareaRef, id: givenId, className: textareaClassName, ...rest } = textareaProps;
    const ids = useFieldIds(givenId, hint, errors, textareaProps["aria-describedby"]);
    const ref = combineRefs(forwardedRef, textareaRef);
    return (
      <FieldShell {...ids} label={label} hint={hint} errors={errors} className={className}>
        <textarea
          rows={5}
          {...rest}
          ref={ref}
          id={ids.id}
          aria-describedby={ids.describedBy}
          aria-invalid={ids.errorId ? true : textareaProps["aria-invalid"]}
          className={cx(controlClass, controlBorder(Boolean(ids.errorId)), textareaClassName)}
        />
      </FieldShell>
    );
  },
);

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface SelectFieldProps {
  label: React.ReactNode;
  options: readonly SelectOption[];
  selectProps: SelectProps;
  /** First option with an empty value, e.g. "Choose an institute". */
  placeholder?: string;
  hint?: React.ReactNode;
  errors?: ListOfErrors;
  className?: string;
}

export const SelectField = React.forwardRef<HTMLSelectElement, SelectFieldProps>(
  function SelectField(
    { label, options, selectProps, placeholder, hint, errors, className },
    forwardedRef,
  ) {
    const { ref: selectRef, id: givenId, className: selectClassName, ...rest } = selectProps;
    const ids = useFieldIds(givenId, hint, errors, selectProps["aria-describedby"]);
    const ref = combineRefs(forwardedRef, selectRef);
    return (
      <FieldShell {...ids} label={label} hint={hint} errors={errors} className={className}>
        <select
          {...rest}
          ref={ref}
          id={ids.id}
          aria-describedby={ids.describedBy}
          aria-invalid={ids.errorId ? true : selectProps["aria-invalid"]}
          className={cx(controlClass, controlBorder(Boolean(ids.errorId)), selectClassName)}
        >
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value} disabled={option.disabled}>
              {option.label}
            </option>
          ))}
        </select>
      </FieldShell>
    );
  },
);

const checkboxClass =
  "mt-0.5 h-6 w-6 shrink-0 cursor-pointer accent-brand-700 disabled:cursor-not-allowed";

export interface CheckboxFieldProps {
  label: React.ReactNode;
  inputProps?: Omit<InputProps, "type">;
  hint?: React.ReactNode;
  errors?: ListOfErrors;
  className?: string;
}

export const CheckboxField = React.forwardRef<HTMLInputElement, CheckboxFieldProps>(
  function CheckboxField({ label, inputProps = {}, hint, errors, className }, forwardedRef) {
    const { ref: inputRef, id: givenId, className: inputClassName, ...rest } = inputProps;
    const ids = useFieldIds(givenId, hint, errors, inputProps["aria-describedby"]);
    const ref = combineRefs(forwardedRef, inputRef);
    return (
      <div className={cx("space-y-1", ids.errorId && "border-l-4 border-red-700 pl-3", className)}>
        <ErrorList id={ids.errorId} errors={errors} />
        <div className="flex items-start gap-3">
          <input
            {...rest}
            ref={ref}
            type="checkbox"
            id={ids.id}
            aria-describedby={ids.describedBy}
            aria-invalid={ids.errorId ? true : inputProps["aria-invalid"]}
            className={cx(checkboxClass, inputClassName)}
          />
          <div>
            <label htmlFor={ids.id} className="cursor-pointer text-gray-900">
              {label}
            </label>
            {hint ? (
              <p id={ids.hintId} className="text-sm text-gray-700">
                {hint}
              </p>
            ) : null}
          </div>
        </div>
      </div>
    );
  },
);

export interface CheckboxOption {
  value: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
}

export interface CheckboxGroupProps {
  legend: React.ReactNode;
  /** Every box shares it, so the form posts one value per ticked box under this name. */
  name: string;
  options: readonly CheckboxOption[];
  /** Values ticked on first render (uncontrolled). */
  defaultValue?: readonly string[];
  /** Values ticked (controlled; pass `inputProps.onChange` as well). */
  value?: readonly string[];
  hint?: React.ReactNode;
  errors?: ListOfErrors;
  id?: string;
  className?: string;
  /** Applied to every box, e.g. the spread of react-hook-form's `register(name)`. */
  inputProps?: Omit<InputProps, "type" | "id" | "value" | "checked" | "defaultChecked">;
}

export function CheckboxGroup({
  legend,
  name,
  options,
  defaultValue,
  value,
  hint,
  errors,
  id: givenId,
  className,
  inputProps = {},
}: CheckboxGroupProps) {
  const generatedId = React.useId();
  const id = givenId ?? generatedId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errorMessages(errors).length > 0 ? `${id}-error` : undefined;
  const { className: inputClassName, ...rest } = inputProps;
  return (
    <fieldset
      id={id}
      aria-describedby={joinIds(hintId, errorId)}
      className={cx("space-y-2", errorId && "border-l-4 border-red-700 pl-3", className)}
    >
      <legend className="font-semibold text-gray-900">{legend}</legend>
      {hint ? (
        <p id={hintId} className={hintClass}>
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
      <div className="space-y-2">
        {options.map((option, index) => {
          const optionId = `${id}-${index}`;
          const optionHintId = option.hint ? `${optionId}-hint` : undefined;
          return (
            <div key={option.value} className="flex items-start gap-3">
              <input
                name={name}
                {...rest}
                type="checkbox"
                id={optionId}
                value={option.value}
                {...(value
                  ? { checked: value.includes(option.value) }
                  : { defaultChecked: defaultValue?.includes(option.value) })}
                aria-describedby={joinIds(rest["aria-describedby"], optionHintId)}
                className={cx(checkboxClass, inputClassName)}
              />
              <div>
                <label htmlFor={optionId} className="cursor-pointer text-gray-900">
                  {option.label}
                </label>
                {option.hint ? (
                  <p id={optionHintId} className="text-sm text-gray-700">
                    {option.hint}
                  </p>
                ) : null}
              </div>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
