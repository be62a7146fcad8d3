import type { ROLES } from "../schema";

export const ROLE_LABELS: Record<(typeof ROLES)[number], string> = {
  STAFF: "Staff (everyone)",
  HR: "HR coordinator of their institute",
  ADMIN: "System administrator",
};
