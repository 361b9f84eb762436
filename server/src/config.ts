// The only reader of process.env. Parsed once at boot; a bad value stops the process with a
// message naming the variable. Every variable is listed in .env.example and the README.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ROLES, type Role } from '@trustline/shared';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** Comma-separated role names; empty for none. */
const roleList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(ROLES, { message: `roles are ${ROLES.join(', ')}` })));
const flag = z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] });
const optionalUrl = (protocols: RegExp, what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || protocols.test(v), { message: `must be a ${what} URL` });

const EnvSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url({ message: 'must be an absolute http(s) URL' }).optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalUrl(/^postgres(ql)?:\/\//, 'postgresql://'),
  REDIS_URL: optionalUrl(/^rediss?:\/\//, 'redis://'),
  REDIS_SERVER_BIN: z.string().default('redis-server'),
  /** Prefix for every Redis key, queue and stream of this deployment (tests use one per file). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, 'letters, digits, dash and underscore only')
    .default('tl'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: flag.default(false),
  MIGRATE_ON_START: flag.default(true),
  TRUST_PROXY: flag.default(false),
  SESSION_TTL_HOURS: positiveInt.max(24 * 30).default(12),
  SECURE_COOKIES: flag.optional(),
  LOGIN_MAX_FAILURES: positiveInt.default(5),
  LOGIN_LOCK_MINUTES: positiveInt.default(15),
  /** A session not used for this many minutes ends (docs/privacy.md, Staff accounts). */
  SESSION_IDLE_MINUTES: positiveInt.max(24 * 60).default(30),
  /** Roles that must sign in with a TOTP code (comma-separated; empty: optional for everyone). */
  AUTH_TOTP_REQUIRED_ROLES: roleList.prefault('admin,supervisor'),
  BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  SETUP_TOKEN_TTL_HOURS: positiveInt.default(24),
  CONSOLE_DIST: z.string().default('./console/dist'),
  // Dispatch (docs/dispatch.md): acknowledgement deadlines by urgency, delivery deadlines after acceptance.
  DISPATCH_ACK_NOW_SECONDS: positiveInt.default(15 * 60),
  DISPATCH_ACK_WITHIN_HOURS_SECONDS: positiveInt.default(60 * 60),
  DISPATCH_ACK_TODAY_SECONDS: positiveInt.default(4 * 60 * 60),
  DISPATCH_DELIVERY_NOW_SECONDS: positiveInt.default(2 * 60 * 60),
  DISPATCH_DELIVERY_WITHIN_HOURS_SECONDS: positiveInt.default(6 * 60 * 60),
  DISPATCH_DELIVERY_TODAY_SECONDS: positiveInt.default(12 * 60 * 60),
  /** After this many offers lapse or are declined, the dispatch goes to the coordinator. */
  DISPATCH_MAX_OFFERS: positiveInt.max(50).default(3),
  /** A warning is raised when this share of a deadline has passed. */
  DISPATCH_WARNING_PERCENT: positiveInt.max(99).default(75),
  DISPATCH_LINK_TTL_HOURS: positiveInt.max(24 * 30).default(72),
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  /** Master secret; every other key (CSRF, phone hashing and encryption, signed links) derives
   * from it. Unset: generated once and kept in DATA_DIR/app-secret. Set it for several nodes. */
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Secret the keys of encryption at rest (names, addresses, notes, texts) and their blind indexes
   * derive from. Unset: APP_SECRET. Rotate by setting a new one and the old in ENCRYPTION_SECRET_PREVIOUS. */
  ENCRYPTION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Encryption secrets used before, comma-separated, newest first: fields sealed with them are still
   * read, and `npm run keys:rotate` re-seals them with ENCRYPTION_SECRET. */
  ENCRYPTION_SECRET_PREVIOUS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(32, 'each previous secret must be at least 32 characters'))),
  /** Identified data of finalised contacts with no open case is anonymised after this many days. */
  CONTACT_RETENTION_DAYS: positiveInt.max(36_500).default(365),
  // Retention of every other kind of personal data (docs/privacy.md), in days after the record was closed.
  /** Drafts never finalised: their identity, people and notes are removed after this many days. */
  RETENTION_DRAFTS_DAYS: positiveInt.max(36_500).default(30),
  /** Calls: the caller's sealed number is removed this many days after the call ended. */
  RETENTION_CALLS_DAYS: positiveInt.max(36_500).default(365),
  /** SMS: message texts and the sender's sealed number are removed this many days after sending. */
  RETENTION_MESSAGES_DAYS: positiveInt.max(36_500).default(365),
  /** Call-back requests are deleted this many days after they were made. */
  RETENTION_CALLBACKS_DAYS: positiveInt.max(36_500).default(90),
  /** Dispatches: recipient, address and notes are removed this many days after the dispatch closed. */
  RETENTION_DISPATCHES_DAYS: positiveInt.max(36_500).default(365),
  /** Closed cases: name, address, members, notes and plan texts are removed this many days after closing. */
  RETENTION_CASES_DAYS: positiveInt.max(36_500).default(1825),
  /** A follow-up not done this many minutes after it was due goes to the supervisors. */
  FOLLOW_UP_OVERDUE_MINUTES: positiveInt.max(7 * 24 * 60).default(60),
  // Telephony (docs/telephony.md). No TWILIO_ACCOUNT_SID: simulator mode with a local stand-in.
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/i, 'must look like AC followed by 32 hex digits')
    .optional(),
  /** Signs and checks webhooks. Unset: generated once and kept in DATA_DIR/twilio-auth-token. */
  TWILIO_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TWILIO_API_KEY: z.string().optional(),
  TWILIO_API_SECRET: z.string().optional(),
  TWILIO_TWIML_APP_SID: z.string().optional(),
  /** Sender for SMS that no line owns (e.g. dispatch messages). Unset: the first active line. */
  TWILIO_SMS_FROM: z.string().optional(),
  TELEPHONY_OFFER_TIMEOUT_SECONDS: positiveInt.max(300).default(20),
  TELEPHONY_NO_ANSWER_SECONDS: positiveInt.max(3600).default(120),
  TELEPHONY_WRAP_UP_SECONDS: positiveInt.max(3600).default(60),
  TELEPHONY_FALLBACK_AFTER_MS: positiveInt.max(10_000).default(3_000),
  TELEPHONY_HOLD_MUSIC_URL: z.url().default('http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3'),
  SMS_SILENCE_MINUTES: positiveInt.max(7 * 24 * 60).default(60),
  /** Bearer token that Prometheus sends to /metrics (admins may also read it signed in). Unset: sessions only. */
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** The centre's time zone: "today", hours of the day and midnight on the wallboard and in reports. */
  CENTRE_TIMEZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Moscow')
    .default('Europe/Moscow'),
  /** Service level: a call answered within this many seconds counts as answered in time. */
  SERVICE_LEVEL_SECONDS: positiveInt.max(600).default(20),
  /** Wallboard highlights an operator in wrap-up or away for longer than these. */
  WALLBOARD_WRAPUP_ALERT_SECONDS: positiveInt.default(120),
  WALLBOARD_AWAY_ALERT_SECONDS: positiveInt.default(900),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly database: { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'pglite'; readonly dir: string };
  /** Unset means: `npm start` launches an embedded redis-server (see server/src/embedded-redis.ts). */
  readonly redisUrl: string | undefined;
  readonly redisServerBin: string;
  readonly redisPrefix: string;
  readonly log: { readonly level: Env['LOG_LEVEL']; readonly pretty: boolean };
  readonly migrateOnStart: boolean;
  readonly trustProxy: boolean;
  readonly session: { readonly ttlMs: number; readonly idleMs: number; readonly secureCookies: boolean };
  /** Roles whose sign-in needs a TOTP code. */
  readonly totpRequiredRoles: readonly Role[];
  readonly login: { readonly maxFailures: number; readonly lockMs: number };
  readonly bodyLimit: number;
  readonly setupTokenTtlMs: number;
  readonly consoleDist: string;
  readonly shutdownGraceMs: number;
  readonly appSecret: string;
  /** Keys for encryption at rest: ENCRYPTION_SECRET (or APP_SECRET) seals, the previous ones only open. */
  readonly keys: { readonly appSecret: string; readonly previous: readonly string[] };
  readonly dispatch: {
    readonly ackMs: { readonly now: number; readonly within_hours: number; readonly today: number };
    readonly deliveryMs: { readonly now: number; readonly within_hours: number; readonly today: number };
    readonly maxOffers: number;
    readonly warningFraction: number;
    readonly linkTtlMs: number;
  };
  readonly contacts: { readonly retentionDays: number; readonly followUpOverdueMs: number };
  /** Days each retention policy keeps identified data (docs/privacy.md). */
  readonly retention: RetentionPeriods;
  readonly metricsToken: string | undefined;
  readonly timezone: string;
  readonly wallboard: { readonly serviceLevelMs: number; readonly wrapUpAlertMs: number; readonly awayAlertMs: number };
  readonly telephony: TelephonyConfig;
}

