// A typical outreach as Gmail delivers it to Email Routing: about 5 KB, with the stamps
// and signatures a real message carries, a plain-text part and an HTML part.

const DKIM_B =
  "b=Yq3r0C7pTz1gV8m2Xk6nH0sQ4wE9uJ5aL2dF7hK1pN3rT6vX8zB0cD2eG4iJ6kM8oQ0sU2wY4aC6eG8iK0mO2qS4uW6yA8cE0gI2kM4oQ6sU8wY0aC2eG4iK6mO8qS0uW2yA4cE6gI8kM0oQ2sU4wY6aC8eG0iK2mO4qS6uW8yA0cE2gI4kM6oQ8sU0wY2aC4eG6iK8mO0qS2uW4yA6cE8gI0kM2oQ4sU6wY8aC0eG2iK4mO6qS8uW0yA2cE4gI6kM8oQ0sU2w==";

/** A 5 KB outreach from owner@example.com to Jane, with the given Message-ID. */
export function outreach5k(messageId: string, date = "Tue, 03 Mar 2026 09:14:00 +0000"): string {
  const headers = [
    "Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41])",
    "        by mx.cloudflare.net (Postfix) with ESMTPS id 4bRk2x0Qz1z9vFq",
    "        for <follow@sprout.test>; Tue, 03 Mar 2026 09:14:02 +0000 (UTC)",
    "ARC-Authentication-Results: i=1; mx.cloudflare.net; dkim=pass header.d=example.com header.s=google header.b=Yq3r0C7p; dmarc=pass header.from=example.com policy.dmarc=none; spf=pass (mx.cloudflare.net: domain of owner@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=owner@example.com",
    "ARC-Seal: i=1; a=rsa-sha256; s=2026; d=cloudflare.net; cv=none; t=1772529242;",
    `        ${DKIM_B}`,
    "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=cloudflare.net; s=2026;",
    "        h=From:To:Subject:Date:Message-ID:MIME-Version:Content-Type; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;",
    `        ${DKIM_B}`,
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=google; t=1772529240;",
    "        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to;",
    "        bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;",
    `        ${DKIM_B}`,
    "X-Google-Smtp-Source: AGHT+IFk2m6sQ1w9bX0pR3tY5uV7nZ8cD4eF6gH2jK1lM3nB5vC7xZ9aS0dF2gH4jK6lM8nB0vC==",
    "X-Received: by 2002:a05:6a00:1a8b:b0:6ec:f5a2:3b1f with SMTP id k11-20020a056a001a8b; Tue, 03 Mar 2026 01:14:01 -0800 (PST)",
    "Received: by mail-sor-f41.google.com with SMTP id 5b1f17b1804b1-4393e8738b3so21554565e9.2",
    "        for <follow@sprout.test>; Tue, 03 Mar 2026 01:14:01 -0800 (PST)",
    "X-Gm-Message-State: AOJu0YzQ8b3rT5vX7zB9cD1eF3gH5jK7lM9nB1vC3xZ5aS7dF9gH1jK3lM5nB7vC9xZ1aS3dF5gH7jK9lM1nB3vC5x",
    "X-Gm-Gg: ASbGnctY2m4o6q8s0u2w4y6a8c0e2g4i6k8m0o2q4s6u8w0y2a4c6e8g0i2k4m6o8q0s2u4w6y8a0c2e4g6i8k0m2o4q6s8u0w2y4a6c8e0g2i4k6m8o0",
    "References: <CAF2x7Yq1earlier-thread@mail.gmail.com>",
    "MIME-Version: 1.0",
    "From: Olivia Owner <owner@example.com>",
    `Date: ${date}`,
    `Message-ID: <${messageId}>`,
    "Subject: Coffee next week? Loved your talk on platform teams",
    "To: Jane Doe <jane@example.org>",
    "Cc: Sam Lee <sam@example.org>",
    'Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60718"',
  ].join("\r\n");
  const text = [
    "Hi Jane,",
    "",
    "I really enjoyed your talk on platform teams at the Example Growth Summit last",
    "week, especially the part about paved roads and how you measured adoption with",
    "internal NPS rather than mandates. It matched what we are seeing at Example Co.",
    "",
    "I lead the developer experience group here and we are about to make the same",
    "call on golden paths versus a service catalogue. Would you have 20 minutes for",
    "a coffee or a video call next week? Tuesday or Thursday afternoon would suit me,",
    "but I am happy to fit around you.",
    "",
    "Sam (copied) works with me and may join if that is all right.",
    "",
    "Thanks a lot, and congratulations on the launch.",
    "",
    "Best,",
    "Olivia",
    "",
    "--",
    "Olivia Owner | Developer Experience | Example Co",
    "+1 555 0100 | example.com",
  ].join("\r\n");
  const html = `<div dir="ltr"><div>Hi Jane,</div><div><br></div><div>I really enjoyed your talk on platform teams at the Example Growth Summit last week, especially the part about paved roads and how you measured adoption with internal NPS rather than mandates. It matched what we are seeing at Example Co.</div><div><br></div><div>I lead the developer experience group here and we are about to make the same call on golden paths versus a service catalogue. Would you have 20 minutes for a coffee or a video call next week? Tuesday or Thursday afternoon would suit me, but I am happy to fit around you.</div><div><br></div><div>Sam (copied) works with me and may join if that is all right.</div><div><br></div><div>Thanks a lot, and congratulations on the launch.</div><div><br></div><div>Best,</div><div>Olivia</div><div><br></div>-- <br><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr"><div><b>Olivia Owner</b> | Developer Experience | Example Co</div><div>+1 555 0100 | <a href="https://example.com">example.com</a></div></div></div></div>`;
  return `${headers}\r\n\r\n--000000000000a1b2c3d4e5f60718\r\nContent-Type: text/plain; charset="UTF-8"\r\n\r\n${text}\r\n\r\n--000000000000a1b2c3d4e5f60718\r\nContent-Type: text/html; charset="UTF-8"\r\n\r\n${html}\r\n\r\n--000000000000a1b2c3d4e5f60718--\r\n`;
}

/** A ForwardableEmailMessage-shaped object around raw bytes, as Email Routing hands it over. */
export function emailMessage(raw: string, from: string, to: string): ForwardableEmailMessage {
  const bytes = new TextEncoder().encode(raw);
  return {
    from,
    to,
    headers: new Headers(),
    raw: new Blob([bytes]).stream(),
    rawSize: bytes.byteLength,
    canBeForwarded: true,
    setReject(reason: string) {
      throw new Error(`rejected: ${reason}`);
    },
    async forward() {
      return { messageId: "forwarded" };
    },
    async reply() {
      throw new Error("Sprout must not use message.reply");
    },
  } as unknown as ForwardableEmailMessage;
}
