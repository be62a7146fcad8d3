import type { ExpertiseAreaName } from "./taxonomy";

// What generated people are made of: the work of each expertise area, teams and their skills, and
// the names and places of each institute's region. Data only, read by people-generator.ts.

// --- What people in each expertise area work on ----------------------------------------------

export type AreaContent = {
  /** How the area reads in running text. */
  phrase: string;
  /** Verb phrases in the base form ("lead ..."): what someone in the area spends their time on. */
  focus: readonly string[];
  /** Noun phrases: topics within the area. */
  topics: readonly string[];
  skills: readonly string[];
  papers: readonly string[];
  /** Completes "spent N years ...". */
  backgrounds: readonly string[];
};

export const AREAS: Record<ExpertiseAreaName, AreaContent> = {
  Evaluations: {
    phrase: "evaluations",
    focus: [
      "lead the dangerous-capability evaluations run on frontier models before release",
      "design question-answer and long-form task evaluations that track capability uplift",
      "run pre-deployment testing of frontier models with developers' safety teams",
      "maintain the institute's core capability benchmarks and their human baselines",
      "build automated graders for open-ended model outputs",
      "coordinate joint testing exercises with partner institutes",
    ],
    topics: [
      "pre-deployment testing of frontier models",
      "capability elicitation with scaffolding and fine-tuning",
      "replacing saturated benchmarks",
      "grader reliability for open-ended tasks",
      "human baselines for capability evaluations",
    ],
    skills: [
      "capability elicitation",
      "benchmark design",
      "LLM-as-judge grading",
      "Inspect",
      "task authoring",
      "pre-deployment testing",
      "human baselining",
    ],
    papers: [
      "Elicitation gaps in pre-deployment testing of frontier models",
      "Towards reliable automated grading of open-ended model outputs",
      "What a benchmark misses: lessons from joint testing exercises",
      "Measuring capability uplift with human baselines",
      "A taxonomy of evaluation failures in frontier model testing",
    ],
    backgrounds: [
      "building benchmarks at a frontier AI developer",
      "on the evaluation team of a machine learning start-up",
    ],
  },
  "Red-teaming": {
    phrase: "red-teaming",
    focus: [
      "design jailbreak campaigns against safeguarded frontier models",
      "run structured red-teaming exercises with external domain experts",
      "study prompt-injection attacks on tool-using agents",
      "build automated red-teaming pipelines that search for universal jailbreaks",
      "test how misuse safeguards hold up against determined attackers",
    ],
    topics: [
      "jailbreak robustness",
      "prompt injection in agent pipelines",
      "automated adversarial search",
      "expert red-teaming programmes",
      "multi-turn attacks on safeguards",
    ],
    skills: [
      "jailbreak design",
      "prompt injection",
      "adversarial testing",
      "threat modelling",
      "automated red-teaming",
      "social engineering scenarios",
    ],
    papers: [
      "Universal jailbreaks transfer across safeguarded models",
      "Prompt injection in the wild: attacks on tool-using agents",
      "Red-teaming at scale with model-generated attacks",
      "How long do safeguards last? A longitudinal jailbreak study",
      "Many-shot attacks against refusal training",
    ],
    backgrounds: [
      "running red-team engagements for a security consultancy",
      "on the trust and safety team of a large online platform",
    ],
  },
  Interpretability: {
    phrase: "interpretability",
    focus: [
      "train sparse autoencoders on large models to find safety-relevant features",
      "use circuit analysis to explain deceptive behaviour in small models",
      "build linear probes that detect when a model knows it is being evaluated",
      "study how refusal is represented inside chat models",
      "develop tooling for activation patching on large models",
    ],
    topics: [
      "sparse autoencoders",
      "probing for evaluation awareness",
      "circuit-level explanations of refusal",
      "interpretability-based auditing",
      "feature steering",
    ],
    skills: [
      "sparse autoencoders",
      "circuit analysis",
      "probing",
      "activation patching",
      "TransformerLens",
      "causal interventions",
    ],
    papers: [
      "Sparse autoencoders reveal features of evaluation awareness",
      "Probing for deception in chat models",
      "Refusal is mediated by a small set of directions",
      "Scaling dictionary learning to frontier-size models",
      "Auditing language models with interpretability tools: a case study",
    ],
    backgrounds: [
      "as a postdoc in computational neuroscience",
      "on mechanistic interpretability at an independent research lab",
    ],
  },
  "Cyber security": {
    phrase: "cyber security",
    focus: [
      "lead the dangerous-capability evaluations for frontier models in the cyber domain",
      "build capture-the-flag challenges that measure autonomous exploitation",
      "measure how much models uplift novice attackers in network intrusion",
      "run cyber ranges where agents attempt realistic multi-stage attacks",
      "assess how well models help find vulnerabilities in open-source code",
    ],
    topics: [
      "vulnerability discovery",
      "cyber range design",
      "uplift studies with security professionals",
      "defensive uses of AI in security operations",
      "autonomous exploitation",
    ],
    skills: [
      "CTF design",
      "binary exploitation",
      "network forensics",
      "penetration testing",
      "reverse engineering",
      "malware analysis",
      "cyber ranges",
    ],
    papers: [
      "Can language model agents solve professional CTF challenges?",
      "Measuring uplift for novice attackers in network intrusion",
      "A cyber range for evaluating autonomous offensive agents",
      "Vulnerability discovery with frontier models: a controlled study",
    ],
    backgrounds: [
      "running penetration tests for critical national infrastructure",
      "in a national cyber security centre",
      "as a malware analyst at an incident-response firm",
    ],
  },
  "Chemical & biological risk": {
    phrase: "chemical and biological risk",
    focus: [
      "design safe proxy tasks that measure uplift towards biological threats",
      "assess whether models give meaningful help with wet-lab protocols",
      "run tightly controlled expert uplift studies on chemical weapons knowledge",
      "evaluate biological design tools alongside general-purpose models",
      "work with biosecurity experts to set thresholds for chem-bio evaluations",
    ],
    topics: [
      "biosecurity",
      "protocol troubleshooting evaluations",
      "biological design tools",
      "chem-bio uplift studies",
      "screening of DNA synthesis orders",
    ],
    skills: [
      "protein design",
      "biosecurity",
      "wet-lab protocols",
      "virology",
      "computational chemistry",
      "dual-use research review",
    ],
    papers: [
      "Protocol troubleshooting as a proxy for wet-lab uplift",
      "Biological design tools and the biosecurity threat landscape",
      "Expert uplift studies in chemistry: design and lessons",
      "Setting thresholds for biological capability evaluations",
    ],
    backgrounds: [
      "as a postdoc in a virology lab",
      "at a biosecurity think tank",
      "doing synthetic chemistry in the pharmaceutical industry",
    ],
  },
  "Societal impacts": {
    phrase: "societal impacts",
    focus: [
      "study how persuasive frontier models are in political conversations",
      "measure how AI assistants shift people's beliefs over weeks of use",
      "research how AI changes casework in public services",
      "track AI-generated content in coordinated misinformation campaigns",
      "examine emotional reliance on AI companions",
    ],
    topics: [
      "persuasion and manipulation",
      "labour-market effects of AI",
      "AI in critical public services",
      "misinformation",
      "emotional reliance on chatbots",
    ],
    skills: [
      "survey design",
      "qualitative interviews",
      "causal inference",
      "randomised controlled trials",
      "Stata",
      "discourse analysis",
    ],
    papers: [
      "Persuasion at scale: a randomised study of AI conversations",
      "AI companions and emotional reliance",
      "Where AI meets the public sector: evidence from casework",
      "Synthetic media in elections: a monitoring study",
    ],
    backgrounds: [
      "as a social psychologist",
      "researching online harms at a communications regulator",
      "as a labour economist",
    ],
  },
  "Policy & governance": {
    phrase: "policy and governance",
    focus: [
      "advise ministers on frontier AI risk and the institute's testing results",
      "negotiate the technical annexes of international AI safety agreements",
      "translate evaluation findings into guidance for developers",
      "support work on international standards for AI testing",
      "brief senior officials on the science of AI safety",
    ],
    topics: [
      "international standards for AI testing",
      "frontier AI safety commitments",
      "information sharing between institutes",
      "regulatory design",
      "third-party access to models",
    ],
    skills: [
      "briefing writing",
      "stakeholder engagement",
      "international negotiation",
      "legislative analysis",
      "standards development",
      "ministerial submissions",
    ],
    papers: [
      "Frontier AI safety commitments: one year on",
      "Information sharing between AI safety institutes",
      "A framework for third-party access to frontier models",
      "International standards for AI evaluation: a primer",
    ],
    backgrounds: [
      "in a foreign ministry",
      "working on online safety legislation",
      "at a standards body",
    ],
  },
  "Alignment research": {
    phrase: "alignment research",
    focus: [
      "work on scalable oversight methods such as debate",
      "study reward hacking in reinforcement learning from human feedback",
      "develop control protocols for untrusted models",
      "research whether models fake alignment during training",
      "test methods for detecting sandbagging",
    ],
    topics: [
      "scalable oversight",
      "AI control",
      "reward hacking",
      "sandbagging detection",
      "alignment faking",
    ],
    skills: [
      "reinforcement learning",
      "RLHF",
      "debate protocols",
      "AI control",
      "JAX",
      "fine-tuning",
    ],
    papers: [
      "Debate helps weak judges supervise strong models",
      "Control protocols for untrusted AI agents",
      "Detecting sandbagging with capability probes",
      "Reward hacking in the wild",
    ],
    backgrounds: ["doing reinforcement learning research", "at an alignment research non-profit"],
  },
  "Model safeguards": {
    phrase: "model safeguards",
    focus: [
      "evaluate refusal training and input classifiers against misuse",
      "build monitoring that flags harmful agent trajectories",
      "measure how quickly fine-tuning strips out safeguards",
      "test the safeguards of open-weight models",
      "assess how robust unlearning methods really are",
    ],
    topics: [
      "misuse classifiers",
      "fine-tuning attacks on safeguards",
      "unlearning",
      "agent monitoring",
      "safeguards for open-weight models",
    ],
    skills: [
      "classifier training",
      "refusal evaluation",
      "fine-tuning",
      "unlearning",
      "monitoring design",
    ],
    papers: [
      "Fine-tuning removes safeguards in minutes",
      "Are unlearning methods robust to relearning?",
      "Monitoring agent trajectories for misuse",
      "Evaluating input classifiers under adaptive attack",
    ],
    backgrounds: [
      "building content moderation classifiers",
      "on the integrity team of a social media company",
    ],
  },
  "AI security (model weights)": {
    phrase: "AI security",
    focus: [
      "assess how well developers protect model weights against state-level attackers",
      "study insider-threat scenarios for training clusters",
      "develop security levels for protecting model weights",
      "test confidential-computing approaches to model access for evaluators",
      "review supply-chain risks in model training infrastructure",
    ],
    topics: [
      "weight security",
      "insider threat",
      "confidential computing",
      "secure model access for evaluators",
      "supply-chain security",
    ],
    skills: [
      "security architecture",
      "threat modelling",
      "confidential computing",
      "insider-threat programmes",
      "supply-chain security",
      "hardware security",
    ],
    papers: [
      "Securing model weights: a framework of security levels",
      "Insider threats to frontier AI development",
      "Confidential computing for third-party model evaluation",
      "Supply-chain attacks on training pipelines",
    ],
    backgrounds: [
      "in a government security agency",
      "securing cloud infrastructure for a hyperscaler",
    ],
  },
  "Autonomy & agents": {
    phrase: "autonomy and agents",
    focus: [
      "build long-horizon agent tasks that test autonomous replication",
      "measure how well agents do research-engineering work on their own",
      "study agents' ability to acquire resources and evade oversight",
      "design sandboxed environments for testing self-proliferation",
      "track the progress of AI agents on software-engineering tasks",
    ],
    topics: [
      "autonomous replication",
      "automation of AI research",
      "agent scaffolding",
      "long-horizon tasks",
      "resource acquisition by agents",
    ],
    skills: ["agent scaffolding", "sandboxing", "task design", "Docker", "tool-use evaluation"],
    papers: [
      "Measuring autonomous replication and adaptation",
      "Can agents automate AI research engineering?",
      "Long-horizon tasks for evaluating agents",
      "The doubling time of agent task length",
    ],
    backgrounds: ["building agent frameworks at a start-up", "in robotics research"],
  },
  "Evaluations infrastructure": {
    phrase: "evaluations infrastructure",
    focus: [
      "build the platform that runs thousands of evaluation tasks per model release",
      "maintain secure sandboxes for running agents against real tools",
      "engineer the model-access pipelines used in pre-deployment testing",
      "scale evaluation runs across the institute's compute clusters",
      "contribute to open-source evaluation tooling",
    ],
    topics: [
      "evaluation harnesses",
      "sandboxing",
      "secure model access",
      "open-source evaluation tooling",
      "reproducible evaluation runs",
    ],
    skills: [
      "Python",
      "Kubernetes",
      "Inspect",
      "PyTorch",
      "Terraform",
      "TypeScript",
      "distributed systems",
      "CI/CD",
    ],
    papers: [
      "Inspect: an open framework for language model evaluation",
      "Running agent evaluations safely at scale",
      "Reproducible evaluation infrastructure for frontier models",
    ],
    backgrounds: [
      "as a site reliability engineer",
      "building machine learning platforms at a cloud provider",
    ],
  },
  "Statistics & measurement": {
    phrase: "statistics and measurement",
    focus: [
      "bring statistical rigour to capability evaluations",
      "develop methods for confidence intervals on small benchmarks",
      "study how elicitation effort changes measured capability",
      "analyse the validity of widely used benchmarks",
      "design the experiments behind human uplift studies",
    ],
    topics: [
      "uncertainty in evaluation results",
      "benchmark validity",
      "experimental design",
      "scaling-law analysis",
      "item response theory",
    ],
    skills: [
      "Bayesian modelling",
      "R",
      "experimental design",
      "item response theory",
      "Stan",
      "power analysis",
    ],
    papers: [
      "Adding error bars to evaluations",
      "Item response theory for language model benchmarks",
      "How much does elicitation matter? A meta-analysis",
      "Power analysis for human uplift studies",
    ],
    backgrounds: [
      "as an academic statistician",
      "in a clinical-trials unit",
      "in survey methodology at a national statistics office",
    ],
  },
  "Human-AI interaction": {
    phrase: "human-AI interaction",
    focus: [
      "run human-participant studies on trust in AI advice",
      "study over-reliance on AI assistants in expert work",
      "design studies of how well people spot AI-generated content",
      "research whether safety warnings in chat interfaces work",
      "measure how AI assistance changes novices' performance",
    ],
    topics: [
      "over-reliance",
      "human uplift studies",
      "trust calibration",
      "interface design for safety",
      "detection of AI-generated content",
    ],
    skills: [
      "user research",
      "human-participant studies",
      "psychometrics",
      "usability testing",
      "qualitative analysis",
      "research ethics",
    ],
    papers: [
      "Over-reliance on AI advice in high-stakes decisions",
      "Can people tell? Detecting AI-generated text",
      "Trust calibration in AI assistants",
      "Designing human uplift studies ethically",
    ],
    backgrounds: ["in human-computer interaction research", "as a UX researcher in government"],
  },
  "Safety cases": {
    phrase: "safety cases",
    focus: [
      "write and review safety cases for frontier model deployments",
      "develop templates for inability arguments built on evaluations",
      "study how assurance practice from other industries applies to AI",
      "work with developers on the evidence behind their safety frameworks",
      "assess control-based safety cases for internal deployments",
    ],
    topics: [
      "assurance cases",
      "inability arguments",
      "frontier safety frameworks",
      "third-party review of safety cases",
    ],
    skills: [
      "assurance cases",
      "Goal Structuring Notation",
      "risk assessment",
      "technical writing",
      "systems safety",
      "hazard analysis",
    ],
    papers: [
      "Safety cases for frontier AI: a sketch",
      "Inability arguments from dangerous-capability evaluations",
      "Lessons for AI from nuclear and aviation assurance",
      "Reviewing frontier safety frameworks",
    ],
    backgrounds: ["in safety assurance for aviation", "in nuclear safety regulation"],
  },
  "Forecasting & horizon scanning": {
    phrase: "forecasting",
    focus: [
      "forecast capability trends to inform the institute's priorities",
      "track compute and investment in frontier AI development",
      "run expert elicitation on when dangerous capabilities might emerge",
      "scan for emerging risks from new model architectures",
      "maintain the institute's indicators of AI progress",
    ],
    topics: [
      "compute trends",
      "expert elicitation",
      "capability forecasting",
      "horizon scanning",
      "scenario planning",
    ],
    skills: [
      "forecasting",
      "scenario planning",
      "trend analysis",
      "expert elicitation",
      "data visualisation",
    ],
    papers: [
      "Trends in training compute for frontier models",
      "Expert forecasts of dangerous capabilities",
      "Indicators of AI progress: a dashboard",
      "Scenario planning for advanced AI",
    ],
    backgrounds: ["at a forecasting platform", "as an analyst in a government strategy unit"],
  },
};

