// Postings at scale: every host institute, every status, deadlines consistent with the status
// (open ones in the future, closed and filled ones in the past), contact HR of the host. A few
// "heavy" postings, run by the demo HR coordinators, get several hundred applications each.
import type { PostingStatus } from "~/generated/prisma/enums";
import { zonedLocalToInstant } from "~/lib/time-zones";
import { Random } from "../../test/factories/random";
import type { Phase } from "./context";
import type { PoolPerson } from "./people";
import { addDays, insertRows, isoDay, newId } from "./sql";

export type GenPosting = {
  id: string;
  hostInstituteId: string;
  title: string;
  status: PostingStatus;
  deadline: Date;
  createdAt: Date;
  earliestStart: Date;
  durationMonths: number;
  eligible: string[];
  contactHr: PoolPerson;
  places: number;
  /** One of the postings with several hundred applications. */
  heavy: boolean;
  /** Set by the applications phase: how many accepted offers (placements) it has. */
  accepted: number;
};

const LOCATIONS: Record<string, string[]> = {
  "US-AISI": ["Washington DC", "San Francisco", "Gaithersburg"],
  "UK-AISI": ["London", "Bristol", "Edinburgh"],
  "CA-AISI": ["Toronto", "Montréal"],
  "JP-AISI": ["Tokyo"],
  "SG-AISI": ["Singapore"],
};

const KINDS = [
  "Secondment",
  "Visiting researcher",
  "Research engineer secondment",
  "Exchange placement",
  "Policy fellow",
  "Technical staff secondment",
];

const TOPICS: Record<string, string[]> = {
  Evaluations: ["pre-deployment evaluations", "capability elicitation", "agentic task suites"],
  "Red-teaming": ["safeguards red-teaming", "jailbreak robustness", "expert red-teaming"],
  Interpretability: ["sparse autoencoders", "probing for deception", "circuit analysis"],
  "Cyber security": ["cyber ranges", "offensive capability evaluations", "CTF design"],
  "Chemical & biological risk": ["biosecurity evaluations", "chemistry uplift studies"],
  "Societal impacts": ["societal resilience", "persuasion and manipulation studies"],
  "Policy & governance": ["frontier AI policy", "international standards", "safety frameworks"],
  "Alignment research": ["scalable oversight", "reward hacking", "alignment evaluations"],
  "Model safeguards": ["misuse safeguards", "unlearning methods", "refusal robustness"],
  "AI security (model weights)": ["model weight security", "secure enclaves for testing"],
  "Autonomy & agents": ["autonomous replication evaluations", "agent scaffolding"],
  "Evaluations infrastructure": ["evaluation platform engineering", "sandboxed task environments"],
  "Statistics & measurement": ["evaluation statistics", "measurement validity"],
  "Human-AI interaction": ["human uplift trials", "user studies"],
  "Safety cases": ["safety case methodology", "assurance arguments"],
  "Forecasting & horizon scanning": ["capability forecasting", "horizon scanning"],
};

const STATUS_WEIGHTS: (readonly [PostingStatus, number])[] = [
  ["OPEN", 34],
  ["CLOSED", 24],
  ["FILLED", 28],
  ["DRAFT", 7],
  ["CANCELLED", 7],
];

/** Days from now to the deadline, by status. */
const DEADLINE: Record<PostingStatus, [number, number]> = {
  DRAFT: [20, 120],
  OPEN: [3, 90],
  CLOSED: [-120, -1],
  FILLED: [-520, -25],
  CANCELLED: [-240, 60],
};

const VERSION: Record<PostingStatus, number> = {
  DRAFT: 0,
  OPEN: 1,
  CLOSED: 2,
  FILLED: 2,
  CANCELLED: 2,
};

function description(rng: Random, topic: string, host: string, location: string) {
  return [
    `Join the ${host} for a secondment on ${topic}.`,
    "",
    "What you will do:",
    "",
    `- ${rng.pick(["Design and run", "Plan and carry out", "Help build"])} ${topic} with the host team`,
    `- ${rng.pick(["Share methods with your home institute", "Write up findings for model developers", "Co-author a joint report"])}`,
    `- ${rng.pick(["Take part in joint testing exercises", "Mentor junior staff on the host team", "Present your work at the partnership's research day"])}`,
    "",
    location
      ? `Based in ${location}; travel and relocation follow the partnership's exchange terms.`
      : "Remote, with an induction week on site.",
  ].join("\n");
}

