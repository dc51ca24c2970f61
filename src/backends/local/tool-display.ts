/**
 * Display blocks for the local backend's tools (protocol v1 `display`), in the six languages the
 * widget ships. The widget sends its language as `Accept-Language`; a browser without the widget
 * sends its own, which is as good a guess.
 */
import type { DisplayBlock } from '../../protocol/types.js';

export type DisplayLanguage = 'en' | 'fr' | 'de' | 'es' | 'ja' | 'ar';

interface ToolTexts {
  lookup: string;
  lookedUp: string;
  orderNumber: string;
  openTicket: string;
  openedTicket: string;
  subject: string;
  summary: string;
  ticket: string;
  ticketReason: string;
}

const TEXTS: Record<DisplayLanguage, ToolTexts> = {
  en: {
    lookup: 'Looking up order {id}',
    lookedUp: 'Looked up order {id}',
    orderNumber: 'Order number',
    openTicket: 'Open a support ticket',
    openedTicket: 'Opened a support ticket',
    subject: 'Subject',
    summary: 'Summary',
    ticket: 'Ticket',
    ticketReason: 'Opening a ticket sends this conversation to the support team, who will reply by email.',
  },
  fr: {
    lookup: 'Recherche de la commande {id}',
    lookedUp: 'Commande {id} consultée',
    orderNumber: 'Numéro de commande',
    openTicket: 'Ouvrir un ticket d’assistance',
    openedTicket: 'Ticket d’assistance ouvert',
    subject: 'Objet',
    summary: 'Résumé',
    ticket: 'Ticket',
    ticketReason: 'Ouvrir un ticket envoie cette conversation à l’équipe d’assistance, qui répondra par e-mail.',
  },
  de: {
    lookup: 'Bestellung {id} wird gesucht',
    lookedUp: 'Bestellung {id} nachgeschlagen',
    orderNumber: 'Bestellnummer',
    openTicket: 'Support-Ticket eröffnen',
    openedTicket: 'Support-Ticket eröffnet',
    subject: 'Betreff',
    summary: 'Zusammenfassung',
    ticket: 'Ticket',
    ticketReason: 'Mit dem Ticket geht dieses Gespräch an das Support-Team, das per E-Mail antwortet.',
  },
  es: {
    lookup: 'Buscando el pedido {id}',
    lookedUp: 'Pedido {id} consultado',
    orderNumber: 'Número de pedido',
    openTicket: 'Abrir un ticket de soporte',
    openedTicket: 'Ticket de soporte abierto',
    subject: 'Asunto',
    summary: 'Resumen',
    ticket: 'Ticket',
    ticketReason: 'Al abrir un ticket, esta conversación se envía al equipo de soporte, que responderá por correo electrónico.',
  },
  ja: {
    lookup: '注文 {id} を確認しています',
    lookedUp: '注文 {id} を確認しました',
    orderNumber: '注文番号',
    openTicket: 'サポートチケットを作成',
    openedTicket: 'サポートチケットを作成しました',
    subject: '件名',
    summary: '概要',
    ticket: 'チケット',
    ticketReason: 'チケットを作成すると、この会話がサポートチームに送られ、メールで返信が届きます。',
  },
  ar: {
    lookup: 'جارٍ البحث عن الطلب {id}',
    lookedUp: 'تم البحث عن الطلب {id}',
    orderNumber: 'رقم الطلب',
    openTicket: 'فتح تذكرة دعم',
    openedTicket: 'تم فتح تذكرة دعم',
    subject: 'الموضوع',
    summary: 'الملخص',
    ticket: 'التذكرة',
    ticketReason: 'فتح تذكرة يرسل هذه المحادثة إلى فريق الدعم، الذي سيرد عبر البريد الإلكتروني.',
  },
};

/** The first supported language of an `Accept-Language` header, by preference order; English otherwise. */
export function displayLanguage(acceptLanguage: string | null | undefined): DisplayLanguage {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((e) => e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { primary } of ranked) if (Object.hasOwn(TEXTS, primary)) return primary as DisplayLanguage;
  return 'en';
}

/** `<bdi>`-free isolation for ids inside a translated sentence: FSI … PDI keeps "A-1001" whole in Arabic. */
function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

export function lookupOrderDisplay(lang: DisplayLanguage, orderId: string): DisplayBlock {
  const t = TEXTS[lang];
  const id = isolate(orderId);
  return { title: t.lookup.replace('{id}', id), title_done: t.lookedUp.replace('{id}', id), fields: [{ label: t.orderNumber, value: orderId }] };
}

export function openTicketDisplay(lang: DisplayLanguage, args: { subject: string; summary: string }, ticketId?: string): DisplayBlock {
  const t = TEXTS[lang];
  const fields = [
    { label: t.subject, value: args.subject },
    { label: t.summary, value: args.summary },
  ];
  if (ticketId) fields.unshift({ label: t.ticket, value: ticketId });
  return { title: t.openTicket, title_done: t.openedTicket, fields };
}

export function ticketReason(lang: DisplayLanguage): string {
  return TEXTS[lang].ticketReason;
}