export const GENERIC_BACKGROUNDS = [
  "as a software engineer at a large technology company",
  "in a university machine learning group",
  "in the civil service",
  "at a machine learning start-up",
  "as a data scientist in financial services",
  "at a national laboratory",
  "on a PhD in machine learning",
  "at a non-profit AI safety research organisation",
  "as a technology policy consultant",
];

export const YEARS = ["two", "three", "four", "five", "six", "seven", "eight", "ten", "twelve"];

// --- Teams ----------------------------------------------------------------------------------

export type Kind = "research" | "engineering" | "policy";

export type Team = {
  name: string;
  area: ExpertiseAreaName;
  related: readonly ExpertiseAreaName[];
  head: string;
  leads: readonly string[];
  titles: readonly (readonly [string, number])[];
};

export const TEAMS: readonly Team[] = [
  {
    name: "Evaluations",
    area: "Evaluations",
    related: [
      "Red-teaming",
      "Autonomy & agents",
      "Cyber security",
      "Chemical & biological risk",
      "Statistics & measurement",
      "Safety cases",
    ],
    head: "Head of evaluations",
    leads: ["Evaluation lead", "Workstream lead, pre-deployment testing"],
    titles: [
      ["Research scientist", 4],
      ["Senior research scientist", 2],
      ["Research engineer", 4],
      ["Senior research engineer", 2],
      ["Member of technical staff", 2],
      ["Evaluation scientist", 1],
    ],
  },
  {
    name: "Red Team",
    area: "Red-teaming",
    related: ["Model safeguards", "Evaluations", "Cyber security", "Human-AI interaction"],
    head: "Head of red-teaming",
    leads: ["Red-team lead"],
    titles: [
      ["Red-team researcher", 4],
      ["Research engineer", 3],
      ["Research scientist", 2],
      ["Adversarial testing specialist", 1],
      ["Member of technical staff", 1],
    ],
  },
  {
    name: "Interpretability",
    area: "Interpretability",
    related: ["Alignment research", "Evaluations", "Statistics & measurement", "Model safeguards"],
    head: "Head of interpretability",
    leads: ["Research lead, interpretability"],
    titles: [
      ["Research scientist", 4],
      ["Senior research scientist", 2],
      ["Research engineer", 3],
      ["Postdoctoral research fellow", 1],
    ],
  },
  {
    name: "Cyber",
    area: "Cyber security",
    related: ["Evaluations", "Autonomy & agents", "AI security (model weights)", "Red-teaming"],
    head: "Head of cyber",
    leads: ["Cyber evaluations lead"],
    titles: [
      ["Cyber security researcher", 4],
      ["Research engineer", 3],
      ["Offensive security engineer", 2],
      ["Research scientist", 2],
      ["Technical staff, cyber ranges", 1],
    ],
  },
  {
    name: "Chem-Bio",
    area: "Chemical & biological risk",
    related: ["Evaluations", "Red-teaming", "Policy & governance", "Model safeguards"],
    head: "Head of chem-bio",
    leads: ["Chem-bio evaluations lead"],
    titles: [
      ["Research scientist", 4],
      ["Biosecurity specialist", 2],
      ["Computational biologist", 2],
      ["Research engineer", 2],
      ["Chemist, risk assessment", 1],
    ],
  },
  {
    name: "Societal Resilience",
    area: "Societal impacts",
    related: [
      "Human-AI interaction",
      "Policy & governance",
      "Statistics & measurement",
      "Forecasting & horizon scanning",
    ],
    head: "Head of societal resilience",
    leads: ["Research lead, societal impacts"],
    titles: [
      ["Research scientist", 3],
      ["Social scientist", 3],
      ["Senior research scientist", 1],
      ["Research engineer", 1],
      ["Economist", 1],
    ],
  },
  {
    name: "Policy & International",
    area: "Policy & governance",
    related: [
      "Societal impacts",
      "Safety cases",
      "Forecasting & horizon scanning",
      "AI security (model weights)",
    ],
    head: "Head of international policy",
    leads: ["Policy lead"],
    titles: [
      ["Policy advisor", 4],
      ["Senior policy advisor", 2],
      ["Policy analyst", 2],
      ["Technical policy advisor", 2],
      ["International partnerships manager", 1],
    ],
  },
  {
    name: "Alignment",
    area: "Alignment research",
    related: ["Interpretability", "Model safeguards", "Evaluations", "Autonomy & agents"],
    head: "Head of alignment",
    leads: ["Research lead, alignment"],
    titles: [
      ["Research scientist", 4],
      ["Senior research scientist", 2],
      ["Research engineer", 3],
      ["Member of technical staff", 1],
    ],
  },
  {
    name: "Safeguards",
    area: "Model safeguards",
    related: ["Red-teaming", "Alignment research", "Evaluations", "Human-AI interaction"],
    head: "Head of safeguards",
    leads: ["Safeguards lead"],
    titles: [
      ["Research scientist", 3],
      ["Research engineer", 3],
      ["Machine learning engineer", 2],
      ["Member of technical staff", 1],
    ],
  },
  {
    name: "Security",
    area: "AI security (model weights)",
    related: ["Cyber security", "Policy & governance", "Evaluations infrastructure"],
    head: "Head of AI security",
    leads: ["Security research lead"],
    titles: [
      ["Security researcher", 3],
      ["Security engineer", 3],
      ["Research engineer", 1],
      ["Technical policy advisor", 1],
    ],
  },
  {
    name: "Autonomous Systems",
    area: "Autonomy & agents",
    related: ["Evaluations", "Cyber security", "Alignment research", "Evaluations infrastructure"],
    head: "Head of autonomous systems",
    leads: ["Agents evaluation lead"],
    titles: [
      ["Research scientist", 3],
      ["Research engineer", 4],
      ["Senior research engineer", 2],
      ["Member of technical staff", 1],
    ],
  },
  {
    name: "Platform Engineering",
    area: "Evaluations infrastructure",
    related: ["Evaluations", "AI security (model weights)", "Autonomy & agents"],
    head: "Head of platform engineering",
    leads: ["Engineering manager"],
    titles: [
      ["Software engineer", 4],
      ["Senior software engineer", 2],
      ["Research engineer", 2],
      ["Platform engineer", 2],
      ["Site reliability engineer", 1],
    ],
  },
  {
    name: "Science of Evaluations",
    area: "Statistics & measurement",
    related: [
      "Evaluations",
      "Societal impacts",
      "Forecasting & horizon scanning",
      "Human-AI interaction",
    ],
    head: "Head of science of evaluations",
    leads: ["Measurement lead"],
    titles: [
      ["Research scientist", 3],
      ["Statistician", 2],
      ["Data scientist", 2],
      ["Research engineer", 1],
    ],
  },
  {
    name: "Human Factors",
    area: "Human-AI interaction",
    related: ["Societal impacts", "Evaluations", "Model safeguards", "Statistics & measurement"],
    head: "Head of human factors",
    leads: ["Human studies lead"],
    titles: [
      ["Research scientist", 3],
      ["User researcher", 2],
      ["Cognitive scientist", 1],
      ["Research engineer", 1],
    ],
  },
  {
    name: "Safety Cases",
    area: "Safety cases",
    related: [
      "Policy & governance",
      "Evaluations",
      "Alignment research",
      "Statistics & measurement",
    ],
    head: "Head of safety cases",
    leads: ["Safety case lead"],
    titles: [
      ["Research scientist", 3],
      ["Assurance specialist", 2],
      ["Technical policy advisor", 1],
      ["Research engineer", 1],
    ],
  },
  {
    name: "Strategy & Forecasting",
    area: "Forecasting & horizon scanning",
    related: [
      "Policy & governance",
      "Statistics & measurement",
      "Societal impacts",
      "Autonomy & agents",
    ],
    head: "Head of strategy",
    leads: ["Forecasting lead"],
    titles: [
      ["Research analyst", 3],
      ["Forecaster", 2],
      ["Policy analyst", 2],
      ["Research scientist", 1],
    ],
  },
];

