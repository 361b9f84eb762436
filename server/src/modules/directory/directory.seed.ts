// The demo directory: the institutions the source documents describe (docs/product.md, "Sources"): a Tomsk
// family and children centre with 40 beds, a Family MFC, a crisis centre, a halfway house for
// mothers with infants, a food and clothing point, a parish service, marked `isExample`.
// Ids are derived from names, rows are only created when missing: running it twice changes
// nothing, and it never overwrites a capacity a coordinator has since confirmed.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/tx.js';
import { maskPhone } from '../../crypto/phone.js';
import type { PhoneSealer } from './directory.repository.js';
import type { Seeder } from '../../db/seeders.js';
import { phoneCrypto } from '../../crypto/phone.js';

export const seedId = (name: string) => {
  const h = createHash('sha256').update(`trustline-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const ALL_DAYS = 'MO,TU,WE,TH,FR,SA,SU';
const WEEKDAYS = 'MO,TU,WE,TH,FR';

type Kind = 'food' | 'clothing' | 'accommodation' | 'legal' | 'psychological' | 'other';
interface DemoService {
  key: string;
  name: string;
  description: string;
  kinds: Kind[];
  hours: { byday: string; opens: string; closes: string }[];
  holidays?: string[];
  capacity?: { unit: keyof typeof UNITS; available: number; maximum: number };
  minAge?: number;
  maxAge?: number;
  eligibility?: string;
  areas: string[];
  phone: string;
}
interface DemoOrg {
  key: string;
  name: string;
  alternate: string;
  description: string;
  district: string;
  address: string;
  services: DemoService[];
}

export const UNITS = {
  beds: { id: seedId('unit:beds'), name: 'beds' },
  foodSets: { id: seedId('unit:food-sets'), name: 'food sets' },
  clothingSets: { id: seedId('unit:clothing-sets'), name: 'clothing sets' },
  appointments: { id: seedId('unit:appointments'), name: 'appointments' },
} as const;

const h24 = [{ byday: ALL_DAYS, opens: '00:00:00', closes: '24:00:00' }];
const office = [{ byday: WEEKDAYS, opens: '09:00:00', closes: '18:00:00' }];

export const DEMO_ORGS: DemoOrg[] = [
  {
    key: 'ogonyok',
    name: 'Социально-реабилитационный центр для семьи и детей «Огонёк» (пример)',
    alternate: 'Social Assistance Center for Families and Children "Ogonyok" (example)',
    description: 'Центр на 40 мест для детей от 3 до 18 лет: 15 мест в отделении реабилитации детей с ОВЗ и 25 мест в отделении помощи семье и детям.',
    district: 'Кировский район',
    address: 'ул. Примерная, 1',
    services: [
      {
        key: 'ogonyok-family',
        name: 'Временное проживание: отделение помощи семье и детям',
        description: 'Приют для детей, оказавшихся в трудной жизненной ситуации.',
        kinds: ['accommodation'],
        hours: h24,
        capacity: { unit: 'beds', available: 6, maximum: 25 },
        minAge: 3,
        maxAge: 18,
        eligibility: 'Дети от 3 до 18 лет',
        areas: ['Кировский район', 'Советский район'],
        phone: '+7 900 000 00 01',
      },
      {
        key: 'ogonyok-rehab',
        name: 'Временное проживание: отделение реабилитации детей с ОВЗ',
        description: 'Места для детей с ограниченными возможностями здоровья.',
        kinds: ['accommodation'],
        hours: h24,
        capacity: { unit: 'beds', available: 2, maximum: 15 },
        minAge: 3,
        maxAge: 18,
        eligibility: 'Дети с ОВЗ от 3 до 18 лет',
        areas: ['Кировский район', 'Советский район'],
        phone: '+7 900 000 00 02',
      },
      {
        key: 'ogonyok-psy',
        name: 'Экстренная психологическая помощь семьям',
        description: 'Психолог центра.',
        kinds: ['psychological'],
        hours: office,
        areas: ['Кировский район'],
        phone: '+7 900 000 00 03',
      },
    ],
  },
  {
    key: 'family-mfc',
    name: 'Семейный МФЦ при комплексном центре социального обслуживания (пример)',
    alternate: 'Family MFC (example)',
    description: 'Юрисконсульт (иск, претензия, заявление) и психолог; все услуги бесплатно.',
    district: 'Советский район',
    address: 'пр. Примерный, 10',
    services: [
      {
        key: 'mfc-legal',
        name: 'Юридическая помощь: юрисконсульт',
        description: 'Помощь оформить иск, претензию, заявление.',
        kinds: ['legal'],
        hours: office,
        holidays: ['2027-01-01', '2027-01-07'],
        capacity: { unit: 'appointments', available: 4, maximum: 8 },
        areas: ['*'],
        phone: '+7 900 000 00 11',
      },
      {
        key: 'mfc-psy',
        name: 'Психологическая помощь семьям с детьми',
        description: 'Консультации психолога, в том числе выезды в сельские поселения.',
        kinds: ['psychological'],
        hours: office,
        holidays: ['2027-01-01', '2027-01-07'],
        capacity: { unit: 'appointments', available: 3, maximum: 6 },
        areas: ['*'],
        phone: '+7 900 000 00 12',
      },
    ],
  },
  {
    key: 'crisis',
    name: 'Кризисный центр помощи женщинам и детям (пример)',
    alternate: 'Crisis Management Centre (example)',
    description: 'Круглосуточная экстренная психологическая помощь и временное убежище.',
    district: 'Советский район',
    address: 'ул. Кризисная, 5',
    services: [
      {
        key: 'crisis-psy',
        name: 'Экстренная психологическая помощь (круглосуточно)',
        description: 'Дежурный психолог.',
        kinds: ['psychological'],
        hours: h24,
        areas: ['*'],
        phone: '+7 900 000 00 21',
      },
      {
        key: 'crisis-shelter',
        name: 'Временное убежище для женщин с детьми',
        description: 'Кризисные места.',
        kinds: ['accommodation'],
        hours: h24,
        capacity: { unit: 'beds', available: 4, maximum: 10 },
        areas: ['Кировский район', 'Советский район'],
        phone: '+7 900 000 00 22',
      },
    ],
  },
  {
    key: 'halfway',
    name: 'Социальная гостиница для мам с младенцами «Вместе с мамой» (пример)',
    alternate: 'Halfway house "Together With Mother" (example)',
    description: 'Профилактика раннего социального сиротства: проживание мам с детьми от 0 до 3 лет.',
    district: 'Кировский район',
    address: 'ул. Материнская, 3',
    services: [
      {
        key: 'halfway-stay',
        name: 'Временное проживание мам с младенцами',
        description: 'Комнаты для мам с детьми до 3 лет.',
        kinds: ['accommodation', 'clothing'],
        hours: h24,
        capacity: { unit: 'beds', available: 3, maximum: 8 },
        maxAge: 3,
        eligibility: 'Мамы с детьми от 0 до 3 лет',
        areas: ['*'],
        phone: '+7 900 000 00 31',
      },
    ],
  },
  {
    key: 'food-point',
    name: 'Пункт продуктовой и вещевой помощи (пример)',
    alternate: 'Food and clothing point (example)',
    description: 'Продуктовые наборы, одежда, обувь и предметы первой необходимости.',
    district: 'Кировский район',
    address: 'ул. Складская, 7',
    services: [
      {
        key: 'food-sets',
        name: 'Продуктовые наборы',
        description: 'Продуктовый набор на семью.',
        kinds: ['food'],
        hours: [{ byday: 'MO,TU,WE,TH,FR,SA', opens: '10:00:00', closes: '19:00:00' }],
        capacity: { unit: 'foodSets', available: 30, maximum: 50 },
        areas: ['Кировский район', 'Советский район', 'Богашёвское сельское поселение'],
        phone: '+7 900 000 00 41',
      },
      {
        key: 'clothing-sets',
        name: 'Одежда, обувь, предметы первой необходимости',
        description: 'Вещевая помощь, в том числе детская одежда.',
        kinds: ['clothing'],
        hours: [{ byday: 'MO,TU,WE,TH,FR,SA', opens: '10:00:00', closes: '19:00:00' }],
        capacity: { unit: 'clothingSets', available: 40, maximum: 60 },
        areas: ['Кировский район', 'Советский район'],
        phone: '+7 900 000 00 42',
      },
    ],
  },
  {
    key: 'parish',
    name: 'Социальная служба прихода «Милосердие» (пример)',
    alternate: 'Parish mercy service (example)',
    description: 'Религиозная община: беседа со священником, горячее питание, вещевая помощь.',
    district: 'Советский район',
    address: 'ул. Церковная, 2',
    services: [
      {
        key: 'parish-psy',
        name: 'Экстренная психологическая помощь: священник',
        description: 'Беседа со священнослужителем.',
        kinds: ['psychological'],
        hours: [{ byday: ALL_DAYS, opens: '08:00:00', closes: '20:00:00' }],
        areas: ['*'],
        phone: '+7 900 000 00 51',
      },
      {
        key: 'parish-food',
        name: 'Горячее питание и продуктовые наборы',
        description: 'Горячие обеды и наборы.',
        kinds: ['food', 'clothing'],
        hours: [{ byday: ALL_DAYS, opens: '12:00:00', closes: '15:00:00' }],
        capacity: { unit: 'foodSets', available: 10, maximum: 20 },
        areas: ['Советский район', 'Зоркальцевское сельское поселение'],
        phone: '+7 900 000 00 52',
      },
    ],
  },
];

/** Creates whatever demo rows are missing. Returns how many organisations it created. */
export async function seedDemoDirectory(tx: Db, phones: PhoneSealer | null) {
  const now = new Date();
  let created = 0;
  await tx.dirUnit.createMany({ data: Object.values(UNITS).map((u) => ({ ...u, scheme: 'trustline' })), skipDuplicates: true });
  for (const o of DEMO_ORGS) {
    const orgId = seedId(`org:${o.key}`);
    const locationId = seedId(`location:${o.key}`);
    const res = await tx.dirOrganization.createMany({
      data: [{ id: orgId, name: o.name, alternateName: o.alternate, description: o.description, isExample: true }],
      skipDuplicates: true,
    });
    created += res.count;
    await tx.dirLocation.createMany({
      data: [{ id: locationId, organizationId: orgId, name: o.alternate, district: o.district, isExample: true }],
      skipDuplicates: true,
    });
    await tx.dirAddress.createMany({
      data: [
        {
          id: seedId(`address:${o.key}`),
          locationId,
          address1: o.address,
          city: 'Томск',
          stateProvince: 'Томская область',
          postalCode: '634000',
          country: 'RU',
          addressType: 'physical',
        },
      ],
      skipDuplicates: true,
    });
    for (const s of o.services) {
      const serviceId = seedId(`service:${s.key}`);
      await tx.dirService.createMany({
        data: [
          {
            id: serviceId,
            organizationId: orgId,
            name: s.name,
            description: s.description,
            status: 'active',
            urgentKinds: s.kinds,
            minimumAge: s.minAge ?? null,
            maximumAge: s.maxAge ?? null,
            eligibilityDescription: s.eligibility ?? null,
            isExample: true,
            lastModified: now,
          },
        ],
        skipDuplicates: true,
      });
      await tx.dirServiceAtLocation.createMany({ data: [{ id: seedId(`sal:${s.key}`), serviceId, locationId }], skipDuplicates: true });
      await tx.dirServiceArea.createMany({ data: s.areas.map((a) => ({ id: seedId(`area:${s.key}:${a}`), serviceId, name: a })), skipDuplicates: true });
      await tx.dirSchedule.createMany({
        data: [
          ...s.hours.map((h, i) => ({
            id: seedId(`schedule:${s.key}:${i}`),
            serviceId,
            freq: 'WEEKLY',
            byday: h.byday,
            opensAt: h.opens,
            closesAt: h.closes,
            description: h.byday === ALL_DAYS && h.opens === '00:00:00' ? '24/7' : null,
          })),
          ...(s.holidays ?? []).map((d) => ({
            id: seedId(`holiday:${s.key}:${d}`),
            serviceId,
            validFrom: new Date(`${d}T00:00:00Z`),
            validTo: new Date(`${d}T00:00:00Z`),
            description: 'holiday: closed',
          })),
        ],
        skipDuplicates: true,
      });
      const phoneId = seedId(`phone:${s.key}`);
      if (phones && !(await tx.dirPhone.findUnique({ where: { id: phoneId }, select: { id: true } }))) {
        await tx.dirPhone.create({
          data: {
            id: phoneId,
            serviceId,
            numberEnc: phones.encrypt(s.phone),
            numberHash: phones.hash(s.phone),
            numberMasked: maskPhone(s.phone),
            type: 'text',
            description: 'dispatch offers by SMS (example number)',
          },
        });
      }
      await tx.dirLanguage.createMany({ data: [{ id: seedId(`language:${s.key}`), serviceId, name: 'Русский', code: 'ru' }], skipDuplicates: true });
      if (s.capacity) {
        await tx.dirServiceCapacity.createMany({
          data: [
            {
              id: seedId(`capacity:${s.key}`),
              serviceId,
              unitId: UNITS[s.capacity.unit].id,
              available: s.capacity.available,
              maximum: s.capacity.maximum,
              updated: now,
            },
          ],
          skipDuplicates: true,
        });
      }
    }
  }
  return created;
}

/** Runs after migrations (server start, test template). Without the app secret, phones are left out. */
export const directorySeeder: Seeder = {
  name: 'directory-demo',
  async run(prisma, ctx) {
    await prisma.$transaction((tx) => seedDemoDirectory(tx, ctx?.appSecret ? phoneCrypto(ctx.appSecret) : null), { timeout: 60_000 });
  },
};
