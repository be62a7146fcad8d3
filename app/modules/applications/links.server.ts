import { getEnv } from "~/lib/env.server";

/** The application page's absolute address, for the emails that point at it. */
export const applicationUrl = (id: string) =>
  new URL(`/applications/${id}`, getEnv().APP_URL).toString();