export function kindOf(title: string): Kind {
  const t = title.toLowerCase();
  if (/engineer|technical staff|platform/.test(t)) return "engineering";
  if (/policy|partnerships|analyst|strategy/.test(t)) return "policy";
  return "research";
}

export const KIND_SKILLS: Record<Kind, readonly string[]> = {
  research: ["Python", "PyTorch", "LaTeX", "scientific writing", "peer review", "NumPy"],
  engineering: ["Python", "PyTorch", "Kubernetes", "Docker", "Inspect", "Rust", "Go", "AWS"],
  policy: [
    "briefing writing",
    "stakeholder engagement",
    "Cabinet-level briefings",
    "programme management",
    "interagency coordination",
  ],
};

// --- Where people are -----------------------------------------------------------------------

export type Region = {
  domain: string;
  locations: readonly (readonly [string, number])[];
  languages: readonly (readonly [string, number])[];
  /** Always spoken first. */
  firstLanguages: readonly string[];
  firstNames: readonly string[];
  lastNames: readonly string[];
  /** Share of people named from the region's own lists rather than the broad international ones. */
  regional: number;
};

/** A list of names written as one comma-separated string (names may contain spaces). */
function names(list: string): readonly string[] {
  return list.split(/,\s*/);
}

export const BROAD_FIRST = names(
  "Amara, Adebayo, Aisha, Alejandro, Ana, Anika, Arjun, Beatriz, Ben, Caitlin, Carlos, Chen, Chiara, Chloe, Daniel, Deepa, Diego, Elif, Emeka, Emily, Esther, Fatima, Felix, Grace, Hamza, Hannah, Ibrahim, Imani, Isabel, Jae-won, James, Javier, Jin, Joanna, Jonah, Kavya, Kofi, Laila, Leah, Lucas, Mai, Malik, Marcus, María, Mateo, Maya, Mei, Mohammed, Nadia, Naomi, Nikhil, Noah, Nomvula, Olga, Oliver, Omar, Oscar, Paulina, Rafael, Rania, Ravi, Rebecca, Rohan, Rosa, Ruth, Samuel, Sara, Sebastian, Shira, Sofia, Sunita, Tariq, Thandiwe, Theo, Tomasz, Valentina, Vikram, Wei, Xin, Yara, Yasmin, Yusuf, Zainab, Zara, Zoe, Kwame, Ingrid, Lars, Anya, Dmitri, Farah, Gabriel, Hana, Inés, Kenji, Lucía, Mariam, Nnamdi, Pedro, Sanjay",
);

