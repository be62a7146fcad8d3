import { describe, expect, test } from "vitest";
import { z } from "zod";
import { EnvError, parseEnv } from "~/lib/env.server";
import { formDataToObject, parseForm } from "~/lib/forms";
import { crossSiteProblem, securityHeaders } from "~/lib/http-security.server";
import { commonPasswords, passwordProblem } from "~/lib/password.server";
import { passwordLength, passwordSchema } from "~/lib/password-policy";
import { currentStep, matchTotp, totpCodeAt } from "~/lib/totp.server";
import { emailField, idField, multiLine, singleLine, urlSearchText } from "~/lib/validation";

const SITE = "https://exchange.example.org";

function post(headers: Record<string, string>, method = "POST") {
  return crossSiteProblem(method, new Headers(headers), [SITE]);
}

describe("cross-site request refusal", () => {
  test("a same-origin form post from the portal itself is let through", () => {
    expect(post({ "Sec-Fetch-Site": "same-origin", Origin: SITE })).toBeNull();
    // Typed into the address bar or opened from a bookmark.
    expect(post({ "Sec-Fetch-Site": "none" })).toBeNull();
  });

  test("a post that the browser marks as coming from another site is refused", () => {
    expect(post({ "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" })).toMatch(
      /cross-site/,
    );
    // A sibling subdomain is still not this origin.
    expect(post({ "Sec-Fetch-Site": "same-site" })).toMatch(/same-site/);
    // Even when the attacker's page makes the Origin header look right, Sec-Fetch-Site decides.
    expect(post({ "Sec-Fetch-Site": "cross-site", Origin: SITE })).not.toBeNull();
  });

  test("a post from a foreign Origin is refused when Sec-Fetch-Site is missing (older browsers)", () => {
    expect(post({ Origin: "https://evil.example" })).toMatch(/evil\.example/);
    expect(post({ Origin: "http://exchange.example.org" })).not.toBeNull(); // scheme matters
    expect(post({ Origin: "null" })).not.toBeNull(); // sandboxed iframe or data: URL
    expect(post({ Origin: SITE })).toBeNull();
  });

  test("every mutating method is checked, whatever its case", () => {
    for (const method of ["POST", "post", "PUT", "PATCH", "DELETE"]) {
      expect(post({ "Sec-Fetch-Site": "cross-site" }, method)).not.toBeNull();
    }
  });

  test("safe methods are always let through, so links from other sites still work", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "get"]) {
      expect(post({ "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" }, method)).toBe(
        null,
      );
    }
  });

  test("a request with neither header (a non-browser client, which has no victim's cookies) is let through", () => {
    expect(post({})).toBeNull();
  });
});

describe("security headers", () => {
  function directives(csp: string) {
    return new Map(
      csp.split(";").map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values];
      }),
    );
  }

  test("scripts run only from this origin or with this response's nonce; no inline or eval", () => {
    const headers = securityHeaders("r4nd0mN0nce");
    const csp = directives(headers["Content-Security-Policy"]!);
    const scripts = csp.get("script-src");
    expect(scripts).toContain("'nonce-r4nd0mN0nce'");
    expect(scripts).toContain("'self'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(scripts).not.toContain("*");
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    // Production styles come from a file too.
    expect(csp.get("style-src")).not.toContain("'unsafe-inline'");
  });

  test("each response gets its own nonce", () => {
    const a = securityHeaders("nonceA")["Content-Security-Policy"]!;
    const b = securityHeaders("nonceB")["Content-Security-Policy"]!;
    expect(a).toContain("'nonce-nonceA'");
    expect(a).not.toContain("nonceB");
    expect(b).toContain("'nonce-nonceB'");
  });

  test("the portal cannot be framed (clickjacking), sniffed, or leak link secrets in Referer", () => {
    const headers = securityHeaders("n");
    expect(directives(headers["Content-Security-Policy"]!).get("frame-ancestors")).toEqual([
      "'none'",
    ]);
    expect(headers["X-Frame-Options"]).toBe("DENY");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("same-origin");
  });

  test("HSTS is sent only when asked for (behind HTTPS), and then for two years with subdomains", () => {
    expect(securityHeaders("n")).not.toHaveProperty("Strict-Transport-Security");
    expect(securityHeaders("n", { hsts: true })["Strict-Transport-Security"]).toMatch(
      /^max-age=(\d+); includeSubDomains$/,
    );
    const maxAge = Number(
      /max-age=(\d+)/.exec(securityHeaders("n", { hsts: true })["Strict-Transport-Security"]!)![1],
    );
    expect(maxAge).toBeGreaterThanOrEqual(31_536_000);
  });

  test("even in development, scripts still need the nonce", () => {
    const csp = directives(securityHeaders("devnonce", { dev: true })["Content-Security-Policy"]!);
    expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
    expect(csp.get("script-src")).toContain("'nonce-devnonce'");
  });
});

