// Bundles the site's npm dependencies (snarkjs, circomlibjs's Poseidon) into one browser script,
// zkmargin/site/assets/vendor.js, which `zkmargin site` copies into every site. Run by
// `npm install` (package.json's "prepare"); no network, nothing fetched at run time.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const modules = join(root, "node_modules");
// One ffjavascript for both: snarkjs's own copy (circomlibjs asks for an older one, whose field
// arithmetic the Poseidon code uses identically).
const snarkjsRequire = createRequire(join(modules, "snarkjs", "package.json"));
const ffjavascript = browserBuild(snarkjsRequire.resolve("ffjavascript"));

// The browser entry a package exports (an alias skips esbuild's own package resolution).
function browserBuild(file) {
  let dir = dirname(file);
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  return join(dir, manifest.exports["."].browser);
}

// The site hashes with Poseidon of widths 3 (tree nodes) and 17 (the sponge) only; the other
// widths' constants would be ~1.4 MB of the bundle.
const WIDTHS = [3, 17];
const onlyUsedWidths = {
  name: "poseidon-widths",
  setup(b) {
    b.onLoad({ filter: /poseidon_constants_opt\.js$/ }, ({ path }) => {
      const text = readFileSync(path, "utf8").replace(/^\s*export default/, "");
      const all = JSON.parse(text);
      const kept = Object.fromEntries(
        Object.entries(all).map(([k, byWidth]) => [
          k,
          byWidth.map((c, i) => (WIDTHS.includes(i + 2) ? c : [])),
        ]),
      );
      return { contents: `export default ${JSON.stringify(kept)};`, loader: "js" };
    });
  },
};

await build({
  entryPoints: [join(here, "js", "entry.js")],
  outfile: join(here, "assets", "vendor.js"),
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  legalComments: "eof",
  logLevel: "warning",
  plugins: [onlyUsedWidths],
  alias: {
    // circomlibjs's package exports hide its sources; the Poseidon module alone is wanted.
    "circomlibjs/src/poseidon_opt.js": join(modules, "circomlibjs", "src", "poseidon_opt.js"),
    ffjavascript,
    assert: join(here, "js", "assert.js"),
  },
});
