import { connectDatabase, db, disconnectDatabase } from "~/lib/db.server";
import { ensureInstitute, ensureUser, UK_AISI, US_AISI } from "../test/factories";

// Demo data for a first look at the portal. Idempotent: running it again changes nothing new.
export const DEMO_PASSWORD = "partner-exchange-demo-2026";

export async function seed() {
  const us = await ensureInstitute(db, US_AISI);
  const uk = await ensureInstitute(db, UK_AISI);
  const password = DEMO_PASSWORD;

  const admin = await ensureUser(db, {
    email: "morgan.blake@uk-aisi.example",
    displayName: "Morgan Blake",
    jobTitle: "Systems administrator",
    team: "Digital",
    instituteId: uk.id,
    roles: ["ADMIN"],
    password,
  });

  const usHr = await ensureUser(db, {
    email: "jordan.rivera@us-aisi.example",
    displayName: "Jordan Rivera",
    jobTitle: "HR coordinator, international exchanges",
    team: "Human Capital",
    instituteId: us.id,
    roles: ["HR"],
    password,
  });
  const usManager = await ensureUser(db, {
    email: "priya.natarajan@us-aisi.example",
    displayName: "Priya Natarajan",
    jobTitle: "Evaluations lead",
    team: "Evaluations",
    instituteId: us.id,
    password,
  });
  const usStaff = await ensureUser(db, {
    email: "sam.okafor@us-aisi.example",
    displayName: "Sam Okafor",
    jobTitle: "Research engineer",
    team: "Evaluations",
    instituteId: us.id,
    lineManagerId: usManager.id,
    password,
  });
  const usStaff2 = await ensureUser(db, {
    email: "lena.park@us-aisi.example",
    displayName: "Lena Park",
    jobTitle: "Red-team researcher",
    team: "Evaluations",
    instituteId: us.id,
    lineManagerId: usManager.id,
    password,
  });

  const ukHr = await ensureUser(db, {
    email: "eleanor.hughes@uk-aisi.example",
    displayName: "Eleanor Hughes",
    jobTitle: "HR business partner",
    team: "People",
    instituteId: uk.id,
    roles: ["HR"],
    password,
  });
  const ukManager = await ensureUser(db, {
    email: "tom.whitfield@uk-aisi.example",
    displayName: "Tom Whitfield",
    jobTitle: "Head of interpretability",
    team: "Interpretability",
    instituteId: uk.id,
    password,
  });
  const ukStaff = await ensureUser(db, {
    email: "aisha.rahman@uk-aisi.example",
    displayName: "Aisha Rahman",
    jobTitle: "Research scientist",
    team: "Interpretability",
    instituteId: uk.id,
    lineManagerId: ukManager.id,
    password,
  });
  const ukStaff2 = await ensureUser(db, {
    email: "owen.griffiths@uk-aisi.example",
    displayName: "Owen Griffiths",
    jobTitle: "Cyber security researcher",
    team: "Cyber",
    instituteId: uk.id,
    lineManagerId: ukManager.id,
    password,
  });

  return {
    institutes: [us, uk],
    users: [admin, usHr, usManager, usStaff, usStaff2, ukHr, ukManager, ukStaff, ukStaff2],
  };
}

// Run directly: `npm run db:seed`
if (import.meta.url === `file://${process.argv[1]}`) {
  await connectDatabase();
  const { institutes, users } = await seed();
  console.log(
    `Seeded ${institutes.length} institutes and ${users.length} demo users (password: ${DEMO_PASSWORD}).`,
  );
  await disconnectDatabase();
}
