import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 6 insists on a datasource url in the schema even when a driver adapter does all the
// connecting; this placeholder satisfies it and is never dialled.
process.env.PRISMA_DATASOURCE_URL ??= "postgresql://adapter-only@localhost/unused";

// The JS schema engine: Prisma's native one cannot be downloaded on our machines.
// The CLI talks to the same database the app would use: DATABASE_URL, else PGlite under DATA_DIR.
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const url = process.env.DATABASE_URL;
    const { PrismaPg } = await import("@prisma/adapter-pg");
    if (url) {
      return new PrismaPg({ connectionString: url });
    }
    const { PGlite } = await import("@electric-sql/pglite");
    const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const dir = path.join(process.env.DATA_DIR ?? "./data", "pglite");
    fs.mkdirSync(dir, { recursive: true });
    // Typed against an older driver-adapter-utils than Prisma 6.19's; it works (see DEVELOPERS.md).
    return new PrismaPGlite(
      new PGlite(dir, { extensions: { pg_trgm } }),
    ) as unknown as InstanceType<typeof PrismaPg>;
  },
});
