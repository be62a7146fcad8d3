import type { Prisma, PrismaClient } from "~/generated/prisma/client";

// The shared expertise taxonomy as data: seeded for the demo and by tests, then managed by admins.

export type ExpertiseAreaSpec = { name: string; description: string };

export const EXPERTISE_AREAS = [
  {
    name: "Evaluations",
    description:
      "Measuring what frontier models can do, especially dangerous capabilities, before and after deployment.",
  },
  {
    name: "Red-teaming",
    description:
      "Adversarial testing of models and their safeguards: jailbreaks, misuse scenarios, prompt injection.",
  },
  {
    name: "Interpretability",
    description:
      "Understanding model internals: features, circuits, probes and what they tell us about behaviour.",
  },
  {
    name: "Cyber security",
    description:
      "Offensive and defensive cyber capabilities of AI systems and the uplift they give to attackers.",
  },
  {
    name: "Chemical & biological risk",
    description:
      "Whether models meaningfully help with chemical or biological weapons, and how to measure it safely.",
  },
  {
    name: "Societal impacts",
    description:
      "Effects of AI on people and institutions: persuasion, misinformation, labour markets, critical services.",
  },
  {
    name: "Policy & governance",
    description:
      "Turning technical findings into policy: standards, international agreements, regulation and advice to ministers.",
  },
  {
    name: "Alignment research",
    description:
      "Making models reliably pursue the goals their developers intend, including scalable oversight.",
  },
  {
    name: "Model safeguards",
    description:
      "Refusal training, classifiers, monitoring and other mitigations, and how well they hold up under attack.",
  },
  {
    name: "AI security (model weights)",
    description:
      "Protecting model weights and training infrastructure from theft, tampering and insider threats.",
  },
  {
    name: "Autonomy & agents",
    description:
      "Long-horizon agentic behaviour: tool use, self-replication, autonomous research and loss-of-control risks.",
  },
  {
    name: "Evaluations infrastructure",
    description:
      "The engineering behind testing: evaluation harnesses, sandboxes, model access and large-scale runs.",
  },
  {
    name: "Statistics & measurement",
    description:
      "Rigour in evaluation science: experimental design, uncertainty, elicitation and benchmark validity.",
  },
  {
    name: "Human-AI interaction",
    description:
      "How people use, trust and are influenced by AI systems, studied through human-participant research.",
  },
  {
    name: "Safety cases",
    description:
      "Structured arguments, with evidence, that a system is safe enough to deploy in a given context.",
  },
  {
    name: "Forecasting & horizon scanning",
    description:
      "Anticipating capability trends, compute growth and emerging risks to inform priorities.",
  },
] as const satisfies readonly ExpertiseAreaSpec[];

export type ExpertiseAreaName = (typeof EXPERTISE_AREAS)[number]["name"];

/** Area name → id. */
export type Taxonomy = Map<string, string>;

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Creates the areas, or brings their descriptions to the spec (idempotent, matched by name).
 * Leaves retirement alone: that is an admin's decision. Returns name → id.
 */
export async function ensureTaxonomy(
  db: Db,
  areas: readonly ExpertiseAreaSpec[] = EXPERTISE_AREAS,
): Promise<Taxonomy> {
  const taxonomy: Taxonomy = new Map();
  for (const area of areas) {
    const row = await db.expertiseArea.upsert({
      where: { name: area.name },
      create: { name: area.name, description: area.description },
      update: { description: area.description },
      select: { id: true, name: true },
    });
    taxonomy.set(row.name, row.id);
  }
  return taxonomy;
}

/** The current taxonomy as stored (including retired areas, which profiles may still carry). */
export async function loadTaxonomy(db: Db): Promise<Taxonomy> {
  const rows = await db.expertiseArea.findMany({ select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.name, r.id]));
}
