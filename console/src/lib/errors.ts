// Turns failures into text for people, in the current language: server error codes and the
// shared schemas' field messages have translations; anything else shows the server's message.
import { ApiFailure } from './api/client';
import { formatWait, hasKey, t, type MessageKey } from './i18n';

export function errorText(err: unknown): string {
  if (err instanceof ApiFailure || err instanceof CommandFailure) {
    const key = `errors.${err.code}`;
    if (err.code === 'LOGIN_THROTTLED' && err instanceof ApiFailure) return t('errors.LOGIN_THROTTLED', { wait: formatWait(err.retryAfter ?? 60) });
    if (hasKey(key)) return t(key as MessageKey);
    return err.message;
  }
  return t('errors.INTERNAL');
}

const FIELD_MESSAGES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/at least (\d+) characters/, (m) => t('errors.field.tooShort', { min: m[1]! })],
  [/is required|^Required$|expected string, received undefined/i, () => t('errors.field.required')],
  [/may hold only/, () => t('errors.field.usernameChars')],
  [/already taken/, () => t('errors.field.taken')],
  [/at least one role/, () => t('errors.field.roles')],
];

/** The field messages of a failure, translated where we know them. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiFailure)) return {};
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(err.fields)) {
    const known = FIELD_MESSAGES.map(([re, text]) => ({ m: message.match(re), text })).find((x) => x.m);
    out[field] = known ? known.text(known.m!) : message;
  }
  return out;
}

/** A socket command answered `{ok:false}`. */
export class CommandFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CommandFailure';
  }
}