export interface RetentionPeriods {
  readonly contacts: number;
  readonly drafts: number;
  readonly calls: number;
  readonly messages: number;
  readonly callbacks: number;
  readonly dispatches: number;
  readonly cases: number;
}

export interface TelephonyConfig {
  /** True when TWILIO_ACCOUNT_SID is unset: REST calls go to the local stand-in. */
  readonly simulator: boolean;
  readonly accountSid: string;
  readonly authToken: string;
  readonly apiKey: string | undefined;
  readonly apiSecret: string | undefined;
  readonly twimlAppSid: string | undefined;
  readonly smsFrom: string | undefined;
  readonly offerTimeoutMs: number;
  readonly noAnswerMs: number;
  readonly wrapUpMs: number;
  readonly fallbackAfterMs: number;
  readonly holdMusicUrl: string;
  readonly smsSilenceMs: number;
}

/** A secret generated on first start and kept (mode 0600) under the data directory. */
export function loadOrCreateSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}=${JSON.stringify(env[String(i.path[0])] ?? '')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const appSecret = e.APP_SECRET ?? loadOrCreateSecret(dataDir, 'app-secret');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir,
    database: e.DATABASE_URL ? { kind: 'postgres' as const, url: e.DATABASE_URL } : { kind: 'pglite' as const, dir: resolve(dataDir, 'pglite') },
    redisUrl: e.REDIS_URL,
    redisServerBin: e.REDIS_SERVER_BIN,
    redisPrefix: e.REDIS_PREFIX,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    migrateOnStart: e.MIGRATE_ON_START,
    trustProxy: e.TRUST_PROXY,
    session: {
      ttlMs: e.SESSION_TTL_HOURS * 3_600_000,
      idleMs: e.SESSION_IDLE_MINUTES * 60_000,
      secureCookies: e.SECURE_COOKIES ?? publicUrl.startsWith('https://'),
    },
    totpRequiredRoles: [...new Set(e.AUTH_TOTP_REQUIRED_ROLES)],
    login: { maxFailures: e.LOGIN_MAX_FAILURES, lockMs: e.LOGIN_LOCK_MINUTES * 60_000 },
    bodyLimit: e.BODY_LIMIT_BYTES,
    setupTokenTtlMs: e.SETUP_TOKEN_TTL_HOURS * 3_600_000,
    consoleDist: resolve(e.CONSOLE_DIST),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    appSecret,
    keys: Object.freeze({ appSecret: e.ENCRYPTION_SECRET ?? appSecret, previous: e.ENCRYPTION_SECRET_PREVIOUS }),
    dispatch: Object.freeze({
      ackMs: { now: e.DISPATCH_ACK_NOW_SECONDS * 1000, within_hours: e.DISPATCH_ACK_WITHIN_HOURS_SECONDS * 1000, today: e.DISPATCH_ACK_TODAY_SECONDS * 1000 },
      deliveryMs: {
        now: e.DISPATCH_DELIVERY_NOW_SECONDS * 1000,
        within_hours: e.DISPATCH_DELIVERY_WITHIN_HOURS_SECONDS * 1000,
        today: e.DISPATCH_DELIVERY_TODAY_SECONDS * 1000,
      },
      maxOffers: e.DISPATCH_MAX_OFFERS,
      warningFraction: e.DISPATCH_WARNING_PERCENT / 100,
      linkTtlMs: e.DISPATCH_LINK_TTL_HOURS * 3_600_000,
    }),
    contacts: Object.freeze({ retentionDays: e.CONTACT_RETENTION_DAYS, followUpOverdueMs: e.FOLLOW_UP_OVERDUE_MINUTES * 60_000 }),
    retention: Object.freeze({
      contacts: e.CONTACT_RETENTION_DAYS,
      drafts: e.RETENTION_DRAFTS_DAYS,
      calls: e.RETENTION_CALLS_DAYS,
      messages: e.RETENTION_MESSAGES_DAYS,
      callbacks: e.RETENTION_CALLBACKS_DAYS,
      dispatches: e.RETENTION_DISPATCHES_DAYS,
      cases: e.RETENTION_CASES_DAYS,
    }),
    telephony: Object.freeze({
      simulator: !e.TWILIO_ACCOUNT_SID,
      accountSid: e.TWILIO_ACCOUNT_SID ?? 'AC00000000000000000000000000000000',
      authToken: e.TWILIO_AUTH_TOKEN ?? loadOrCreateSecret(dataDir, 'twilio-auth-token'),
      apiKey: e.TWILIO_API_KEY,
      apiSecret: e.TWILIO_API_SECRET,
      twimlAppSid: e.TWILIO_TWIML_APP_SID,
      smsFrom: e.TWILIO_SMS_FROM,
      offerTimeoutMs: e.TELEPHONY_OFFER_TIMEOUT_SECONDS * 1000,
      noAnswerMs: e.TELEPHONY_NO_ANSWER_SECONDS * 1000,
      wrapUpMs: e.TELEPHONY_WRAP_UP_SECONDS * 1000,
      fallbackAfterMs: e.TELEPHONY_FALLBACK_AFTER_MS,
      holdMusicUrl: e.TELEPHONY_HOLD_MUSIC_URL,
      smsSilenceMs: e.SMS_SILENCE_MINUTES * 60_000,
    }),
    metricsToken: e.METRICS_TOKEN,
    timezone: e.CENTRE_TIMEZONE,
    wallboard: {
      serviceLevelMs: e.SERVICE_LEVEL_SECONDS * 1000,
      wrapUpAlertMs: e.WALLBOARD_WRAPUP_ALERT_SECONDS * 1000,
      awayAlertMs: e.WALLBOARD_AWAY_ALERT_SECONDS * 1000,
    },
  });
}

/** For entry files: parse, or print the problems and exit 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting and its default.\n`);
      process.exit(1);
    }
    throw err;
  }
}
