import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { isHrOf, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import { VersionedCache } from "~/lib/versioned-cache.server";
import { getDashboard } from "./dashboard.server";
import type { DashboardFilter } from "./schema";
import { clock } from "~/lib/clock";

type Dashboard = Awaited<ReturnType<typeof getDashboard>>;

/** Every time zone in use is a whole number of quarter hours from UTC. */
const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * The HR dashboard's figures, kept in the app process and shared by the HR of one institute.
 *
 * They depend on the institute, the filter and the date: "overdue" means due before today as each
 * host institute counts days. Every institute's date changes on a quarter hour of UTC, so figures
 * computed at any moment of a quarter hour are exact for all of it, and the quarter hour is part
 * of the key. Every key also carries `DashboardState.version`, which triggers raise at the commit
 * of any transaction that changes what the dashboard counts (prisma/migrations/
 * 20261127100000_dashboard_cache), read from the database before computing (see VersionedCache).
 * Who may see an institute's dashboard is checked on every request, before the cache.
 */
export class DashboardCache {
  private cache: VersionedCache<Dashboard>;

  constructor(readonly maxEntries: number) {
    this.cache = new VersionedCache(maxEntries);
  }

  get size() {
    return this.cache.size;
  }

  async get(actor: Actor, filter: DashboardFilter, now = clock.now()): Promise<Dashboard> {
    if (!isHrOf(actor, actor.instituteId)) throw notFound();
    if (this.maxEntries <= 0) return getDashboard(actor, filter, now);
    // Keys the cache, so it stays here: docs/decisions/007-versioned-result-caches.md.
    const [state] = await db.$queryRaw<{ version: bigint }[]>`
      SELECT "version" FROM "DashboardState" WHERE "id" = 1`;
    const key = JSON.stringify([
      actor.instituteId,
      filter.from ?? "",
      filter.to ?? "",
      filter.postingId ?? "",
      Math.floor(now.getTime() / QUARTER_HOUR_MS),
    ]);
    return this.cache.get(BigInt(state!.version), key, () => getDashboard(actor, filter, now));
  }
}

let shared: DashboardCache | undefined;

/** The process's cache, sized by DASHBOARD_CACHE_ENTRIES (0 turns caching off). */
export function cachedDashboard(actor: Actor, filter: DashboardFilter) {
  shared ??= new DashboardCache(getEnv().DASHBOARD_CACHE_ENTRIES);
  return shared.get(actor, filter);
}