describe("environment configuration", () => {
  function failure(raw: Record<string, string>) {
    try {
      parseEnv(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      return (error as Error).message;
    }
    throw new Error("expected parseEnv to refuse the configuration");
  }

  test("names every bad variable, one line each, with what is wrong", () => {
    const message = failure({ PORT: "abc", DATABASE_URL: "mysql://x", HOST: "fine" });
    const lines = message.split("\n");
    expect(lines[0]).toMatch(/Invalid environment configuration/);
    const problems = lines.slice(1);
    expect(problems).toHaveLength(2);
    expect(problems.filter((l) => /^\s*PORT: /.test(l))).toHaveLength(1);
    expect(problems.find((l) => /^\s*DATABASE_URL: /.test(l))).toMatch(/postgresql:\/\//);
    expect(message).not.toMatch(/HOST/);
  });

  test("out-of-range and malformed values are refused, not silently clamped", () => {
    expect(failure({ PORT: "70000" })).toMatch(/PORT/);
    expect(failure({ SESSION_IDLE_MINUTES: "0" })).toMatch(/SESSION_IDLE_MINUTES/);
    expect(failure({ SECURE_COOKIES: "yes" })).toMatch(/SECURE_COOKIES: must be "true" or "false"/);
    expect(failure({ APP_URL: "localhost:3000" })).toMatch(/APP_URL: must be an absolute URL/);
    expect(failure({ SMTP_URL: "http://mail" })).toMatch(/SMTP_URL/);
  });

  test("an empty environment gets safe defaults", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      APP_URL: "http://localhost:3000",
      SESSION_IDLE_MINUTES: 30,
      SESSION_ABSOLUTE_HOURS: 12,
      SECURE_COOKIES: false,
      TRUST_PROXY: false,
      SIGNIN_MAX_FAILURES_ACCOUNT: 5,
      SIGNIN_MAX_FAILURES_IP: 30,
      RESET_TOKEN_MINUTES: 60,
      INVITATION_TOKEN_DAYS: 7,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  test("empty strings count as unset, and production turns secure cookies on by default", () => {
    expect(parseEnv({ PORT: "", DATABASE_URL: "" }).PORT).toBe(3000);
    expect(parseEnv({ PORT: "8080" }).APP_URL).toBe("http://localhost:8080");
    expect(parseEnv({ NODE_ENV: "production" }).SECURE_COOKIES).toBe(true);
    expect(parseEnv({ NODE_ENV: "production", SECURE_COOKIES: "false" }).SECURE_COOKIES).toBe(
      false,
    );
    expect(parseEnv({ DATABASE_URL: "postgres://u@h/db" }).DATABASE_URL).toBe("postgres://u@h/db");
  });
});

describe("password policy", () => {
  // Unrelated words, so that no prefix is a listed password or a repeated character.
  const phrase =
    "quince kestrel tram keyboard lantern orbit meadow pickle saxophone ember glacier tundra ";
  const long = (n: number) => phrase.repeat(Math.ceil(n / phrase.length)).slice(0, n);
  const noMfa = { mfaEnabled: false };
  const mfa = { mfaEnabled: true };

  test("without MFA, 14 characters are refused with the rule, 15 are accepted", () => {
    expect(passwordProblem(long(14), noMfa)).toBe("Use at least 15 characters.");
    expect(passwordProblem(long(15), noMfa)).toBeNull();
  });

  test("with MFA, 8 characters are enough and 7 are not", () => {
    // Random characters: eight words' worth of letters would fail the strength estimate instead.
    const random = "k7#Vq2!m";
    expect(passwordProblem(random, mfa)).toBeNull();
    expect(passwordProblem(random.slice(0, 7), mfa)).toBe("Use at least 8 characters.");
    // The MFA allowance does not apply to an account without MFA.
    expect(passwordProblem(random, noMfa)).not.toBeNull();
  });

  test("long passphrases are welcome up to 256 characters; 257 is refused", () => {
    expect(passwordProblem(long(64), noMfa)).toBeNull();
    expect(passwordProblem(long(65), noMfa)).toBeNull();
    expect(passwordProblem(long(256), noMfa)).toBeNull();
    expect(passwordProblem(long(257), noMfa)).toBe("Use at most 256 characters.");
    expect(passwordSchema().safeParse(long(256)).success).toBe(true);
  });

  test("no composition rules: all lowercase letters and spaces are fine", () => {
    expect(passwordProblem("correct ostrich battery stapled", noMfa)).toBeNull();
  });

  test("any Unicode is allowed and counted by code points, not UTF-16 units", () => {
    const emoji = [..."🦊🐙🦉🐢🦄🐝🐬🦋🐸🐧🦀🐌🦔🐿🦒"];
    expect(emoji).toHaveLength(15);
    const fifteen = emoji.join("");
    const fourteen = emoji.slice(0, 14).join("");
    expect(fourteen.length).toBe(28); // would pass a naive .length check
    expect(passwordLength(fourteen)).toBe(14);
    expect(passwordProblem(fourteen, noMfa)).toBe("Use at least 15 characters.");
    expect(passwordProblem(fifteen, noMfa)).toBeNull();
    // The client-side schema counts the same way.
    expect(passwordSchema().safeParse(fourteen).success).toBe(false);
    expect(passwordSchema().safeParse(fifteen).success).toBe(true);

    const cjk = [..."人工知能安全研究所の職員交流計画"].slice(0, 15).join("");
    expect(passwordProblem(cjk, noMfa)).toBeNull();
    expect(passwordProblem("пароль для обмена", noMfa)).toBeNull();
    // A decomposed accent is one character as a person counts it.
    expect(passwordLength("e\u0301")).toBe(1);
  });

  test("the shipped list of common and breached passwords is large", () => {
    expect(commonPasswords().size).toBeGreaterThanOrEqual(10_000);
  });

  test("a common password long enough to pass the length rule is refused, saying why", () => {
    const listed = [...commonPasswords()].find(
      (p) => passwordLength(p) >= 15 && passwordLength(p) <= 64 && !/^(.)\1*$/u.test(p),
    );
    expect(listed).toBeDefined();
    expect(passwordProblem(listed!, noMfa)).toMatch(/common or breached/);
    // Changing case does not get it through.
    expect(passwordProblem(listed!.toUpperCase(), noMfa)).toMatch(/common or breached/);
  });

  test("a single repeated character and the user's own email or name are refused", () => {
    expect(passwordProblem("a".repeat(20), noMfa)).toMatch(/repeated character/);
    expect(
      passwordProblem("ada.lovelace.longname@example.org", {
        mfaEnabled: false,
        email: "Ada.Lovelace.Longname@example.org",
      }),
    ).toMatch(/email address/);
    expect(
      passwordProblem("Augusta Ada King Lovelace", {
        mfaEnabled: false,
        displayName: "augusta ada king lovelace",
      }),
    ).toMatch(/your name/);
  });
});

describe("password strength (docs/decisions/015-password-strength.md)", () => {
  const person = {
    mfaEnabled: false,
    displayName: "Alice Smith",
    email: "alice.smith@usaisi.example",
    instituteName: "US AI Safety Institute",
    instituteCode: "US-AISI",
  };

  test.each(["password123456789", "123456789012345", "qwertyuiopasdfgh"])(
    "%s is long enough but predictable, and refused with the reason",
    (password) => {
      expect(passwordProblem(password, person)).toMatch(
        /^This password is too easy to guess\. .+ A few unrelated words/,
      );
    },
  );

  test("fifteen repeated characters are refused", () => {
    expect(passwordProblem("aaaaaaaaaaaaaaa", person)).toMatch(/repeated character/);
    expect(passwordProblem("abcabcabcabcabcabc", person)).toMatch(/too easy to guess/);
  });

  test.each(["alicesmith12345", "AliceSmith2026!!", "smithalice123456", "USAISafetyInstitute2026"])(
    "%s, the person's or institute's name with digits, is refused as theirs",
    (password) => {
      expect(passwordProblem(password, person)).toMatch(/your name, email address or institute/);
    },
  );

  test("the reason names the person's own words only when they are theirs", () => {
    const other = {
      mfaEnabled: false,
      displayName: "Bob Jones",
      email: "bob@ukaisi.example",
      instituteName: "UK AI Safety Institute",
    };
    expect(passwordProblem("alicesmith12345", other)).not.toMatch(/your name/);
    expect(passwordProblem("alicesmith12345", person)).toMatch(/your name/);
  });

  test("unrelated words pass; a second factor lowers the bar to score 2", () => {
    expect(passwordProblem("violet lantern orbit", person)).toBeNull();
    expect(passwordProblem("sunflower-quietly-85", person)).toBeNull();
    expect(passwordProblem("exchangeportal2026", person)).toMatch(/too easy to guess/);
    expect(passwordProblem("exchangeportal2026", { ...person, mfaEnabled: true })).toBeNull();
  });
});

describe("TOTP", () => {
  // RFC 6238 appendix B secret (SHA-1); its 8-digit vectors truncated to our 6 digits.
  const key = new TextEncoder().encode("12345678901234567890");
  const at = (seconds: number) => seconds * 1000;

  test("codes match the RFC 6238 test vectors, so any authenticator app agrees", () => {
    expect(totpCodeAt(key, at(59))).toBe("287082");
    expect(totpCodeAt(key, at(1111111109))).toBe("081804");
    expect(totpCodeAt(key, at(1234567890))).toBe("005924");
  });

  test("the current code and one step either side are accepted, with the step they belong to", () => {
    const now = at(1111111109);
    const step = currentStep(now);
    expect(matchTotp(key, "081804", now)).toBe(step);
    expect(matchTotp(key, totpCodeAt(key, now - 30_000), now)).toBe(step - 1);
    expect(matchTotp(key, totpCodeAt(key, now + 30_000), now)).toBe(step + 1);
  });

  test("codes two or more steps away, wrong codes and malformed input are refused", () => {
    const now = at(1111111109);
    for (const offset of [-90_000, -60_000, 60_000, 90_000]) {
      expect(matchTotp(key, totpCodeAt(key, now + offset), now)).toBeNull();
    }
    const wrong = String((Number("081804") + 1) % 1_000_000).padStart(6, "0");
    expect(matchTotp(key, wrong, now)).toBeNull();
    for (const bad of ["", "08180", "0818045", "08180a", " 081804", "081 804"]) {
      expect(matchTotp(key, bad, now)).toBeNull();
    }
    // Another user's key does not accept this user's code.
    expect(matchTotp(new TextEncoder().encode("another secret key!!"), "081804", now)).toBeNull();
  });
});

describe("text field validation", () => {
  const name = singleLine("a name", 10);

  test("trims surrounding whitespace and counts the limit after trimming", () => {
    expect(name.parse("  Ada  ")).toBe("Ada");
    expect(name.parse("  Ada Byron  ".padEnd(20, " "))).toBe("Ada Byron");
    expect(name.safeParse("   ").success).toBe(false); // required
  });

  test("refuses control characters, line breaks and U+FFFD", () => {
    for (const bad of [
      "Ada\u0000",
      "A\u0007da",
      "Ada\u001B[31m",
      "Ada\u007F",
      "Ada\u009B",
      "A\nB",
    ]) {
      const result = name.safeParse(bad);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error!.issues[0]!.message).toBe(
        "A name contains characters that are not allowed",
      );
    }
  });

  test("refuses input that was not valid UTF-8 (decoded to U+FFFD)", () => {
    const decoded = new TextDecoder().decode(new Uint8Array([0x41, 0x64, 0xff, 0x61]));
    expect(decoded).toBe("Ad\uFFFDa");
    expect(name.safeParse(decoded).success).toBe(false);
    expect(emailField.safeParse(`a\uFFFD@example.org`).success).toBe(false);
  });

  test("drops bidirectional overrides and isolates, which would show a name reversed", () => {
    // "invoice\u202Egpj.exe" displays as "invoiceexe.jpg".
    expect(singleLine("a file title", 100).parse("invoice\u202Egpj.exe")).toBe("invoicegpj.exe");
    expect(name.parse("\u2066Ada\u2069\u202A\u202B\u202C\u202D\u2067\u2068")).toBe("Ada");
    expect(multiLine("a note", 100).parse("one\u202E\ntwo\u2069")).toBe("one\ntwo");
    expect(urlSearchText.parse("gpj.exe\u202E")).toBe("gpj.exe");
    // Right-to-left writing keeps its marks and letters.
    expect(name.parse("\u200Fשלום\u200E")).toBe("\u200Fשלום\u200E");
    // An address with one is a different address: refused, not silently changed.
    expect(emailField.safeParse("ada\u202E@example.org").success).toBe(false);
  });

  test("refuses overlong values and accepts exactly the limit", () => {
    expect(name.parse("x".repeat(10))).toBe("x".repeat(10));
    const result = name.safeParse("x".repeat(11));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toBe("A name must be 10 characters or fewer");
    expect(emailField.safeParse(`${"a".repeat(250)}@x.io`).success).toBe(false);
  });

  test("multi-line text keeps line breaks but not other control characters", () => {
    const note = multiLine("a note", 100);
    expect(note.parse("  line one\r\nline two  ")).toBe("line one\nline two");
    expect(note.safeParse("line\u0000two").success).toBe(false);
    expect(note.safeParse("bad\uFFFD").success).toBe(false);
    expect(note.safeParse("x".repeat(101)).success).toBe(false);
  });

  test("email addresses are trimmed and lowercased; malformed ones refused", () => {
    expect(emailField.parse("  Ada@Example.ORG ")).toBe("ada@example.org");
    for (const bad of ["ada", "ada@example", "a b@example.org", "ada@exa\u0000mple.org"]) {
      expect(emailField.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  test("ids from select fields cannot carry anything but id characters", () => {
    expect(idField.parse(" clx0abc_12-Z ")).toBe("clx0abc_12-Z");
    for (const bad of ["a'b", "a b", "../x", "x".repeat(65)]) {
      expect(idField.safeParse(bad).success).toBe(false);
    }
  });
});

describe("form parsing", () => {
  test("a duplicated field yields its first value, so a second one cannot be smuggled in", () => {
    const form = new FormData();
    form.append("email", "ada@example.org");
    form.append("email", "mallory@evil.example");
    form.append("roles", "STAFF");
    form.append("roles", "ADMIN");
    expect(formDataToObject(form)).toEqual({ email: "ada@example.org", roles: "STAFF" });

    const schema = z.object({ email: emailField });
    const parsed = parseForm(form, schema);
    expect(parsed).toEqual({ success: true, data: { email: "ada@example.org" } });
  });

  test("fields declared as arrays keep every value, and are empty arrays when absent", () => {
    const form = new FormData();
    form.append("roles", "STAFF");
    form.append("roles", "HR");
    expect(formDataToObject(form, ["roles", "labels"])).toEqual({
      roles: ["STAFF", "HR"],
      labels: [],
    });
  });

  test("uploaded files are not mistaken for text values", () => {
    const form = new FormData();
    form.append("displayName", new Blob(["<script>"]), "evil.txt");
    form.append("displayName", "Ada");
    form.append("cv", new Blob(["%PDF"]), "cv.pdf");
    expect(formDataToObject(form)).toEqual({ displayName: "Ada" });
  });

  test("field errors are keyed by field, with form-wide errors under the empty key", () => {
    const schema = z.object({ name: singleLine("a name", 5) });
    const form = new FormData();
    form.append("name", "too long a name");
    expect(parseForm(form, schema)).toEqual({
      success: false,
      errors: { name: ["A name must be 5 characters or fewer"] },
    });

    const whole = schema.refine(() => false, { message: "Something about the whole form" });
    const ok = new FormData();
    ok.append("name", "Ada");
    expect(parseForm(ok, whole)).toEqual({
      success: false,
      errors: { "": ["Something about the whole form"] },
    });
  });
});
