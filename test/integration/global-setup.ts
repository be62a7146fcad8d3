import type { TestProject } from "vitest/node";
import {
  buildPgliteTemplate,
  buildPostgresTemplate,
  dropDatabase,
} from "#test/support/db-template";

declare module "vitest" {
  export interface ProvidedContext {
    dbKind: "pglite" | "postgres";
    pgliteTemplate: string;
    postgresServer: string;
    postgresTemplate: string;
  }
}

/** Runs once per run: migrates one template database that every test file clones. */
export default async function setup(project: TestProject) {
  const kind = process.env.TEST_DB === "postgres" ? "postgres" : "pglite";
  project.provide("dbKind", kind);
  if (kind === "pglite") {
    project.provide("pgliteTemplate", await buildPgliteTemplate());
    project.provide("postgresServer", "");
    project.provide("postgresTemplate", "");
    return;
  }
  const server = process.env.TEST_POSTGRES_URL;
  if (!server)
    throw new Error(
      "TEST_DB=postgres needs TEST_POSTGRES_URL (a server URL with rights to create databases)",
    );
  const template = await buildPostgresTemplate(server);
  project.provide("pgliteTemplate", "");
  project.provide("postgresServer", server);
  project.provide("postgresTemplate", template);
  return async () => dropDatabase(server, template);
}
