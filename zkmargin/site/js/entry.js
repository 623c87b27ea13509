// The site's third-party code, bundled by zkmargin/site/bundle.mjs into assets/vendor.js:
// snarkjs's Groth16 verifier and circomlibjs's Poseidon (the same parameters as zkmargin.hash).
import { groth16 } from "snarkjs";
import buildPoseidon from "circomlibjs/src/poseidon_opt.js";

globalThis.zkVendor = { groth16, buildPoseidon };
