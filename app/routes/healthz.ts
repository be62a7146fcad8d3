import { checkDatabase } from "~/lib/health.server";

// For load balancers: 200 when this process can reach its database, 503 otherwise.
export async function loader() {
  const ok = await checkDatabase();
  return new Response(JSON.stringify({ status: ok ? "ok" : "unavailable" }), {
    status: ok ? 200 : 503,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
