// Logs keep an error's cause and lose the personal fields: a real pino logger with the app's
// options, written to a captured stream.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../server/src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { log: pino(loggerOptions({ log: { level: 'info', pretty: false } } as never), stream), text: () => lines.join('') };
}

describe('log redaction', () => {
  it("keeps an error's message, code and stack, with phone numbers in them masked", () => {
    const { log, text } = capture();
    const err = Object.assign(new Error("The 'To' number +7 916 123-45-67 is not a valid phone number"), { code: 21211 });
    log.warn({ err, jobId: 'sms-send-1' }, 'job failed');
    const out = JSON.parse(text());
    expect(out.err.message).toBe("The 'To' number [number] is not a valid phone number");
    expect(out.err.code).toBe(21211);
    expect(out.err.stack).toContain('logger-redaction.test.ts');
    expect(text()).not.toMatch(/916/);
  });

  it('still redacts personal fields wherever they appear', () => {
    const { log, text } = capture();
    log.info({ message: { body: 'мне страшно', from: '+79161234567' }, contact: { name: 'Иван Петров' } }, 'inbound');
    expect(text()).not.toMatch(/страшно|79161234567|Петров/);
    expect(text()).toContain('[redacted]');
  });
});
