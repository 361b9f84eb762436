// Request generators for the route fuzz test (test/integration/fuzz-routes.test.ts), built from
// the OpenAPI document: values that follow a route's own schema, so a case gets past validation
// into the handler, and values that break it (wrong types, missing and extra fields, huge strings,
// NUL, injection strings, ids that exist nowhere, numbers out of every range, odd encodings).
import http from 'node:http';
import fc from 'fast-check';

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

const HUGE = 'A'.repeat(100_000);
const LONG = 'Ж'.repeat(5_000);

/** Strings no field should choke on. */
export const BAD_STRINGS = [
  '',
  ' ',
  HUGE,
  LONG,
  '\u0000',
  'x\u0000y',
  '\uD800',
  'a\uDFFFb',
  '😀'.repeat(50),
  '\u202Eevil',
  '\uFEFF',
  "' OR '1'='1' --",
  '\'; DROP TABLE "User"; --',
  '" OR ""="',
  '1; SELECT pg_sleep(0)',
  '%',
  '_',
  '\\',
  '$1',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${7*7}',
  '../../../etc/passwd',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '99999999999999999999',
  '-99999999999999999999',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '123e4567-e89b-12d3-a456-426614174000',
  'not-a-uuid',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.000Z',
  '2024-02-30',
  '2024-13-01T00:00:00Z',
  '1970-01-01T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '+79991234567',
  'admin',
  '__proto__',
  'constructor',
];

export const BAD_NUMBERS = [0, -1, -0.5, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, -(2 ** 63), 1e21, 1e308, -1e308, Number.MIN_VALUE];

/** A JSON value of the wrong kind for (almost) any field. */
export const badValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...BAD_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...BAD_NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}, [null], ['a', 1], { a: { b: { c: 1 } } }) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 5_000 }, (_, i) => i)) },
  { weight: 1, arbitrary: fc.constant(JSON.parse('['.repeat(200) + ']'.repeat(200))) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Ids that exist in the test database, refreshed by the test before each route. */
export const knownIds: string[] = [];
const someId = () => (knownIds.length ? fc.oneof(fc.constantFrom(...knownIds), fc.uuid()) : fc.uuid());

const when = (d: Date) => d.toISOString();
const dates = fc.date({ min: new Date('1990-01-01'), max: new Date('2035-12-31'), noInvalidDate: true });

function stringFor(s: JsonSchema): fc.Arbitrary<string> {
  switch (s.format) {
    case 'uuid':
      return someId();
    case 'date-time':
      return dates.map(when);
    case 'date':
      return dates.map((d) => when(d).slice(0, 10));
    case 'email':
      return fc.emailAddress();
  }
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 1_000) && v.length >= (s.minLength ?? 0));
    } catch {
      /* a pattern fast-check cannot read: fall through to plain text */
    }
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) }).map((v) => v.padEnd(s.minLength ?? 0, 'x'));
}

/** A value that follows the schema (so a case reaches the handler). */
export function valid(s: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.jsonValue({ maxDepth: 1 });
  const value = validNotNull(s, depth);
  return s.nullable || (Array.isArray(s.type) && s.type.includes('null')) ? fc.oneof(value, fc.constant(null)) : value;
}

function validNotNull(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union) return fc.oneof(...union.map((u) => valid(u, depth + 1)));
  if (s.allOf?.length) return valid(s.allOf[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return stringFor(s);
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1_000, max: s.maximum ?? 100_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1_000, max: s.maximum ?? 100_000, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valid(s.items, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) });
    case 'object': {
      if (!s.properties) return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 });
      const model = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, valid(v, depth + 1)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

type Mutation = { kind: 'replace' | 'delete' | 'extra' | 'nested'; pick: number; bad: unknown };

/** One field of a valid object replaced by a bad value, removed, or joined by an unknown one. */
function mutate(value: unknown, m: Mutation): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return m.kind === 'extra' ? value : m.bad;
  const obj = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(obj);
  const key = keys[m.pick % Math.max(keys.length, 1)];
  if (m.kind === 'extra' || !key) obj[['__proto__x', 'isAdmin', 'id', 'roles', 'createdAt', 'zzz'][m.pick % 6]!] = m.bad;
  else if (m.kind === 'delete') delete obj[key];
  else if (m.kind === 'nested' && obj[key] && typeof obj[key] === 'object') obj[key] = mutate(obj[key], { ...m, kind: 'replace', pick: m.pick >> 3 });
  else obj[key] = m.bad;
  return obj;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'delete', 'extra', 'nested'),
  pick: fc.nat(),
  bad: badValue,
}) as fc.Arbitrary<Mutation>;

