// A real OpenID provider (oidc-provider) on a free 127.0.0.1 port, for the single sign-on tests.
// Its login page is its own (a form naming the account); consent is granted at once. The tests
// say who the accounts are and what each asserts (email, email_verified, amr).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

export type TestAccount = {
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** Authentication methods the provider says it used (RFC 8176). */
  amr?: string[];
};

export type TestProvider = Awaited<ReturnType<typeof startTestProvider>>;

export const TEST_CLIENT = {
  id: "exchange-portal",
  secret: "a test client secret, not a real one",
};

export async function startTestProvider(appUrl: string) {
  const accounts = new Map<string, TestAccount>();
  const hooks: { afterTokenResponse?: () => void } = {};
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT.id,
        client_secret: TEST_CLIENT.secret,
        redirect_uris: [`${appUrl}/login/sso/callback`],
        post_logout_redirect_uris: [`${appUrl}/login`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "test" }] },
    cookies: { keys: ["cookie key for the test provider"] },
    // amr with every ID token, as Entra ID and Okta send it.
    claims: {
      amr: null,
      openid: ["sub", "amr"],
      email: ["email", "email_verified"],
      profile: ["name"],
    },
    // Claims in the ID token itself, as enterprise providers commonly send them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    ttl: { IdToken: 60, AuthorizationCode: 600, Session: 3600, Interaction: 600, Grant: 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
    },
  });
  const callback = provider.callback();

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === "consent") {
      const grant = new provider.Grant({
        accountId: details.session!.accountId,
        clientId: String(details.params.client_id),
      });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      return provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        {
          mergeWithLastSubmission: true,
        },
      );
    }
    if (req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += String(chunk);
      const login = new URLSearchParams(body).get("login") ?? "";
      const account = accounts.get(login);
      if (account)
        return provider.interactionFinished(
          req,
          res,
          { login: { accountId: login, amr: account.amr ?? ["pwd"] } },
          { mergeWithLastSubmission: false },
        );
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><title>Test provider sign-in</title></head>
<body><main><h1>Test provider</h1><form method="post" action="${req.url}">
<label for="login">Account</label> <input id="login" name="login" autocomplete="username">
<button type="submit">Sign in at the provider</button></form></main></body></html>`);
  }

  server.on("request", (req, res) => {
    if (req.url?.startsWith("/interaction/")) {
      interaction(req, res).catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
      return;
    }
    if (req.url?.startsWith("/token") && hooks.afterTokenResponse) {
      // Runs as the answer is written, before the portal can read it.
      const hook = hooks.afterTokenResponse;
      hooks.afterTokenResponse = undefined;
      const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
      res.end = ((...args: unknown[]) => {
        hook();
        return end(...args);
      }) as typeof res.end;
    }
    void callback(req, res);
  });

  return {
    issuer,
    accounts,
    hooks,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens: a provider that is down. */
export async function closedPortIssuer() {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * What a browser does at the provider: follows redirects with the provider's cookies, signs in as
 * `login` on its page, and stops at the redirect back to the portal, whose URL it returns.
 */
export async function signInAtProvider(authorizationUrl: string, login: string, appUrl: string) {
  const cookies = new Map<string, string>();
  let url = new URL(authorizationUrl);
  let post: string | null = null;
  for (let step = 0; step < 12; step++) {
    const res = await fetch(url, {
      method: post === null ? "GET" : "POST",
      redirect: "manual",
      headers: {
        Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(post === null ? {} : { "Content-Type": "application/x-www-form-urlencoded" }),
      },
      ...(post === null ? {} : { body: post }),
    });
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const eq = pair!.indexOf("=");
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get("Location");
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.href.startsWith(`${appUrl}/`)) return next;
      url = next;
      post = null;
      continue;
    }
    const page = await res.text();
    if (res.status !== 200 || post !== null)
      throw new Error(`The provider answered ${res.status}: ${page.slice(0, 300)}`);
    post = new URLSearchParams({ login }).toString();
  }
  throw new Error("Too many steps at the provider");
}