export async function generatePostings(phase: Phase): Promise<GenPosting[]> {
  const { tx, now, counts, people, demo, areas } = phase;
  const rng = new Random("scale:postings");
  const institutes = people.institutes;
  const hr = new Map(
    institutes.map((i) => [
      i.id,
      (people.byInstitute.get(i.id) ?? []).filter((p) => p.roles.includes("HR")),
    ]),
  );
  for (const i of institutes)
    if (!hr.get(i.id)!.length) throw new Error(`No HR coordinator at ${i.code}`);
  const byCode = new Map(institutes.map((i) => [i.code, i]));
  const demoHr = new Map<string, PoolPerson>();
  if (demo.usHr) demoHr.set(demo.usHr.instituteId, demo.usHr);
  if (demo.ukHr) demoHr.set(demo.ukHr.instituteId, demo.ukHr);
  // The founding institutes host most postings; the demo HR coordinators run most of theirs.
  const hostWeights = institutes.map(
    (i) => [i, i.code === "US-AISI" || i.code === "UK-AISI" ? 3 : 1.3] as const,
  );
  const heavyCount = Math.max(1, Math.round(counts.postings / 100));
  const heavyHosts = ["US-AISI", "UK-AISI"].map((c) => byCode.get(c)).filter((i) => !!i);

  const postings: GenPosting[] = [];
  const rows: Record<string, unknown>[] = [];
  for (let n = 0; n < counts.postings; n++) {
    const heavy = n < heavyCount;
    const host = heavy ? heavyHosts[n % heavyHosts.length]! : rng.weighted(hostWeights);
    const status: PostingStatus = heavy
      ? n % 3 === 2
        ? "CLOSED"
        : "OPEN"
      : rng.weighted(STATUS_WEIGHTS);
    const contactHr =
      demoHr.get(host.id) && (heavy || rng.chance(0.7))
        ? demoHr.get(host.id)!
        : rng.pick(hr.get(host.id)!);
    const [lo, hi] = DEADLINE[status];
    const day = isoDay(addDays(now, rng.int(lo, hi)));
    const deadline = zonedLocalToInstant(`${day}T17:00`, host.timeZone)!;
    const createdAt = new Date(
      Math.min(
        addDays(deadline, -rng.int(30, 75)).getTime(),
        addDays(now, -rng.int(1, 20)).getTime(),
      ),
    );
    const area = rng.pick(areas);
    const second = rng.chance(0.5) ? rng.pick(areas) : null;
    const topic = rng.pick(TOPICS[area.name] ?? [area.name.toLowerCase()]);
    const kind = rng.pick(KINDS);
    const workMode = rng.weighted([
      ["ON_SITE", 5],
      ["HYBRID", 4],
      ["REMOTE", 1],
    ] as const);
    const location = workMode === "REMOTE" ? "" : rng.pick(LOCATIONS[host.code] ?? [host.name]);
    const others = institutes.filter((i) => i.id !== host.id).map((i) => i.id);
    const eligible =
      heavy || rng.chance(0.6) ? others : rng.sample(others, rng.int(1, others.length));
    const earliestStart = new Date(`${isoDay(addDays(deadline, rng.int(45, 75)))}T00:00:00Z`);
    const durationMonths = rng.pick([3, 3, 6, 6, 6, 9, 12]);
    const title = `${kind}: ${topic}${rng.chance(0.3) ? ` (${rng.pick(["spring", "autumn"])} ${isoDay(earliestStart).slice(0, 4)})` : ""}`;
    const id = newId();
    const updatedAt =
      status === "DRAFT" || status === "OPEN"
        ? createdAt
        : new Date(Math.min(addDays(deadline, rng.int(0, 20)).getTime(), now.getTime()));
    postings.push({
      id,
      hostInstituteId: host.id,
      title,
      status,
      deadline,
      createdAt,
      earliestStart,
      durationMonths,
      eligible,
      contactHr,
      places: 1,
      heavy,
      accepted: 0,
    });
    rows.push({
      id,
      hostInstituteId: host.id,
      title,
      team: area.name,
      description: description(rng, topic, host.name, location),
      requiredExpertiseIds: [area.id],
      desiredExpertiseIds: second && second.id !== area.id ? [second.id] : [],
      minClearance: rng.pick(["NONE", "BASELINE", "BASELINE", "SECURITY_CHECK"]),
      workMode,
      location,
      durationMonths,
      earliestStart: isoDay(earliestStart),
      latestStart: isoDay(addDays(earliestStart, rng.int(60, 150))),
      places: 1,
      deadline: deadline.toISOString(),
      eligibleInstituteIds: eligible,
      contactHrId: contactHr.id,
      status,
      version: VERSION[status],
      createdAt: createdAt.toISOString(),
      updatedAt: updatedAt.toISOString(),
    });
  }
  const bar = phase.bar("postings", rows.length);
  await insertRows(
    tx,
    "Posting",
    {
      id: "text",
      hostInstituteId: "text",
      title: "text",
      team: "text",
      description: "text",
      requiredExpertiseIds: "text[]",
      desiredExpertiseIds: "text[]",
      minClearance: '"ClearanceLevel"',
      workMode: '"WorkMode"',
      location: "text",
      durationMonths: "int",
      earliestStart: "date",
      latestStart: "date",
      places: "int",
      deadline: "timestamp(3)",
      eligibleInstituteIds: "text[]",
      contactHrId: "text",
      status: '"PostingStatus"',
      version: "int",
      createdAt: "timestamp(3)",
      updatedAt: "timestamp(3)",
    },
    rows,
    { bar },
  );
  bar.done(`${postings.filter((p) => p.heavy).length} heavy`);
  return postings;
}

/** Sets each posting's places once its accepted offers are known (a filled posting: all taken). */
export async function settlePlaces(phase: Phase, postings: GenPosting[]) {
  const rng = new Random("scale:places");
  for (const p of postings) {
    p.places = p.status === "FILLED" ? Math.max(1, p.accepted) : p.accepted + rng.int(1, 3);
  }
  await phase.tx.$executeRawUnsafe(
    `UPDATE "Posting" p SET "places" = x."places"
     FROM json_to_recordset($1::json) AS x("id" text, "places" int) WHERE p."id" = x."id"`,
    JSON.stringify(postings.map((p) => ({ id: p.id, places: p.places }))),
  );
}
