import type { ReactNode } from 'react';
import type { FieldErrors, FormValues } from './tourForms';

/**
 * The labelled inputs of the tour-planning forms. Each shows its message beside it (aria-invalid and
 * aria-describedby, so a screen reader reads it with the field) and the value to show: the record's when
 * editing, or what the admin typed when the handler refused it (nothing typed is lost).
 */
interface FieldProps {
  form: string;
  name: string;
  label: string;
  values: FormValues;
  errors: FieldErrors;
  hint?: string | undefined;
  wide?: boolean;
}

function describedBy(form: string, name: string, error: string | undefined, hint: string | undefined): string | undefined {
  const ids = [error ? `${form}-${name}-error` : '', hint ? `${form}-${name}-hint` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function FieldShell({ form, name, label, errors, hint, wide, children }: Omit<FieldProps, 'values'> & { children: ReactNode }) {
  const error = errors[name];
  return (
    <label className={`${wide ? 'wide ' : ''}${error ? 'invalid' : ''}`.trim() || undefined}>
      <span>{label}</span>
      {children}
      {hint && (
        <small className="hint" id={`${form}-${name}-hint`}>
          {hint}
        </small>
      )}
      {error && (
        <small className="field-error" id={`${form}-${name}-error`}>
          {error}
        </small>
      )}
    </label>
  );
}

export function TextField(props: FieldProps & { type?: 'text' | 'date' | 'time' | 'number' | 'email'; required?: boolean; maxLength?: number; min?: number; max?: number; placeholder?: string }) {
  const { form, name, values, errors, hint, type = 'text', required, maxLength, min, max, placeholder } = props;
  return (
    <FieldShell {...props}>
      <input
        name={name}
        type={type}
        defaultValue={values[name] ?? ''}
        required={required}
        maxLength={maxLength}
        min={min}
        max={max}
        placeholder={placeholder}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={describedBy(form, name, errors[name], hint)}
      />
    </FieldShell>
  );
}

export function SelectField(props: FieldProps & { options: readonly (readonly [string, string])[]; required?: boolean; empty?: string }) {
  const { form, name, values, errors, hint, options, required, empty } = props;
  const value = values[name] ?? '';
  // A value the list lacks (an old zone name, a typed value the handler refused) stays selectable.
  const all = value && !options.some(([v]) => v === value) ? [...options, [value, value] as const] : options;
  return (
    <FieldShell {...props}>
      <select name={name} defaultValue={value} required={required} aria-invalid={errors[name] ? true : undefined} aria-describedby={describedBy(form, name, errors[name], hint)}>
        {empty !== undefined && <option value="">{empty}</option>}
        {all.map(([v, label]) => (
          <option value={v} key={v}>
            {label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** A group of checkboxes named `<prefix><value>` (the dashboard's form parser keeps one value per name). */
export function CheckboxGroup({ form, name, label, values, errors, hint, options, prefix }: FieldProps & { options: readonly (readonly [string, string])[]; prefix: string }) {
  const error = errors[name];
  return (
    <fieldset className={`wide${error ? ' invalid' : ''}`} aria-describedby={describedBy(form, name, error, hint)}>
      <legend>{label}</legend>
      <div className="checks">
        {options.map(([v, text]) => (
          <label className="inline" key={v}>
            <input type="checkbox" name={`${prefix}${v}`} value="1" defaultChecked={values[`${prefix}${v}`] === '1'} />
            {text}
          </label>
        ))}
      </div>
      {hint && (
        <small className="hint" id={`${form}-${name}-hint`}>
          {hint}
        </small>
      )}
      {error && (
        <small className="field-error" id={`${form}-${name}-error`}>
          {error}
        </small>
      )}
    </fieldset>
  );
}

/** One checkbox posting `1` when ticked (unticked posts nothing: read as "no"). */
export function CheckField({ form, name, label, values, errors, hint }: FieldProps) {
  const error = errors[name];
  return (
    <label className={`inline${error ? ' invalid' : ''}`}>
      <input type="checkbox" name={name} value="1" defaultChecked={values[name] === '1'} aria-invalid={error ? true : undefined} aria-describedby={describedBy(form, name, error, hint)} />
      {label}
      {error && (
        <small className="field-error" id={`${form}-${name}-error`}>
          {error}
        </small>
      )}
    </label>
  );
}

/** What a refusal said about no field in particular. */
export function FormError({ errors }: { errors: FieldErrors }) {
  return errors._form ? (
    <p className="field-error" role="alert">
      {errors._form}
    </p>
  ) : null;
}
