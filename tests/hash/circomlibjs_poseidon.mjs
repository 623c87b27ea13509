// Hash each input vector with circomlibjs's buildPoseidon.
// Usage: node circomlibjs_poseidon.mjs VECTORS.json  (JSON [[decimal, ...], ...]);
// prints JSON [decimal, ...]. Run with the repository root as cwd (to resolve node_modules).
import { readFileSync } from "node:fs";
import { buildPoseidon } from "circomlibjs";

const vectors = JSON.parse(readFileSync(process.argv[2], "utf8"));
const poseidon = await buildPoseidon();
const out = vectors.map((inputs) => poseidon.F.toString(poseidon(inputs.map(BigInt))));
process.stdout.write(JSON.stringify(out));
process.exit(0);
