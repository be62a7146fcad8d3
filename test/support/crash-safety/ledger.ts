// What the crash-safety test's clients saw: every write acknowledged, or in flight at a kill,
// kept so that the database can be checked against it after each restart.
import { type SystemState } from "#test/system/harness";

export type Kind = "appStart" | "appSubmit" | "checklist" | "page";
export const KINDS: Kind[] = ["appStart", "appSubmit", "checklist", "page"];

export type Figures = {
  database: string;
  kills: number;
  restarts: number;
  acknowledged: Record<Kind, number>;
  verifiedPresent: number;
  lost: string[];
  /** Writes in flight at a kill (no answer seen) that turned out committed / not committed. */
  inFlightCommitted: number;
  inFlightNotCommitted: number;
  unexpected: string[];
  auditEventsVerified: number;
  auditBreaks: string[];
  emailsQueued: number;
  emailsDelivered: number;
  emailDuplicates: number;
  /** Emails due once the killed servers' leases ran out (queued, or claimed but not started). */
  dueAtTheEnd: number;
  /** Outbox rows at the end by status, and how many of each the SMTP sink received. */
  outbox: Record<string, { rows: number; received: number }>;
  emailProblems: string[];
  restartMs: number[];
  /** Kills that came before every kind of write flowed in their run (warm-up limit reached). */
  coldKills: number;
  /** What the servers logged about the outbox. */
  outboxLog: string[];
  /** Where the time went, in ms. */
  phases: Record<string, number>;
  latency: Record<Kind, number[]>;
  seconds: number;
};

// ---------------------------------------------------------------- what the clients saw

export type ItemStatus = "TODO" | "IN_PROGRESS" | "DONE";
type Pending<T> = (T & { from: number }) | null;

/** One checklist item, moved by one loop at a time. */
type ItemTrack = {
  placementId: string;
  version: number;
  status: ItemStatus;
  token: string;
  /** Version -> the move that produced it, as acknowledged (or found committed after a kill). */
  history: Map<number, { status: ItemStatus; token: string; acked: boolean }>;
  pending: Pending<{ status: ItemStatus; token: string }>;
};

type PageTrack = {
  workspaceId: string;
  title: string;
  version: number;
  token: string;
  history: Map<number, { token: string; acked: boolean }>;
  pending: Pending<{ token: string }>;
};

type AppTrack = {
  applicantId: string;
  postingId: string;
  id: string | null;
  status: string;
  version: number;
  startAcked: boolean;
  submitToken: string;
  submitAcked: boolean;
  pendingStart: boolean;
  pendingSubmit: string | null;
};

export class Ledger {
  items = new Map<string, ItemTrack>();
  pages = new Map<string, PageTrack>();
  apps = new Map<string, AppTrack>();
  acked: Record<Kind, number> = { appStart: 0, appSubmit: 0, checklist: 0, page: 0 };
  /** Milliseconds from sending to the acknowledgement, per kind. */
  latency: Record<Kind, number[]> = { appStart: [], appSubmit: [], checklist: [], page: [] };
  unexpected: string[] = [];
  /** Called on every acknowledgement (the kill timer waits for the first of a run). */
  onAck: (kind: Kind) => void = () => {};

  ack(kind: Kind, sentAt: number) {
    this.acked[kind]++;
    this.latency[kind].push(performance.now() - sentAt);
    this.onAck(kind);
  }

  constructor(state: SystemState) {
    for (const p of state.placements)
      for (const id of p.itemIds)
        this.items.set(id, {
          placementId: p.id,
          version: 0,
          status: "TODO",
          token: "",
          history: new Map(),
          pending: null,
        });
    for (const e of state.editors)
      this.pages.set(e.pageId, {
        workspaceId: e.workspaceId,
        title: `Notes ${state.editors.indexOf(e)}`,
        version: 1,
        token: "",
        history: new Map(),
        pending: null,
      });
    for (const a of state.applicants)
      for (const postingId of state.postingIds)
        this.apps.set(`${a.id}/${postingId}`, {
          applicantId: a.id,
          postingId,
          id: null,
          status: "NONE",
          version: 0,
          startAcked: false,
          submitToken: "",
          submitAcked: false,
          pendingStart: false,
          pendingSubmit: null,
        });
  }
}
