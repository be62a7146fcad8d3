// The standard pages of a joint testing exercise, created with the workspace. Their headings are
// the ones the partnership's testing agreements use, so every exercise reads the same way.

export const JOINT_TESTING_PAGES = [
  {
    title: "Test plan",
    body: `# Test plan

## Model and version under test

## Questions this exercise answers

## Evaluations to run
| Evaluation | Lead institute | Domain | Status |
| --- | --- | --- | --- |

## Schedule

## Division of work between the institutes
`,
  },
  {
    title: "Model access",
    body: `# Model access

## Access arrangement
Who grants access, for how long, through which interface.

## Accounts and credentials
Never paste credentials on this page: record only who holds them.

## Rate limits and quotas

## Restrictions agreed with the developer
`,
  },
  {
    title: "Findings",
    body: `# Findings

Record each finding with the evaluation that produced it, the evidence, and how confident you are.

## Finding 1
- **Evaluation:**
- **Observed behaviour:**
- **Evidence:**
- **Confidence:**
`,
  },
  {
    title: "Report",
    body: `# Report

## Summary

## Method

## Results

## Limitations

## Recommendations
`,
  },
] as const;
