import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { InputIssue } from '../../../shared/input-issues';
import { adviceFor, isOwnCode, messageFor } from '../hub';
import { currentLanguage } from '../i18n';

/** Whether an invalid_input error names this field (routes report nested paths such as `patch.baseUrl`). */
export function isFieldError(error: AppError | null, field: string): boolean {
  if (error?.kind !== 'invalid_input' || !error.field) return false;
  return error.field === field || error.field.endsWith(`.${field}`);
}

/** A refused field in the UI language: `label` is the field's name as the form shows it. */
export function inputIssueText(issue: Omit<InputIssue, 'field'>, label: string): string {
  if (issue.custom)
    return i18next.t('plainErrors.input.custom', { name: label, custom: issue.custom.replace(/\.$/, '') });
  const allowed = String(issue.values.allowed ?? '').split('|');
  const values = {
    ...issue.values,
    allowed: new Intl.ListFormat(currentLanguage(), { type: 'disjunction' }).format(allowed),
  };
  const sentence = i18next.t(`plainErrors.input.${issue.code}`, { ...values, name: label });
  return issue.values.given !== undefined
    ? i18next.t('plainErrors.input.given', { sentence, given: issue.values.given })
    : sentence;
}

/** The error's message for this field, worded from its code, else with the request path replaced by the label. */
export function fieldMessage(error: AppError | null, field: string, label: string): string | null {
  if (!error || !isFieldError(error, field)) return null;
  if (error.input) return inputIssueText(error.input, label);
  if (error.reason) return messageFor(error);
  const path = error.field ?? '';
  return error.message.startsWith(`${path} `)
    ? `${label} ${error.message.slice(path.length + 1)}`
    : error.message;
}

/** A field's validation message, tied to its input by id (aria-describedby). */
export function FieldError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error">
      {message}
    </p>
  );
}

function details(error: AppError): string[] {
  const parts: string[] = [];
  if (error.status !== undefined && !error.message.includes(`HTTP ${error.status}`))
    parts.push(i18next.t('errors.httpStatus', { status: error.status }));
  if (error.code && !isOwnCode(error)) parts.push(i18next.t('errors.code', { code: error.code }));
  if (error.requestId) parts.push(i18next.t('errors.requestId', { id: error.requestId }));
  return parts;
}

/** What went wrong, exactly as main reported it, and what to do about it. */
export function ErrorNote({ error, advice = true }: { error: AppError; advice?: boolean }) {
  const { t } = useTranslation();
  const extra = details(error);
  const next = advice ? adviceFor(error) : '';
  const message = messageFor(error);
  return (
    <div className="error-note">
      <p className="error-message">{message}</p>
      {error.providerMessage && !message.includes(error.providerMessage) ? (
        <p className="error-provider">{t('errors.proxySaid', { message: error.providerMessage })}</p>
      ) : null}
      {next ? <p className="error-advice">{next}</p> : null}
      {extra.length > 0 ? <p className="error-details">{extra.join(' · ')}</p> : null}
    </div>
  );
}

/** An error about the whole page, above its content, with a button that dismisses it when `onDismiss` is given. */
export function PageError(props: {
  error: AppError;
  className: string;
  dismissLabel?: string;
  onDismiss?: () => void;
}) {
  return (
    <div className={props.className}>
      <ErrorNote error={props.error} />
      {props.onDismiss ? (
        <button type="button" className="text-button" onClick={props.onDismiss}>
          {props.dismissLabel}
        </button>
      ) : null}
    </div>
  );
}
