// Every route of the app, as the route matrix declares it: built once the world exists (the
// cases name its records).
import type { Case } from "#test/support/route-matrix/cases";
import { publicAndAccountRoutes } from "#test/support/route-matrix/public-and-account";
import { adminRoutes } from "#test/support/route-matrix/admin";
import { directoryRoutes } from "#test/support/route-matrix/directory";
import { postingAndApplicationRoutes } from "#test/support/route-matrix/postings-and-applications";
import { placementAndChecklistRoutes } from "#test/support/route-matrix/placements-and-checklists";
import { workspaceRoutes } from "#test/support/route-matrix/workspaces";
import { scimRoutes } from "#test/support/route-matrix/scim";

export const declarations = (): Record<string, Case[]> => ({
  ...publicAndAccountRoutes(),
  ...adminRoutes(),
  ...directoryRoutes(),
  ...postingAndApplicationRoutes(),
  ...placementAndChecklistRoutes(),
  ...workspaceRoutes(),
  ...scimRoutes(),
});
