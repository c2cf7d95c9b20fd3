import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// vite-plugin-pwa builds the service worker from src/sw.ts with Workbox (injectManifest), so the
// app shell is precached with revisioned URLs and old caches are purged when a new worker
// activates. The manifest makes the app installable ("Tambahkan ke Layar Utama").
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  plugins: [
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      injectRegister: false,
      injectManifest: { globPatterns: ["**/*.{js,css,html,png,svg,webmanifest}"] },
      manifest: {
        name: "Siaga 112 — Petugas",
        short_name: "Siaga 112",
        description: "Penugasan darurat 112 untuk petugas Damkar, polisi dan ambulans",
        lang: "id",
        start_url: "/",
        scope: "/",
        display: "standalone",
        orientation: "portrait",
        background_color: "#ffffff",
        theme_color: "#b71c1c",
        icons: [
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
    }),
  ],
});
