import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const ROUTES_CALL_SERVICES =
  "Routes do not query the database: call a service of the module (app/modules/<domain>), which checks what the user may do.";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "build-bench/**",
      "app/generated/**",
      "node_modules/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { react, "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    settings: { react: { version: "18" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.configs.recommended.rules,
      "react/prop-types": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  { files: ["**/*.{js,mjs}"], languageOptions: { globals: globals.node } },
  {
    // "Now" comes from one clock that tests can move (app/lib/clock.ts, decision 006). Elapsed-time
    // measurement (benchmarks, timeouts) uses performance.now() or lives outside these folders.
    files: [
      "app/**/*.{ts,tsx}",
      "server/**/*.ts",
      "emails/**/*.{ts,tsx}",
      "prisma/**/*.ts",
      "scripts/*.ts",
      "scripts/scale/**/*.ts",
      "test/factories/**/*.ts",
    ],
    ignores: ["app/lib/clock.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "Read the time with clock.now() from ~/lib/clock, which tests can move.",
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "Read the time with clock.ms() from ~/lib/clock, which tests can move.",
        },
      ],
    },
  },
  {
    // Routes are thin: a loader or action calls a module's service, which holds the query and the
    // authorisation check together, so that no route can forget the check.
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/lib/db.server"],
              message: ROUTES_CALL_SERVICES,
            },
            {
              // Its types (a payload's shape) are fine; the client and its values are not.
              group: ["**/generated/prisma/client"],
              allowTypeImports: true,
              message: ROUTES_CALL_SERVICES,
            },
          ],
        },
      ],
    },
  },
  {
    // Every form that posts must carry the anti-forgery token, or a browser that sends neither
    // Origin nor Sec-Fetch-Site is refused (app/lib/csrf.server.ts): the app's Form adds it.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/components/form.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@remix-run/react",
              importNames: ["Form"],
              message: "Use Form from ~/components/form, which adds the anti-forgery token.",
            },
          ],
        },
      ],
    },
  },
  {
    // Configuration reaches the running portal through one validated schema (app/lib/env.server.ts),
    // which says clearly what is missing or wrong at start-up. app/routes.ts runs in the build.
    files: ["app/**/*.{ts,tsx}", "server/**/*.ts"],
    ignores: ["app/lib/env.server.ts", "app/routes.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read configuration through getEnv() from ~/lib/env.server.",
        },
      ],
    },
  },
  prettier,
);
