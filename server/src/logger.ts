// Structured pino logs. Personal fields are redacted wherever they appear, so a careless
// `log.info({ contact })` cannot leak a caller's number, name or notes.
import { stdSerializers, type LoggerOptions } from 'pino';
import type { Config } from './config.js';

/** Field names that may carry personal data. Matched at the top level and one or two levels down. */
export const PERSONAL_FIELDS = [
  'password',
  'passwordHash',
  'token',
  'csrfToken',
  'cookie',
  'authorization',
  'phone',
  'phoneNumber',
  'from',
  'to',
  'From',
  'To',
  'Caller',
  'Called',
  'Body',
  'body',
  'name',
  'firstName',
  'lastName',
  'fullName',
  'displayName',
  'address',
  'notes',
  'note',
  'summary',
  'text',
  'dateOfBirth',
  'email',
] as const;

// An error's message and stack are kept: they are the cause a person on call needs. They are not
// free of personal data, though (Twilio says "The 'To' number +7916… is not a valid phone number"),
// so runs of digits that look like a phone number are masked in them instead of the whole text.
const PHONE_LIKE = /\+?\d[\d\s().-]{6,}\d/g;
export const scrubPhones = (text: string) => text.replace(PHONE_LIKE, '[number]');

function errSerializer(err: unknown) {
  const out = stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  for (const key of ['message', 'stack'] as const) if (typeof out[key] === 'string') out[key] = scrubPhones(out[key] as string);
  return out;
}

export function loggerOptions(config: Pick<Config, 'log'>): LoggerOptions {
  const paths = PERSONAL_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
  return {
    level: config.log.level,
    redact: {
      paths: [...paths, 'req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    // Requests are logged without query strings: a setup token or a signed link may be in one.
    serializers: {
      err: errSerializer,
      req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
    },
    ...(config.log.pretty ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } } : {}),
  };
}
