// npm run simulate -- <command> [options]: scripted caller traffic for simulator mode and trainers.
// It sends webhooks shaped and signed exactly as Twilio's to the running server's real endpoints,
// signed with TWILIO_AUTH_TOKEN (or the token kept in DATA_DIR) over PUBLIC_URL.
//
//   npm run simulate -- call --from +79161234567 [--to +74950000001] [--digits 1] [--hangup-after 30]
//   npm run simulate -- sms --from +79161234567 --body "Мне нужна помощь" [--media https://…/a.jpg]
//   npm run simulate -- hangup --sid CA…
//   npm run simulate -- burst --calls 20 [--sms 5] [--urgent 0.2] [--hangup-after 60]
// Options for every command: --url http://127.0.0.1:3000 (where to send; default PUBLIC_URL).
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.js';
import { CallerSimulator } from '../modules/telephony/twilio-sim.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    digits: { type: 'string' },
    'hangup-after': { type: 'string' },
    body: { type: 'string' },
    media: { type: 'string', multiple: true },
    sid: { type: 'string' },
    url: { type: 'string' },
    calls: { type: 'string' },
    sms: { type: 'string' },
    urgent: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const usage = () => {
  process.stdout.write(`Usage: npm run simulate -- call|sms|hangup|burst [options]\n  see the header of server/src/cli/simulate.ts, or docs/telephony.md\n`);
  process.exit(2);
};
const config = loadConfigOrExit();
const sim = new CallerSimulator({
  baseUrl: (values.url ?? config.publicUrl).replace(/\/+$/, ''),
  publicUrl: config.publicUrl,
  authToken: config.telephony.authToken,
  accountSid: config.telephony.accountSid,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const randomPhone = () => `+7916${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const to = values.to ?? '+70000000000';

async function call(from: string, digits: string | undefined, hangupAfter: number | undefined) {
  const res = await sim.placeCall({ from, to, digits });
  out({
    event: 'call',
    callSid: res.callSid,
    status: res.status,
    queued: res.twiml.includes('<Conference'),
    fallback: res.twiml.includes('<Dial timeout') || res.twiml.includes('<Enqueue'),
  });
  if (hangupAfter !== undefined) {
    await sleep(hangupAfter * 1000);
    out({ event: 'hangup', ...(await sim.hangup(res.callSid)) });
  }
  return res;
}

const command = positionals[0];
if (values.help || !command) usage();
try {
  if (command === 'call') {
    await call(values.from ?? randomPhone(), values.digits, values['hangup-after'] ? Number(values['hangup-after']) : undefined);
  } else if (command === 'sms') {
    if (values.body === undefined) usage();
    out({ event: 'sms', ...(await sim.sendSms({ from: values.from ?? randomPhone(), to, body: values.body!, mediaUrls: values.media })) });
  } else if (command === 'hangup') {
    if (!values.sid) usage();
    out({ event: 'hangup', ...(await sim.hangup(values.sid!)) });
  } else if (command === 'burst') {
    const calls = Number(values.calls ?? '10');
    const smsCount = Number(values.sms ?? '0');
    const urgent = Number(values.urgent ?? '0.2');
    const hangupAfter = values['hangup-after'] ? Number(values['hangup-after']) : undefined;
    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: calls }, () => call(randomPhone(), Math.random() < urgent ? '1' : '', hangupAfter)),
      ...Array.from({ length: smsCount }, async () =>
        out({ event: 'sms', ...(await sim.sendSms({ from: randomPhone(), to, body: 'Здравствуйте, мне нужно поговорить' })) }),
      ),
    ]);
    out({ event: 'burst-done', calls, sms: smsCount, ms: Date.now() - started });
  } else usage();
} catch (err) {
  process.stderr.write(`simulate: ${(err as Error).message} (is the server running at ${values.url ?? config.publicUrl}?)\n`);
  process.exit(1);
}
