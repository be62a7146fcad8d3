import { createCookie, redirect } from "@remix-run/node";
import { getEnv } from "./env.server";

export type Flash = { tone: "success" | "info" | "error"; message: string };

// A short-lived cookie that carries one message across a redirect (works with JavaScript off).
function flashCookie() {
  return createCookie("flash", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60,
    secure: getEnv().SECURE_COOKIES,
  });
}

export async function redirectWithFlash(
  to: string,
  flash: Flash,
  init: { headers?: HeadersInit } = {},
) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await flashCookie().serialize(flash));
  return redirect(to, { headers });
}

/** The pending message, if any, and the header that clears it. */
export async function readFlash(
  request: Request,
): Promise<{ flash: Flash | null; clear: string | null }> {
  const cookie = flashCookie();
  const value = (await cookie.parse(request.headers.get("Cookie"))) as Flash | null;
  if (!value || typeof value.message !== "string") return { flash: null, clear: null };
  const tone = value.tone === "error" || value.tone === "info" ? value.tone : "success";
  return {
    flash: { tone, message: value.message.slice(0, 500) },
    clear: await cookie.serialize("", { maxAge: 0 }),
  };
}
