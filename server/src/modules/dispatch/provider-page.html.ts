// Server-rendered HTML for the provider link page: no script, works on any phone, Russian first
// with English beneath. Every value is escaped.
const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const KIND: Record<string, [string, string]> = {
  food: ['Продуктовый набор / питание', 'Food'],
  clothing: ['Одежда и вещи', 'Clothing'],
  accommodation: ['Временное жильё', 'Accommodation'],
  legal: ['Юридическая помощь', 'Legal aid'],
  psychological: ['Психологическая помощь', 'Psychological help'],
  other: ['Другая помощь', 'Other help'],
};
const URGENCY: Record<string, [string, string]> = { now: ['сейчас', 'now'], within_hours: ['в ближайшие часы', 'within hours'], today: ['сегодня', 'today'] };
const STATE: Record<string, [string, string]> = {
  accepted: ['Вы приняли запрос', 'You accepted'],
  in_progress: ['В работе', 'In progress'],
  delivered: ['Помощь оказана. Спасибо!', 'Delivered. Thank you!'],
  declined: ['Вы отказались. Запрос передан другому поставщику.', 'Declined. We will ask another provider.'],
};

function page(title: string, body: string) {
  return (
    '<!doctype html><html lang="ru"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">\n' +
    `<title>${esc(title)}</title><style>body{font:16px/1.4 system-ui,sans-serif;margin:0;padding:16px;max-width:32rem;color:#1b1b1b}h1{font-size:1.3rem}\n` +
    '.en{color:#666;font-size:.9em}dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px}dt{color:#555}' +
    'button{font-size:1.05rem;padding:12px;margin:6px 0;width:100%;border-radius:8px;border:1px solid #888;background:#f4f4f4}\n' +
    'button.primary{background:#1f6f3f;color:#fff;border-color:#1f6f3f}textarea{width:100%;min-height:4rem;font:inherit;box-sizing:border-box}' +
    '.msg{padding:10px;border-radius:8px;background:#eef6ee}.warn{background:#fbeaea}</style></head><body>' +
    `${body}</body></html>`
  );
}

export interface ProviderView {
  offerState: string;
  provider: string;
  code: string;
  dispatch: {
    number: number;
    kind: string;
    urgency: string;
    district: string;
    childrenInvolved: boolean;
    quantity: number;
    state: string;
    address: string | null;
    recipientName: string | null;
    providerNote: string | null;
    deadline: string | null;
  };
}

export function renderProviderPage(v: ProviderView, token: string, justDone?: string) {
  const d = v.dispatch;
  const [kindRu, kindEn] = KIND[d.kind] ?? [d.kind, d.kind];
  const [urgRu, urgEn] = URGENCY[d.urgency] ?? [d.urgency, d.urgency];
  const action = `/p/offer/${encodeURIComponent(token)}`;
  const btn = (a: string, ru: string, en: string, primary = false) =>
    `<form method="post" action="${action}"><input type="hidden" name="action" value="${a}">` +
    `<button class="${primary ? 'primary' : ''}" type="submit" data-action="${a}">${esc(ru)} <span class="en">/ ${esc(en)}</span></button></form>`;
  const buttons =
    v.offerState === 'pending'
      ? btn('accept', 'Принять', 'Accept', true) + btn('decline', 'Отказаться', 'Decline')
      : (d.state === 'accepted' ? btn('in_progress', 'Выехали / в работе', 'On our way') : '') + btn('delivered', 'Помощь оказана', 'Delivered', true);
  const done =
    justDone && STATE[justDone] ? `<p class="msg" role="status">${esc(STATE[justDone][0])} <span class="en">/ ${esc(STATE[justDone][1])}</span></p>` : '';
  const address = d.address ? `<dt>Адрес</dt><dd>${esc(d.address)}</dd>` : '';
  const recipient = d.recipientName ? `<dt>Имя</dt><dd>${esc(d.recipientName)}</dd>` : '';
  const children = d.childrenInvolved ? '<dt>Дети</dt><dd>да <span class="en">/ children involved</span></dd>' : '';
  const note = d.providerNote ? `<dt>Примечание</dt><dd>${esc(d.providerNote)}</dd>` : '';
  const deadline = d.deadline
    ? `<dt>Срок</dt><dd><time datetime="${esc(d.deadline)}">${esc(new Date(d.deadline).toLocaleString('ru-RU', { timeZone: 'Europe/Moscow' }))}</time></dd>`
    : '';
  const ask =
    v.offerState === 'pending'
      ? 'Можете помочь? <span class="en">/ Can you help?</span>'
      : 'Сообщите, когда помощь оказана. <span class="en">/ Tell us when help is delivered.</span>';
  const noteForm =
    v.offerState === 'accepted'
      ? `<form method="post" action="${action}"><input type="hidden" name="action" value="note">` +
        '<label>Заметка <span class="en">/ Note</span><textarea name="note" maxlength="500"></textarea></label>' +
        '<button type="submit" data-action="note">Отправить заметку <span class="en">/ Send note</span></button></form>'
      : '';
  return page(
    `Запрос №${d.number}`,
    `
<h1>Запрос №${esc(d.number)} <span class="en">/ Request ${esc(d.number)}</span></h1>${done}
<dl><dt>Помощь</dt><dd>${esc(kindRu)}${d.quantity > 1 ? ` ×${esc(d.quantity)}` : ''} <span class="en">/ ${esc(kindEn)}</span></dd>
<dt>Где</dt><dd>${esc(d.district)}</dd>${address}${recipient}
<dt>Срочность</dt><dd>${esc(urgRu)} <span class="en">/ ${esc(urgEn)}</span></dd>${children}
${note}${deadline}
<dt>Кому</dt><dd>${esc(v.provider)}</dd><dt>Код</dt><dd>${esc(v.code)}</dd></dl>
<p data-state="${esc(v.offerState === 'pending' ? 'offered' : d.state)}">${ask}</p>
${buttons}
${noteForm}`,
  );
}

const REFUSAL: Record<string, [string, string]> = {
  tampered: ['Ссылка повреждена или недействительна.', 'This link is not valid: it may have been changed or copied incompletely.'],
  expired: ['Срок действия ссылки истёк.', 'This link has expired.'],
  used: ['Этот запрос уже закрыт или передан другому поставщику.', 'This request is already closed or was passed to another provider.'],
};

export function renderRefusal(reason: string) {
  const [ru, en] = REFUSAL[reason] ?? REFUSAL.tampered!;
  return page(
    'Ссылка недействительна',
    `<h1>Ссылка недействительна <span class="en">/ Link not valid</span></h1>` +
      `<p class="msg warn" data-reason="${esc(reason)}">${esc(ru)}<br><span class="en">${esc(en)}</span></p>` +
      '<p>Если нужна помощь, позвоните дежурному координатору. <span class="en">/ Call the duty coordinator if you need help.</span></p>',
  );
}

export function renderDone(state: string) {
  const [ru, en] = STATE[state] ?? ['Готово', 'Done'];
  return page('Готово', `<h1>${esc(ru)}</h1><p class="msg" role="status" data-state="${esc(state)}">${esc(ru)} <span class="en">/ ${esc(en)}</span></p>`);
}
