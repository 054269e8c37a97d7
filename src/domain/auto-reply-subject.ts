// Out-of-office and other automatic replies that carry no header saying so, only a
// tell-tale subject (older Exchange, many web mail vacation responders, mail servers'
// non-delivery reports). The prefixes are what Outlook/Exchange, Gmail, Apple Mail and
// common mail servers write in each language; lower case, NFC.
import { forParsing } from "./untrusted";

const PREFIXES: readonly string[] = [
  // English
  "auto reply",
  "auto-reply",
  "autoreply",
  "autoresponse",
  "auto response",
  "auto-response",
  "automatic reply",
  "automatic response",
  "automated reply",
  "automated response",
  "out of office",
  "out of the office",
  "i am out of the office",
  "away from my desk",
  "away from the desk",
  "away from my office",
  "away from the office",
  "undeliverable",
  "delivery status notification",
  "mail delivery failed",
  // German
  "automatische antwort",
  "autom. antwort",
  "abwesenheitsnotiz",
  "abwesenheitsmeldung",
  "unzustellbar",
  // French
  "réponse automatique",
  "absence du bureau",
  "absent du bureau",
  "message d'absence",
  "non remis",
  // Spanish, Catalan
  "respuesta automática",
  "fuera de la oficina",
  "no se puede entregar",
  "resposta automàtica",
  // Italian
  "risposta automatica",
  "fuori sede",
  "fuori ufficio",
  "non recapitabile",
  // Portuguese
  "resposta automática",
  "fora do escritório",
  "ausente do escritório",
  // Dutch
  "automatisch antwoord",
  "afwezigheidsbericht",
  "niet op kantoor",
  "onbestelbaar",
  // Swedish, Danish, Norwegian, Finnish
  "automatiskt svar",
  "frånvaromeddelande",
  "automatisk svar",
  "autosvar",
  "fraværsmelding",
  "ikke på kontoret",
  "automaattinen vastaus",
  "poissa toimistolta",
  // Polish, Czech, Slovak, Hungarian, Romanian
  "odpowiedź automatyczna",
  "automatyczna odpowiedź",
  "autoodpowiedź",
  "poza biurem",
  "automatická odpověď",
  "automatická odpoveď",
  "mimo kancelář",
  "automatikus válasz",
  "házon kívül",
  "răspuns automat",
  // Turkish, Greek, Russian, Ukrainian
  "otomatik yanıt",
  "otomatik cevap",
  "ofis dışında",
  "αυτόματη απάντηση",
  "автоматический ответ",
  "автоответ",
  "автоматична відповідь",
  // Hebrew, Arabic
  "תשובה אוטומטית",
  "رد تلقائي",
  "الرد التلقائي",
  // Japanese, Chinese, Korean
  "自動応答",
  "自動返信",
  "不在通知",
  "不在のお知らせ",
  "自动回复",
  "自動回覆",
  "자동 회신",
  "자동 응답",
  "부재중",
  // Vietnamese, Indonesian, Thai
  "trả lời tự động",
  "balasan otomatis",
  "ตอบกลับอัตโนมัติ",
];

/** Scripts written without spaces: a prefix in them needs no word boundary after it. */
const NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]$/u;
const WORD_CHARACTER = /^[\p{L}\p{N}]/u;

/**
 * True when a subject starts with a known automatic-reply prefix in any common language
 * ("Automatic reply:", "Automatische Antwort:", "Respuesta automática:", "自動応答:").
 * Only the first 200 characters are read; case and Unicode normalisation do not matter.
 */
export function isAutoReplySubject(subject: string): boolean {
  const text = forParsing(subject).normalize("NFC").toLowerCase().trimStart();
  for (const prefix of PREFIXES) {
    if (!text.startsWith(prefix)) continue;
    // "Out of office" but not "Out of officers": a whole word, unless the script has none.
    if (NO_SPACES.test(prefix) || !WORD_CHARACTER.test(text.slice(prefix.length))) return true;
  }
  return false;
}
