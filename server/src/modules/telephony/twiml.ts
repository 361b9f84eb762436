// The TwiML the caller hears, in the line's language (ru-RU or en-US).
import twilio from 'twilio';

type Lang = 'ru-RU' | 'en-US';
/** The Twilio-native queue the fallback path parks callers in when a line has no duty number. */
export const FALLBACK_QUEUE = 'trustline-fallback';
const TEXT = {
  'ru-RU': {
    confidential: 'Вы позвонили на телефон доверия. Разговор конфиденциален.',
    danger: 'Если вам или ребёнку сейчас угрожает опасность, нажмите 1.',
    hold: 'Пожалуйста, оставайтесь на линии. Консультант скоро ответит.',
    busy:
      'Все консультанты сейчас заняты. Чтобы оставить голосовое сообщение, нажмите 1. ' +
      'Чтобы мы вам перезвонили, нажмите 2. Чтобы продолжить ждать, нажмите 3.',
    afterTone: 'Оставьте сообщение после сигнала.',
    callbackNoted: 'Спасибо. Мы перезвоним вам как можно скорее.',
    voicemailNoted: 'Спасибо, ваше сообщение записано. Мы свяжемся с вами.',
    fallback: 'Соединяем с дежурным консультантом.',
    goodbye: 'До свидания.',
  },
  'en-US': {
    confidential: 'You have reached the trust line. This call is confidential.',
    danger: 'If you or a child are in danger now, press 1.',
    hold: 'Please stay on the line. A counsellor will answer soon.',
    busy: 'All counsellors are busy. To leave a voice message, press 1. To be called back, press 2. To keep waiting, press 3.',
    afterTone: 'Please leave a message after the tone.',
    callbackNoted: 'Thank you. We will call you back as soon as we can.',
    voicemailNoted: 'Thank you, your message is recorded. We will contact you.',
    fallback: 'Connecting you to the counsellor on duty.',
    goodbye: 'Goodbye.',
  },
} as const;

const lang = (l: string | null | undefined): Lang => (l === 'en-US' ? 'en-US' : 'ru-RU');

export function twimlBuilder(publicUrl: string, holdMusicUrl: string) {
  const url = (path: string) => publicUrl + path;
  return {
    greeting(line: { language?: string | null; greeting?: string | null } | null) {
      const l = lang(line?.language);
      const r = new twilio.twiml.VoiceResponse();
      const g = r.gather({ input: ['dtmf'], numDigits: 1, timeout: 5, action: url('/twilio/voice/ivr'), method: 'POST' });
      if (line?.greeting) g.say({ language: l }, line.greeting);
      g.say({ language: l }, TEXT[l].confidential);
      g.say({ language: l }, TEXT[l].danger);
      r.redirect({ method: 'POST' }, url('/twilio/voice/ivr'));
      return r.toString();
    },
    /** The caller waits alone in the call's own conference, hearing music, until an operator joins. */
    queue(line: { language?: string | null } | null, conferenceName: string, sayHold = true) {
      const l = lang(line?.language);
      const r = new twilio.twiml.VoiceResponse();
      if (sayHold) r.say({ language: l }, TEXT[l].hold);
      const d = r.dial({ action: url('/twilio/voice/after-dial'), method: 'POST' });
      d.conference(
        {
          waitUrl: holdMusicUrl,
          waitMethod: 'GET',
          startConferenceOnEnter: false,
          endConferenceOnExit: true,
          beep: 'false',
          participantLabel: 'caller',
          statusCallback: url('/twilio/voice/conference'),
          statusCallbackMethod: 'POST',
          statusCallbackEvent: ['start', 'end', 'join', 'leave', 'hold'],
        },
        conferenceName,
      );
      return r.toString();
    },
    noOneFree(line: { language?: string | null } | null) {
      const l = lang(line?.language);
      const r = new twilio.twiml.VoiceResponse();
      const g = r.gather({ input: ['dtmf'], numDigits: 1, timeout: 8, action: url('/twilio/voice/no-answer/choice'), method: 'POST' });
      g.say({ language: l }, TEXT[l].busy);
      r.redirect({ method: 'POST' }, url('/twilio/voice/no-answer/choice?Digits=3'));
      return r.toString();
    },
    record(line: { language?: string | null } | null) {
      const l = lang(line?.language);
      const r = new twilio.twiml.VoiceResponse();
      r.say({ language: l }, TEXT[l].afterTone);
      r.record({ maxLength: 180, playBeep: true, action: url('/twilio/voice/voicemail'), method: 'POST', finishOnKey: '#' });
      return r.toString();
    },
    sayAndHangup(line: { language?: string | null } | null, what: 'callbackNoted' | 'voicemailNoted' | 'goodbye') {
      const l = lang(line?.language);
      const r = new twilio.twiml.VoiceResponse();
      r.say({ language: l }, TEXT[l][what]);
      r.hangup();
      return r.toString();
    },
    hangup() {
      const r = new twilio.twiml.VoiceResponse();
      r.hangup();
      return r.toString();
    },
    /** Stores down: reach a person anyway, through the duty number or Twilio's own queue. */
    fallback(line: { language?: string | null; fallbackNumber?: string | null } | null) {
      const l = lang(line?.language);
      const r = new twilio.twiml.VoiceResponse();
      r.say({ language: l }, TEXT[l].fallback);
      if (line?.fallbackNumber) {
        r.dial({ timeout: 60 }, line.fallbackNumber);
      } else {
        r.enqueue({ waitUrl: holdMusicUrl, waitUrlMethod: 'GET' }, FALLBACK_QUEUE);
      }
      return r.toString();
    },
    /** A call-back: the person hears who calls, then the operator's browser is bridged. */
    callbackBridge(language: string | null | undefined, clientIdentity: string) {
      const l = lang(language);
      const r = new twilio.twiml.VoiceResponse();
      r.say({ language: l }, l === 'ru-RU' ? 'Вам перезванивает телефон доверия.' : 'The trust line is calling you back.');
      r.dial().client(clientIdentity);
      return r.toString();
    },
    empty() {
      return new twilio.twiml.VoiceResponse().toString();
    },
    emptyMessaging() {
      return new twilio.twiml.MessagingResponse().toString();
    },
  };
}
export type Twiml = ReturnType<typeof twimlBuilder>;
