/**
 * Headers and cross-site request checks applied by the HTTP server to every response and request.
 * Pure functions, so that unit tests can pin the policy down.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Why a state-changing request must be refused as cross-site, or null to let it through.
 * Browsers send Sec-Fetch-Site and/or Origin on every POST; a request with neither comes from a
 * non-browser client, which cannot carry a victim's cookies anyway (and SameSite=Lax backs this up).
 */
export function crossSiteProblem(
  method: string,
  headers: { get(name: string): string | null },
  allowedOrigins: string[],
): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site is ${site}`;
  const origin = headers.get("origin");
  if (origin !== null && !allowedOrigins.includes(origin))
    return `Origin ${origin} is not this site`;
  return null;
}

export function contentSecurityPolicy(nonce: string, { dev = false } = {}) {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Vite's dev server injects styles inline; the production build ships a stylesheet file.
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ];
  return directives.join("; ");
}

export function securityHeaders(
  nonce: string,
  { dev = false, hsts = false } = {},
): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(nonce, { dev }),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    // Reset and invitation links carry secrets in their path: never send them to another site.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
  };
  if (hsts) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}
