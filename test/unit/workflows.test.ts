import { describe, expect, test } from "vitest";
import {
  APPLICATION_STATUSES,
  canMove,
  isFinal,
  mayEverMoveTo,
  movesFor,
  PARTIES,
} from "~/modules/applications/workflow";
import { canMovePosting, POSTING_STATUSES, takesOffers } from "~/modules/postings/workflow";

// The expected tables are written out by hand from PRODUCT.md, independently of the MOVES data,
// and every (from, to, who) combination is checked against them: anything not listed is refused.
const APPLICATION_ALLOWED = new Set([
  "DRAFT>SUBMITTED:APPLICANT",
  "SUBMITTED>HOME_RELEASED:LINE_MANAGER",
  "SUBMITTED>HOME_DECLINED:LINE_MANAGER",
  "HOME_RELEASED>UNDER_REVIEW:HOST_HR",
  "UNDER_REVIEW>SHORTLISTED:HOST_HR",
  "SHORTLISTED>INTERVIEW:HOST_HR",
  "SHORTLISTED>OFFERED:HOST_HR",
  "INTERVIEW>OFFERED:HOST_HR",
  "HOME_RELEASED>REJECTED:HOST_HR",
  "UNDER_REVIEW>REJECTED:HOST_HR",
  "SHORTLISTED>REJECTED:HOST_HR",
  "INTERVIEW>REJECTED:HOST_HR",
  "OFFERED>ACCEPTED:APPLICANT",
  "OFFERED>DECLINED:APPLICANT",
  "SUBMITTED>WITHDRAWN:APPLICANT",
  "HOME_RELEASED>WITHDRAWN:APPLICANT",
  "UNDER_REVIEW>WITHDRAWN:APPLICANT",
  "SHORTLISTED>WITHDRAWN:APPLICANT",
  "INTERVIEW>WITHDRAWN:APPLICANT",
  "OFFERED>WITHDRAWN:APPLICANT",
]);

describe("application workflow", () => {
  test(`every one of ${APPLICATION_STATUSES.length ** 2 * PARTIES.length} (from, to, party) combinations`, () => {
    const wrong: string[] = [];
    for (const from of APPLICATION_STATUSES)
      for (const to of APPLICATION_STATUSES)
        for (const party of PARTIES) {
          const key = `${from}>${to}:${party}`;
          if (canMove(from, to, party) !== APPLICATION_ALLOWED.has(key)) wrong.push(key);
        }
    expect(wrong).toEqual([]);
  });

  test("final states allow no move by anyone; home HR and reviewers never move an application", () => {
    for (const from of APPLICATION_STATUSES) {
      if (isFinal(from)) expect(movesFor(from, PARTIES)).toEqual([]);
      expect(movesFor(from, ["HOME_HR", "REVIEWER"])).toEqual([]);
    }
    expect(APPLICATION_STATUSES.filter(isFinal)).toEqual([
      "HOME_DECLINED",
      "ACCEPTED",
      "DECLINED",
      "REJECTED",
      "WITHDRAWN",
    ]);
  });

  test("whether a party could ever make a move tells the wrong stage from the wrong person", () => {
    for (const to of APPLICATION_STATUSES)
      for (const party of PARTIES)
        expect(mayEverMoveTo(to, party), `${to} by ${party}`).toBe(
          [...APPLICATION_ALLOWED].some((k) => k.endsWith(`>${to}:${party}`)),
        );
  });

  test("someone in two roles gets the moves of both, and nothing is skipped", () => {
    expect(movesFor("OFFERED", ["APPLICANT", "HOST_HR"])).toEqual([
      "ACCEPTED",
      "DECLINED",
      "WITHDRAWN",
    ]);
    expect(movesFor("HOME_RELEASED", ["HOST_HR"])).toEqual(["UNDER_REVIEW", "REJECTED"]);
    expect(movesFor("UNDER_REVIEW", ["HOST_HR"])).not.toContain("OFFERED");
  });
});

const POSTING_ALLOWED = new Set([
  "DRAFT>OPEN:HOST_HR",
  "OPEN>CLOSED:HOST_HR",
  "OPEN>CLOSED:SYSTEM",
  "OPEN>FILLED:HOST_HR",
  "CLOSED>FILLED:HOST_HR",
  "OPEN>FILLED:SYSTEM",
  "CLOSED>FILLED:SYSTEM",
  "DRAFT>CANCELLED:HOST_HR",
  "OPEN>CANCELLED:HOST_HR",
  "CLOSED>CANCELLED:HOST_HR",
]);

test("posting workflow: every (from, to, mover) combination", () => {
  const wrong: string[] = [];
  for (const from of POSTING_STATUSES)
    for (const to of POSTING_STATUSES)
      for (const by of ["HOST_HR", "SYSTEM"] as const) {
        const key = `${from}>${to}:${by}`;
        if (canMovePosting(from, to, by) !== POSTING_ALLOWED.has(key)) wrong.push(key);
      }
  expect(wrong).toEqual([]);
});

test("offers are made only while a posting is open or closed, never once filled or cancelled", () => {
  expect(POSTING_STATUSES.filter(takesOffers)).toEqual(["OPEN", "CLOSED"]);
});