/** A body as it goes on the wire: JSON text (valid, mutated, wrong at the top) or raw text. */
export interface WireBody {
  text?: string;
  contentType?: string;
}

const RAW_BODIES: WireBody[] = [
  { text: '{"a":', contentType: 'application/json' },
  { text: '{"x": 1e999}', contentType: 'application/json' },
  { text: 'not json', contentType: 'application/json' },
  { text: '', contentType: 'application/json' },
  { text: '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}', contentType: 'application/json' },
  { text: '\u0000', contentType: 'application/json' },
  { text: 'a=1&b=%00&c[]=2', contentType: 'application/x-www-form-urlencoded' },
  { text: 'hello', contentType: 'text/plain' },
  { text: '<x/>', contentType: 'application/xml' },
  { text: '{"a":1}', contentType: 'application/json; charset=latin1' },
  {},
];

export function body(schema: JsonSchema | undefined): fc.Arbitrary<WireBody> {
  const json = (v: unknown): WireBody => ({ text: JSON.stringify(v), contentType: 'application/json' });
  return fc.oneof(
    { weight: 4, arbitrary: valid(schema).map(json) },
    { weight: 6, arbitrary: fc.tuple(valid(schema), mutation).map(([v, m]) => json(mutate(v, m))) },
    { weight: 2, arbitrary: fc.tuple(valid(schema), mutation, mutation).map(([v, a, b]) => json(mutate(mutate(v, a), b))) },
    { weight: 1, arbitrary: badValue.map(json) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES) },
  );
}

/** Query values as they go on the wire (already percent-encoded where they need to be). */
const BAD_QUERY = [
  '99999999999999999999',
  '-99999999999999999999',
  '-1',
  '0',
  '1.5',
  '1e308',
  '1e-7',
  'NaN',
  'Infinity',
  '0x1F',
  '',
  '%00',
  '%',
  '%ZZ',
  '%C0%AE',
  '%FF',
  '+',
  '%2B',
  '%E2%80%AE',
  '%F0%9F%98%80',
  encodeURIComponent("' OR 1=1 --"),
  encodeURIComponent('<script>'),
  encodeURIComponent('A'.repeat(10_000)),
  encodeURIComponent(HUGE),
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '2024-02-30',
  '2024-02-30T00:00:00Z',
  '275760-09-13T00:00:00Z',
  'true',
  'yes',
];

export function query(params: { name: string; schema: JsonSchema }[]): fc.Arbitrary<string> {
  const names = params.map((p) => p.name);
  const validPair = params.length
    ? fc.constantFrom(...params).chain((p) => valid(p.schema).map((v) => `${p.name}=${encodeURIComponent(String(v))}`))
    : fc.constant('');
  const badPair = fc
    .tuple(fc.constantFrom(...names, 'extra', 'before', 'limit', 'page', '__proto__', 'a[]', 'a[0]'), fc.constantFrom(...BAD_QUERY))
    .map(([k, v]) => `${encodeURIComponent(k)}=${v}`);
  const repeated = names.length
    ? fc
        .tuple(fc.constantFrom(...names), fc.array(fc.constantFrom(...BAD_QUERY.slice(0, 10)), { minLength: 2, maxLength: 3 }))
        .map(([k, vs]) => vs.map((v) => `${k}=${v}`).join('&'))
    : fc.constant('');
  return fc
    .array(fc.oneof({ weight: 3, arbitrary: validPair }, { weight: 3, arbitrary: badPair }, { weight: 1, arbitrary: repeated }), { maxLength: 4 })
    .map((pairs) => pairs.filter(Boolean).join('&'));
}

const BAD_SEGMENTS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '123e4567-e89b-12d3-a456-426614174000',
  '%00',
  '%ZZ',
  '%',
  '%2e%2e',
  '..',
  '%2F',
  '%252F',
  '%C0%AF',
  '%FF%FE',
  '%F0%9F%98%80',
  '%E2%80%8B',
  '%20',
  '%0A',
  'a'.repeat(5_000),
  '99999999999999999999',
  '-1',
  '0',
  '1e3',
  '0x10',
  'NaN',
  "'%20OR%201=1--",
  '%3Cscript%3E',
  'null',
  '__proto__',
  '2025-02-30',
  '0000-00-00',
  '275760',
];

export function pathValue(schema: JsonSchema | undefined): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: valid(schema).map((v) => encodeURIComponent(String(v))) },
    { weight: 2, arbitrary: someId() },
    { weight: 4, arbitrary: fc.constantFrom(...BAD_SEGMENTS) },
  );
}

