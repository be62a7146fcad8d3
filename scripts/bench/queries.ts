import type { Inventory } from "./inspect";

// The search side of the benchmark: a varied, repeatable set of directory URLs built from values
// that exist in the database (names, expertise areas, locations, institutes).

const TOPICS = [
  "interpretability",
  "red teaming",
  "cyber",
  "evaluations",
  "biosecurity",
  "alignment",
  "policy",
  "sparse autoencoders",
  "jailbreak",
  "model weights security",
];

const MULTIWORD = [
  "interpretability circuits",
  "cyber security evaluations",
  "red teaming safeguards",
  "policy governance standards",
  "dangerous capability evaluations",
];

/** A one-letter slip in the middle of a word: two neighbouring letters swapped. */
export function typo(word: string) {
  if (word.length < 4) return word;
  const i = Math.floor(word.length / 2) - 1;
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

function url(params: Record<string, string | string[]>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v) search.append(key, v);
  }
  const s = search.toString();
  return `/directory${s ? `?${s}` : ""}`;
}

/** Deterministic shuffle, so consecutive requests differ but every run sends the same mix. */
function shuffle<T>(items: T[], seed = 42) {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function searchPaths(
  inv: Pick<Inventory, "names" | "expertise" | "locations" | "institutes">,
): { path: string; kind: string }[] {
  const names = inv.names.filter((n) => n.includes(" "));
  const area = (i: number) => inv.expertise[i % Math.max(1, inv.expertise.length)]?.id ?? "";
  const location = (i: number) => inv.locations[i % Math.max(1, inv.locations.length)] ?? "";
  const institute = (i: number) =>
    inv.institutes[i % Math.max(1, inv.institutes.length)]?.code ?? "";
  const list: { path: string; kind: string }[] = [];
  const add = (kind: string, params: Record<string, string | string[]>) =>
    list.push({ kind, path: url(params) });

  for (const name of names.slice(0, 5)) add("full name", { q: name });
  for (const name of names.slice(5, 8)) add("first name", { q: name.split(" ")[0]! });
  for (const name of names.slice(8, 11)) add("surname", { q: name.split(" ").at(-1)! });
  for (const name of names.slice(0, 3))
    add("partial name", { q: name.split(" ").at(-1)!.slice(0, 4) });
  for (const name of names.slice(3, 6)) add("typo in name", { q: typo(name.split(" ").at(-1)!) });
  for (const topic of TOPICS) add("topic", { q: topic });
  for (const words of MULTIWORD) add("several words", { q: words });
  add("typo in topic", { q: typo("interpretability") });

  add("no query", {});
  add("facet: expertise", { expertise: area(0) });
  add("facet: expertise", { expertise: area(3) });
  add("facet: institute", { institute: institute(1) });
  add("facet: availability", { availability: "secondment" });
  add("facet: location", { location: location(0) });
  add("facets: institute + expertise", { institute: institute(2), expertise: area(1) });
  add("facets: three", {
    expertise: area(2),
    availability: "collaboration",
    location: location(1),
  });
  add("query + facet", { q: "interpretability", institute: institute(0) });
  add("query + facet", { q: "evaluations", availability: "secondment" });
  add("query + facets", { q: "security", expertise: [area(4), area(5)] });

  add("page 2", { page: "2" });
  add("page 3", { expertise: area(6), page: "3" });
  add("page 2 of a query", { q: "evaluations", page: "2" });
  add("page 3 of a query", { q: "research", page: "3" });

  const unique = [...new Map(list.map((e) => [e.path, e])).values()];
  return shuffle(unique);
}
