import { getEnv } from "~/lib/env.server";
import { VersionedCache } from "~/lib/versioned-cache.server";

/** A workspace as its read check found it: the content version comes in the same statement. */
export type VersionedWorkspace = { id: string; contentState: { version: bigint } | null };

/**
 * What a workspace's home, pages and page histories show, kept in the app process.
 *
 * Correctness rests on three facts:
 *
 * 1. Every entry belongs to one value of the workspace's `WorkspaceContentState.version`, which
 *    database triggers raise at the commit of any transaction that changes what those pages show
 *    (prisma/migrations/20261127120000_workspace_content_cache: members, activity, tasks,
 *    registrations, pages and their versions, discussions, the workspace's settings, people's
 *    names, addresses and institutes, institute codes). The read check reads the version in its
 *    own statement, before anything is computed, so an entry always holds data at least as new as
 *    its version, and a change committed by any app process (or script) is seen by the next view
 *    everywhere.
 *
 * 2. An entry holds nothing that depends on the viewer or on the moment: the viewer's role and
 *    the workspace's frame come from the read check on every request, and times are turned into
 *    words only when the page is rendered. So it is shared by every member.
 *
 * 3. Who may see the workspace is checked on every request, before the cache: a cached entry is
 *    never handed to someone the read check refuses (404), and a page that does not exist is not
 *    cached (its 404 is thrown while computing).
 */
export class WorkspaceContentCache {
  private cache: VersionedCache<unknown>;

  constructor(readonly maxEntries: number) {
    this.cache = new VersionedCache(maxEntries);
  }

  get size() {
    return this.cache.size;
  }

  /** `key` of `workspace` as of the version its read check read; `compute` runs on a miss. */
  read<T>(workspace: VersionedWorkspace, key: (string | number)[], compute: () => Promise<T>) {
    const version = workspace.contentState?.version;
    // A workspace without a version row (none should lack one) is never cached.
    if (version === undefined) return compute();
    return this.cache.get(version, JSON.stringify(key), compute, {
      scope: workspace.id,
    }) as Promise<T>;
  }
}

/** How a content read takes its cache: the process's own unless a test hands it another. */
export type CacheOption = { cache?: WorkspaceContentCache };

let shared: WorkspaceContentCache | undefined;

/** The process's cache, sized by WORKSPACE_CACHE_ENTRIES (0 turns caching off). */
export function sharedWorkspaceCache() {
  shared ??= new WorkspaceContentCache(getEnv().WORKSPACE_CACHE_ENTRIES);
  return shared;
}
