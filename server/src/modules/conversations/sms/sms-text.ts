// SMS text rules: how many segments a body takes (GSM-7 vs UCS-2), and Twilio's opt-out and
// opt-in keywords.

// The segment rules live in shared/ so the console shows the same count as we store.
import { segmentInfo, type SegmentInfo } from '@trustline/shared';

export { segmentInfo, type SegmentInfo };

/** Twilio's default opt-out keywords for long codes, plus the Russian СТОП for this line's callers. */
export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'СТОП'] as const;
/** Twilio's default opt-in keywords. */
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'] as const;

/** Twilio matches the whole message, trimmed and case-insensitive. */
export function keywordOf(body: string): { kind: 'opt-out' | 'opt-in'; keyword: string } | null {
  const word = body
    .trim()
    .replace(/[.!]+$/, '')
    .toUpperCase();
  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) return { kind: 'opt-out', keyword: word };
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return { kind: 'opt-in', keyword: word };
  return null;
}

/** Twilio's error for a message to a number that has opted out. */
export const TWILIO_OPTED_OUT_ERROR = 21610;
