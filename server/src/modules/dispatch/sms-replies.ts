// Providers answer offers by SMS: "ДА 123" / "YES 123" accept, "НЕТ 123" / "NO 123" decline,
// "ГОТОВО 123" / "DONE 123" delivered, in any case, with any spacing or punctuation between
// the word and the code. Phones often mix Latin and Cyrillic letters that look alike ("HET",
// "ДA"), so look-alikes are folded before comparing. Pure: unit-tested.
export type ProviderAnswer = 'accept' | 'decline' | 'delivered';

const WORDS: Record<string, ProviderAnswer> = {
  да: 'accept',
  yes: 'accept',
  y: 'accept',
  ok: 'accept',
  нет: 'decline',
  no: 'decline',
  n: 'decline',
  готово: 'delivered',
  done: 'delivered',
  доставлено: 'delivered',
  delivered: 'delivered',
};
// Latin letters that look like Cyrillic ones, folded into Cyrillic when the word is meant Cyrillic.
const LATIN_TO_CYR: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', y: 'у', k: 'к', m: 'м', t: 'т', h: 'н', b: 'в' };
const CYR_TO_LATIN: Record<string, string> = Object.fromEntries(Object.entries(LATIN_TO_CYR).map(([l, c]) => [c, l]));

function answerOf(word: string): ProviderAnswer | null {
  const w = word.toLocaleLowerCase('ru').replace(/ё/g, 'е');
  if (WORDS[w]) return WORDS[w];
  const cyr = [...w].map((ch) => LATIN_TO_CYR[ch] ?? ch).join('');
  if (WORDS[cyr]) return WORDS[cyr];
  const lat = [...w].map((ch) => CYR_TO_LATIN[ch] ?? ch).join('');
  return WORDS[lat] ?? null;
}

export function parseProviderReply(body: string): { answer: ProviderAnswer; code: string } | null {
  const m = /^[\s"'«]*([\p{L}]+)[\s.,:;#№\-–—!»"']*(\d{3,6})[\s.!»"']*$/u.exec(body.normalize('NFC'));
  if (!m) return null;
  const answer = answerOf(m[1]!);
  return answer ? { answer, code: m[2]! } : null;
}
