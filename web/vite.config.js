import { defineConfig } from 'vite';

// The Rust server serves dist/ at "/", but relative asset URLs keep the build
// usable under any prefix. `npm run dev` proxies the API to a running server.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // MapLibre's worker ships as .mjs; emit it as .js so any static server
        // sends it with a JavaScript MIME type (module workers require one).
        assetFileNames: (asset) =>
          (asset.names?.[0] ?? '').endsWith('.mjs') ? 'assets/[name]-[hash].js' : 'assets/[name]-[hash][extname]',
      },
    },
  },
  server: {
    proxy: {
      '/api': process.env.KUMUH_API || 'http://127.0.0.1:8080',
      // Vector tiles; their TileJSON names tile URLs on the host asked, i.e. this proxy.
      '/tiles': process.env.KUMUH_API || 'http://127.0.0.1:8080',
    },
  },
});