export const BROAD_LAST = names(
  "Abara, Adeyemi, Ahmed, Alvarez, Anderson, Bakshi, Banerjee, Becker, Bianchi, Brooks, Campbell, Castillo, Chaudhry, Chen, Cohen, Costa, da Silva, Diallo, Dubois, Edwards, Eze, Fernandes, Fischer, Fitzgerald, García, Goldberg, Gómez, Gupta, Haddad, Hassan, Hernández, Hoang, Iyer, Jackson, Jensen, Johnson, Kapoor, Kaur, Kim, Kowalski, Kumar, Lee, Levi, Li, Lindqvist, López, Mahmoud, Malik, Martin, Mbeki, Mendes, Menon, Mensah, Moreno, Murphy, Nakamura, Nguyen, Novak, Nwosu, O'Brien, Okonkwo, Olsen, Ortiz, Osei, Patel, Petrova, Pham, Ramírez, Reddy, Rossi, Sánchez, Santos, Schmidt, Shah, Singh, Sokolov, Suleiman, Tan, Thompson, Torres, Tran, Usman, van der Berg, Vargas, Walker, Wang, Williams, Wong, Yılmaz, Zhang, Zieliński, Castro",
);

export const REGIONS: Record<string, Region> = {
  "US-AISI": {
    domain: "us-aisi.example",
    locations: [
      ["Washington DC", 5],
      ["San Francisco", 3],
      ["Gaithersburg", 2],
      ["Boulder", 1],
      ["New York", 1],
    ],
    firstLanguages: ["English"],
    languages: [
      ["Spanish", 15],
      ["French", 5],
      ["Mandarin", 5],
      ["Hindi", 4],
      ["German", 3],
      ["Korean", 3],
      ["Portuguese", 3],
      ["Arabic", 2],
      ["Vietnamese", 2],
      ["Russian", 2],
    ],
    firstNames: names(
      "Tyler, Madison, DeShawn, Brianna, Cody, Jasmine, Austin, Kayla, Hunter, Alexis, Jamal, Savannah, Miguel, Ashley",
    ),
    lastNames: names(
      "Washington, Rivera, Sullivan, Carter, Bennett, Reyes, Brown, Miller, Davis, Wilson, Moore, Nelson, Flores",
    ),
    regional: 0.35,
  },
  "UK-AISI": {
    domain: "uk-aisi.example",
    locations: [
      ["London", 7],
      ["Bristol", 1],
      ["Edinburgh", 1],
      ["Manchester", 1],
      ["Cambridge", 1],
    ],
    firstLanguages: ["English"],
    languages: [
      ["French", 12],
      ["Spanish", 8],
      ["German", 6],
      ["Welsh", 5],
      ["Hindi", 4],
      ["Urdu", 4],
      ["Mandarin", 4],
      ["Punjabi", 3],
      ["Polish", 3],
      ["Italian", 3],
      ["Arabic", 2],
      ["Scottish Gaelic", 1],
    ],
    firstNames: names(
      "Rhys, Siobhán, Callum, Eilidh, Niamh, Gareth, Freya, Alfie, Imogen, Hamish, Priya, Dylan, Harriet, Ciarán, Bethan, Rory",
    ),
    lastNames: names(
      "Jones, Davies, Evans, MacLeod, Patterson, Whitaker, Begum, Hussain, Morgan, Llewellyn, Fraser, Taylor, Robertson, Clarke",
    ),
    regional: 0.4,
  },
  "CA-AISI": {
    domain: "ca-aisi.example",
    locations: [
      ["Toronto", 3],
      ["Montréal", 3],
      ["Ottawa", 2],
      ["Vancouver", 1],
    ],
    firstLanguages: ["English"],
    languages: [
      ["French", 45],
      ["Mandarin", 5],
      ["Punjabi", 4],
      ["Spanish", 4],
      ["Cantonese", 3],
      ["Tagalog", 2],
    ],
    firstNames: names(
      "Émilie, Mathieu, Geneviève, Étienne, Chantal, Liam, Ayesha, Harpreet, Olivier, Camille, Jasleen, Noémie",
    ),
    lastNames: names(
      "Tremblay, Gagnon, Roy, Côté, Bouchard, Gill, Sandhu, Leblanc, Pelletier, Bergeron, MacDonald",
    ),
    regional: 0.4,
  },
  "JP-AISI": {
    domain: "jp-aisi.example",
    locations: [
      ["Tokyo", 6],
      ["Kyoto", 1],
      ["Osaka", 1],
    ],
    firstLanguages: ["Japanese", "English"],
    languages: [
      ["Korean", 5],
      ["Mandarin", 5],
      ["French", 3],
      ["German", 2],
    ],
    firstNames: names(
      "Haruto, Yui, Sota, Aoi, Ren, Hina, Takumi, Sakura, Kenji, Yuki, Daiki, Mio, Hiroshi, Naoko, Shun, Emi, Kaito, Rina",
    ),
    lastNames: names(
      "Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto, Nakamura, Kobayashi, Kato, Yoshida, Yamada, Sasaki, Matsumoto, Inoue, Kimura, Hayashi, Shimizu",
    ),
    regional: 0.85,
  },
  "SG-AISI": {
    domain: "sg-aisi.example",
    locations: [["Singapore", 1]],
    firstLanguages: ["English"],
    languages: [
      ["Mandarin", 50],
      ["Malay", 25],
      ["Tamil", 12],
      ["Hokkien", 5],
      ["Cantonese", 5],
      ["Hindi", 3],
    ],
    firstNames: names(
      "Wei Ling, Jun Jie, Hui Min, Zhi Hao, Siti, Nurul, Hafiz, Arjun, Kavitha, Darren, Rachel, Bryan, Charmaine, Jia Hui, Farhan, Shanti",
    ),
    lastNames: names(
      "Tan, Lim, Lee, Ng, Ong, Wong, Goh, Chua, Koh, Teo, Rahman, Ismail, Pillai, Nair, Krishnan, Chong, Yeo",
    ),
    regional: 0.8,
  },
};

export function regionFor(instituteCode: string): Region {
  return (
    REGIONS[instituteCode] ?? {
      domain: `${instituteCode.toLowerCase()}.example`,
      locations: [["", 1]],
      firstLanguages: ["English"],
      languages: [
        ["French", 10],
        ["Spanish", 10],
        ["Mandarin", 5],
      ],
      firstNames: names(""),
      lastNames: names(""),
      regional: 0,
    }
  );
}

/** The demo email domain of an institute: US-AISI → us-aisi.example. */
export function emailDomain(instituteCode: string) {
  return regionFor(instituteCode).domain;
}

export function emailPart(name: string) {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ı/g, "i")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/\s+/g, "-")
    .replace(/[^a-z-]/g, "");
}
