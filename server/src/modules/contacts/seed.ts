// Reference data for contacts: the helpline taxonomy (ru/en) and the example districts and
// settlements. Idempotent: rows are keyed by `code` and only inserted when missing, so an
// administrator's edits (labels, retirement) survive every restart.
import type { Seeder } from '../../db/seeders.js';
import { contactsConfigRepository } from './contacts-config.repository.js';

type Node = [code: string, ru: string, en: string, children?: Node[]];

export const TAXONOMY: Node[] = [
  [
    'violence',
    'Насилие и жестокое обращение',
    'Violence and abuse',
    [
      ['violence.physical', 'Физическое насилие', 'Physical abuse'],
      ['violence.sexual', 'Сексуальное насилие', 'Sexual abuse'],
      ['violence.emotional', 'Эмоциональное насилие', 'Emotional abuse'],
      ['violence.neglect', 'Пренебрежение нуждами ребёнка', 'Neglect'],
      ['violence.domestic', 'Домашнее насилие', 'Domestic violence'],
      ['violence.bullying', 'Травля (буллинг)', 'Bullying'],
    ],
  ],
  [
    'mental-health',
    'Психическое здоровье',
    'Mental health',
    [
      ['mental-health.suicidal-thoughts', 'Суицидальные мысли', 'Suicidal thoughts'],
      ['mental-health.self-harm', 'Самоповреждение', 'Self-harm'],
      ['mental-health.anxiety', 'Тревога', 'Anxiety'],
      ['mental-health.depression', 'Депрессия', 'Depression'],
      ['mental-health.loneliness', 'Одиночество', 'Loneliness'],
    ],
  ],
  [
    'family',
    'Семейные отношения',
    'Family relationships',
    [
      ['family.conflict', 'Конфликт в семье', 'Family conflict'],
      ['family.divorce', 'Развод', 'Divorce'],
      ['family.parenting', 'Воспитание детей', 'Parenting'],
      ['family.abandonment-risk', 'Риск отказа от ребёнка', 'Risk of child abandonment'],
    ],
  ],
  [
    'basic-needs',
    'Базовые потребности',
    'Basic needs',
    [
      ['basic-needs.food', 'Питание', 'Food'],
      ['basic-needs.clothing', 'Одежда', 'Clothing'],
      ['basic-needs.housing', 'Жильё, бездомность', 'Housing or homelessness'],
      ['basic-needs.money', 'Деньги', 'Money'],
    ],
  ],
  [
    'legal',
    'Правовые вопросы',
    'Legal',
    [
      ['legal.rights', 'Права', 'Rights'],
      ['legal.documents', 'Документы', 'Documents'],
      ['legal.benefits', 'Пособия и льготы', 'Benefits'],
    ],
  ],
  [
    'health',
    'Здоровье',
    'Health',
    [
      ['health.pregnancy', 'Беременность', 'Pregnancy'],
      ['health.hiv', 'ВИЧ', 'HIV'],
      ['health.substance-use', 'Употребление ПАВ', 'Substance use'],
      ['health.disability', 'Инвалидность', 'Disability'],
    ],
  ],
  ['education', 'Образование', 'Education'],
  ['information', 'Запрос информации', 'Information request'],
  ['non-genuine', 'Молчание, розыгрыш или оскорбления', 'Silent, prank or abusive contact'],
];

/** Examples drawn from the source documents (docs/product.md, "Sources"): a Tomsk centre works in 2 city
 * districts and 11 rural settlements of the Tomsk District. The names are examples: administrators replace them. */
export const AREAS: [code: string, kind: 'city-district' | 'settlement', ru: string, en: string][] = [
  ['kirovsky', 'city-district', 'Кировский район (пример)', 'Kirovsky district (example)'],
  ['sovetsky', 'city-district', 'Советский район (пример)', 'Sovetsky district (example)'],
  ['bogashevo', 'settlement', 'Богашёвское с. п. (пример)', 'Bogashevo settlement (example)'],
  ['zarechnoe', 'settlement', 'Заречное с. п. (пример)', 'Zarechnoye settlement (example)'],
  ['zorkaltsevo', 'settlement', 'Зоркальцевское с. п. (пример)', 'Zorkaltsevo settlement (example)'],
  ['itatka', 'settlement', 'Итатское с. п. (пример)', 'Itatka settlement (example)'],
  ['kaltay', 'settlement', 'Калтайское с. п. (пример)', 'Kaltay settlement (example)'],
  ['kornilovo', 'settlement', 'Корниловское с. п. (пример)', 'Kornilovo settlement (example)'],
  ['malinovka', 'settlement', 'Малиновское с. п. (пример)', 'Malinovka settlement (example)'],
  ['mezheninovka', 'settlement', 'Межениновское с. п. (пример)', 'Mezheninovka settlement (example)'],
  ['mirny', 'settlement', 'Мирненское с. п. (пример)', 'Mirny settlement (example)'],
  ['moryakovka', 'settlement', 'Моряковское с. п. (пример)', 'Moryakovka settlement (example)'],
  ['spasskoe', 'settlement', 'Спасское с. п. (пример)', 'Spasskoye settlement (example)'],
];

export const contactsSeeder: Seeder = {
  name: 'contacts',
  async run(prisma) {
    const repo = contactsConfigRepository(prisma);
    const existing = await repo.categoryIdsByCode();
    let sort = 0;
    for (const [code, ru, en, children] of TAXONOMY) {
      sort += 10;
      let parentId = existing.get(code);
      if (!parentId) parentId = (await repo.createCategory({ code, parentId: null, labelRu: ru, labelEn: en, sort })).id;
      const missing = (children ?? []).filter(([c]) => !existing.has(c));
      if (missing.length) await repo.addCategories(missing.map(([c, r, e], i) => ({ code: c, labelRu: r, labelEn: e, parentId, sort: i * 10 })));
    }
    await repo.addAreas(AREAS.map(([code, kind, nameRu, nameEn], i) => ({ code, kind, nameRu, nameEn, example: true, sort: i * 10 })));
  },
};
