import { describe, expect, it } from "vitest";
import { isAutoReplySubject } from "../../src/domain/auto-reply-subject";

describe("isAutoReplySubject", () => {
  it.each([
    // English
    "Automatic reply: Coffee next week?",
    "Auto Reply: Coffee next week?",
    "Auto-Reply: Coffee next week?",
    "AutoReply",
    "Out of Office: Coffee next week?",
    "Out of office until 16 March",
    "Out of the office",
    "I am out of the office",
    "Away from my desk",
    "Undeliverable: Coffee next week?",
    // German, French, Spanish, Catalan, Italian, Portuguese
    "Automatische Antwort: Coffee next week?",
    "AUTOMATISCHE ANTWORT: Coffee next week?",
    "Abwesenheitsnotiz: Coffee next week?",
    "Réponse automatique : Coffee next week?",
    "Réponse automatique d'absence du bureau : Coffee next week?",
    "Absence du bureau",
    "Respuesta automática: Coffee next week?",
    "Fuera de la oficina: Coffee next week?",
    "Resposta automàtica: Coffee next week?",
    "Risposta automatica: Coffee next week?",
    "Fuori sede",
    "Resposta automática: Coffee next week?",
    "Fora do escritório",
    // Dutch, Swedish, Danish, Norwegian, Finnish
    "Automatisch antwoord: Coffee next week?",
    "Niet op kantoor",
    "Automatiskt svar: Coffee next week?",
    "Automatisk svar: Coffee next week?",
    "Autosvar: Coffee next week?",
    "Automaattinen vastaus: Coffee next week?",
    // Polish, Czech, Slovak, Hungarian, Romanian
    "Odpowiedź automatyczna: Coffee next week?",
    "Automatyczna odpowiedź: Coffee next week?",
    "Poza biurem",
    "Automatická odpověď: Coffee next week?",
    "Automatická odpoveď: Coffee next week?",
    "Automatikus válasz: Coffee next week?",
    "Răspuns automat: Coffee next week?",
    // Turkish, Greek, Russian, Ukrainian, Hebrew, Arabic
    "Otomatik yanıt: Coffee next week?",
    "Αυτόματη απάντηση: Coffee next week?",
    "Автоматический ответ: Coffee next week?",
    "Автоответ: Coffee next week?",
    "Автоматична відповідь: Coffee next week?",
    "תשובה אוטומטית: Coffee next week?",
    "رد تلقائي: Coffee next week?",
    // Japanese, Chinese, Korean, Vietnamese, Indonesian, Thai
    "自動応答: Coffee next week?",
    "自動返信：Coffee next week?",
    "不在通知",
    "自动回复: Coffee next week?",
    "自動回覆: Coffee next week?",
    "자동 회신: Coffee next week?",
    "Trả lời tự động: Coffee next week?",
    "Balasan otomatis: Coffee next week?",
    "ตอบกลับอัตโนมัติ: Coffee next week?",
    // Spacing, and the decomposed form some clients send (a + combining acute accent).
    "   Automatic reply: Coffee next week?",
    "Respuesta automa\u0301tica: Coffee next week?",
  ])("%s is an automatic reply", (subject) => {
    expect(isAutoReplySubject(subject)).toBe(true);
  });

  it.each([
    "Coffee next week?",
    "Re: Coffee next week?",
    "Re: Automatic reply: Coffee next week?",
    "Out of officers to ask, I wrote to you",
    "Automatically generated reports: a question",
    "Autoreplying tools",
    "Respuestas automáticas en Gmail",
    "Fuori sedere",
    "Poza biuremx",
    "Автомобиль",
    "",
    `${"x".repeat(190)} Automatic reply:`,
    // Only the first 200 characters are read.
    `${" ".repeat(200)}Automatic reply: Coffee next week?`,
  ])("%j is not", (subject) => {
    expect(isAutoReplySubject(subject)).toBe(false);
  });

  it("reads a 900 KB subject only up to its first 200 characters", () => {
    expect(isAutoReplySubject(`Automatic reply: ${"a".repeat(900_000)}`)).toBe(true);
    expect(isAutoReplySubject("a".repeat(900_000))).toBe(false);
  });
});
