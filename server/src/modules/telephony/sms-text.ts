// SMS text rules: how many segments a body takes (GSM-7 vs UCS-2), and Twilio's opt-out and
// opt-in keywords.

// GSM 03.38 basic character set, and the extension table (each costs two septets).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const basic = new Set([...GSM_BASIC]);
const extended = new Set([...GSM_EXTENDED]);

export interface SegmentInfo {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units left in the last segment. */
  remaining: number;
}

export function segmentInfo(body: string): SegmentInfo {
  let septets = 0;
  let gsm = true;
  for (const ch of body) {
    if (basic.has(ch)) septets += 1;
    else if (extended.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    const segments = septets <= 160 ? 1 : Math.ceil(septets / 153);
    const cap = segments === 1 ? 160 : segments * 153;
    return { encoding: 'GSM-7', units: septets, segments: Math.max(1, segments), remaining: cap - septets };
  }
  // UCS-2 counts UTF-16 code units: an emoji outside the BMP takes two.
  const units = body.length;
  const segments = units <= 70 ? 1 : Math.ceil(units / 67);
  const cap = segments === 1 ? 70 : segments * 67;
  return { encoding: 'UCS-2', units, segments: Math.max(1, segments), remaining: cap - units };
}

/** Twilio's default opt-out keywords for long codes, plus the Russian СТОП for this line's callers. */
export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'СТОП'] as const;
/** Twilio's default opt-in keywords. */
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'] as const;

/** Twilio matches the whole message, trimmed and case-insensitive. */
export function keywordOf(body: string): { kind: 'opt-out' | 'opt-in'; keyword: string } | null {
  const word = body.trim().replace(/[.!]+$/, '').toUpperCase();
  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) return { kind: 'opt-out', keyword: word };
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return { kind: 'opt-in', keyword: word };
  return null;
}

/** Twilio's error for a message to a number that has opted out. */
export const TWILIO_OPTED_OUT_ERROR = 21610;
