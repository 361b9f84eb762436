// The texts that go out by SMS. Providers get what they need to decide (kind, area, urgency,
// whether children are involved, the reply code and the link), never the recipient's name,
// number or address: SMS passes through carriers. Russian first, the reply words in both.
const KIND: Record<string, string> = {
  food: 'продуктовый набор / горячее питание',
  clothing: 'одежда, обувь, вещи',
  accommodation: 'временное жильё',
  legal: 'юридическая помощь',
  psychological: 'экстренная психологическая помощь',
  other: 'срочная помощь',
};
const URGENCY: Record<string, string> = { now: 'срочно, сейчас', within_hours: 'в ближайшие часы', today: 'сегодня' };

export function offerSmsText(
  d: { number: number; kind: string; district: string; urgency: string; childrenInvolved: boolean; quantity: number },
  code: string,
  link: string,
) {
  const qty = d.quantity > 1 ? ` ×${d.quantity}` : '';
  const kids = d.childrenInvolved ? ', есть дети' : '';
  return (
    `Запрос №${d.number}: ${KIND[d.kind] ?? d.kind}${qty}, ${d.district}, ${URGENCY[d.urgency] ?? d.urgency}${kids}. ` +
    `Ответьте ДА ${code} или НЕТ ${code} (YES/NO ${code}); по завершении ГОТОВО ${code}. ${link}`
  );
}

export function recipientSmsText(d: { kind: string }, provider: string) {
  return `Помощь (${KIND[d.kind] ?? d.kind}) в пути: ${provider}. С вами свяжутся.`;
}