/** One HTTP/1.1 request on its own connection, the path sent exactly as given (fetch would
 * normalise it). No keep-alive: the server closes a connection after some refusals (431, 413),
 * and a reused socket would then read as a reset. */
export function send(base: URL, method: string, path: string, headers: Record<string, string>, text?: string) {
  if (text !== undefined) headers = { ...headers, 'content-length': String(Buffer.byteLength(text)) };
  return new Promise<{ status: number; text: string }>((resolve) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers, agent: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => resolve({ status: 0, text: String(err) }));
    });
    // Status 0: no answer at all (the connection was reset); the test counts these apart.
    req.on('error', (err) => resolve({ status: 0, text: String(err) }));
    req.on('timeout', () => req.destroy(new Error('timed out')));
    if (text !== undefined) req.write(text);
    req.end();
  });
}

/** CallSids and MessageSids that exist in the test database, refreshed like knownIds. */
export const knownSids: string[] = [];

const TWILIO_FIELDS: Record<string, string[]> = {
  CallSid: [],
  MessageSid: [],
  AccountSid: [],
  From: ['+79161234567', '+74950000001', 'client:op', 'anonymous', '+', ''],
  To: ['+74950000001', '+79161234567', ''],
  CallStatus: ['ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled', 'queued'],
  Direction: ['inbound', 'outbound-api', 'outbound-dial'],
  Digits: ['1', '2', '9', '0', '*', '#', '', '12', '99999999999999999999'],
  RecordingUrl: ['https://api.twilio.com/rec/RE1', 'javascript:alert(1)', 'http://127.0.0.1:1/'],
  RecordingSid: [],
  RecordingDuration: ['5', '-1', '1e309', 'NaN', '99999999999999999999'],
  Body: ['мне плохо', 'STOP', 'СТОП', 'START', 'YES', 'ДА'],
  NumMedia: ['0', '1', '10', '11', '-1', '99999999999'],
  MediaUrl0: ['https://api.twilio.com/m/1', 'file:///etc/passwd'],
  MediaContentType0: ['image/jpeg', 'text/html'],
  MessageStatus: ['queued', 'sent', 'delivered', 'undelivered', 'failed', 'receiving'],
  SmsStatus: ['received', 'sent', 'delivered', 'failed'],
  ErrorCode: ['30003', '30007', '-1', '99999999999999999999'],
  DialCallStatus: ['completed', 'no-answer', 'busy', 'failed'],
  DialCallDuration: ['3', '-5', '1e309'],
  CallDuration: ['10', '-1', '99999999999999999999'],
  ConferenceSid: [],
  StatusCallbackEvent: ['participant-join', 'participant-leave', 'conference-start', 'conference-end'],
  FriendlyName: [],
  SequenceNumber: ['1', '-1', '99999999999999999999'],
  Timestamp: ['Tue, 03 Dec 2026 08:00:00 +0000', 'not a date'],
  SpeechResult: ['да', ''],
};

/** A Twilio webhook form: Twilio's field names with plausible and broken values (all strings). */
export function twilioForm(accountSid: string): fc.Arbitrary<Record<string, string>> {
  const sidOf = (prefix: string) =>
    fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }).map((h) => `${prefix}${h}`),
      knownSids.length ? fc.constantFrom(...knownSids) : fc.constant(`${prefix}1`),
    );
  const plausible: Record<string, fc.Arbitrary<string>> = {
    CallSid: sidOf('CA'),
    MessageSid: sidOf('SM'),
    RecordingSid: sidOf('RE'),
    ConferenceSid: sidOf('CF'),
    AccountSid: fc.constant(accountSid),
    FriendlyName: fc.string({ maxLength: 40 }),
  };
  const badString = fc.constantFrom(...BAD_STRINGS);
  const model = Object.fromEntries(
    Object.entries(TWILIO_FIELDS).map(([k, values]) => [
      k,
      fc.oneof({ weight: 3, arbitrary: plausible[k] ?? fc.constantFrom(...values) }, { weight: 1, arbitrary: badString }),
    ]),
  );
  return fc
    .record(model, { requiredKeys: [] })
    .chain((form) =>
      fc
        .dictionary(fc.constantFrom('Extra', '__proto__x', 'Caller', 'ApiVersion', 'a'.repeat(200)), badString, { maxKeys: 2 })
        .map((extra) => ({ ...form, ...extra }) as Record<string, string>),
    );
}
