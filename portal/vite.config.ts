/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served by `thaksa serve` at /portal/ (app/api/portal.py); `npm run dev` proxies the API to it.
export default defineConfig({
  base: "/portal/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      "/graphql": "http://127.0.0.1:8000",
      "/portal/config.json": "http://127.0.0.1:8000",
      "/portal/dev": "http://127.0.0.1:8000",
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test-setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
