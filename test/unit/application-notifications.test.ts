import { describe, expect, test } from "vitest";
import {
  APPLICATION_STATUSES,
  toldOfMoveTo,
  type ApplicationStatus,
  type Recipient,
} from "~/modules/applications/workflow";

// Written out by hand, independently of the MOVES data: who is emailed when an application
// reaches each status, in the order the emails are queued. No move reaches a draft: nobody is told.
const TOLD: Record<ApplicationStatus, Recipient[]> = {
  DRAFT: [],
  SUBMITTED: ["APPLICANT", "LINE_MANAGER"],
  HOME_RELEASED: ["APPLICANT", "HOST_HR"],
  HOME_DECLINED: ["APPLICANT"],
  UNDER_REVIEW: ["APPLICANT"],
  SHORTLISTED: ["APPLICANT"],
  INTERVIEW: ["APPLICANT"],
  OFFERED: ["APPLICANT"],
  ACCEPTED: ["HOST_HR"],
  DECLINED: ["HOST_HR"],
  REJECTED: ["APPLICANT"],
  WITHDRAWN: ["HOST_HR", "LINE_MANAGER"],
};

describe("who is told about each application move", () => {
  test.each(APPLICATION_STATUSES)("a move to %s", (to) => {
    expect(toldOfMoveTo(to)).toEqual(TOLD[to]);
  });
});
