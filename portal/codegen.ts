import type { CodegenConfig } from "@graphql-codegen/cli";

// Every operation of the portal is typed from the published contract: a field removed or changed
// in openapi/schema.graphql fails codegen (unknown field) or `tsc --noEmit` (a type that no longer
// fits), naming the field.
const config: CodegenConfig = {
  schema: "../openapi/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { Date: "string", DateTime: "string", Decimal: "string | number", JSON: "unknown" },
      },
    },
  },
};
export default config;
