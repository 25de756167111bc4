import { defineConfig } from 'vite';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

// The service worker keeps what the first visit loaded, but the siteplan panel, the
// drawing editor, the print view and the offline reader are chunks loaded on first use:
// this lists every built script and style in index.html (`#viewer-files`), so that the
// page can ask the worker to keep them too and the offline map opens with no server.
function listBuiltFiles() {
  return {
    name: 'kumuh-list-built-files',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        const files = Object.keys(bundle ?? {})
          .filter((name) => /\.(js|css)$/.test(name))
          .sort();
        // MapLibre's worker script is asked for by the worker, which starts only once the
        // entry chunk has run: fetched now, beside the entry, it is in the HTTP cache by then
        // (build assets are cached as immutable).
        const worker = files.find((name) => /maplibre-gl-worker-[\w-]+\.js$/.test(name));
        return [
          { tag: 'script', attrs: { type: 'application/json', id: 'viewer-files' }, children: JSON.stringify(files), injectTo: 'head' },
          ...(worker ? [{ tag: 'link', attrs: { rel: 'preload', as: 'fetch', crossorigin: 'anonymous', href: `./${worker}` }, injectTo: 'head-prepend' }] : []),
        ];
      },
    },
  };
}

// Beside every built script, style and glyph file, its gzipped copy (NAME.gz), which the
// server sends to browsers that take gzip instead of compressing the file on every request
// (crates/server/src/assets.rs): compressed once here, at the strongest level.
function gzipBuiltFiles() {
  let outDir = 'dist';
  return {
    name: 'kumuh-gzip-built-files',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const walk = (dir) =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
      for (const file of walk(outDir).filter((f) => /\.(js|css|pbf)$/.test(f))) {
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(data, { level: constants.Z_BEST_COMPRESSION }));
      }
    },
  };
}

// The Rust server serves dist/ at "/", but relative asset URLs keep the build
// usable under any prefix. `npm run dev` proxies the API to a running server.
export default defineConfig({
  base: './',
  plugins: [listBuiltFiles(), gzipBuiltFiles()],
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
