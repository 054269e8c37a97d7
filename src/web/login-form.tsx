/** The sign-in form: one email field; Sprout mails a one-time link to it. */
export function LoginForm(props: { email: string; error: string | null }) {
  return (
    <form method="post" action="/login">
      <label for="email">Your email address</label>
      <p class="hint" id="email-hint">
        The address you send your outreach from.
      </p>
      <input
        type="email"
        id="email"
        name="email"
        autocomplete="email"
        required
        value={props.email}
        aria-describedby={props.error === null ? "email-hint" : "email-hint email-error"}
        aria-invalid={props.error === null ? undefined : "true"}
      />
      {props.error === null ? null : (
        <p class="error" id="email-error">
          {props.error}
        </p>
      )}
      <p>
        <button type="submit">Email me a sign-in link</button>
      </p>
    </form>
  );
}
