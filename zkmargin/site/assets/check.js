// "Check my account": the receipt is read from the file input and checked in this browser against
// the report of its epoch — leaf, Merkle path to the batch root and the snapshot root, the proven
// index range, the statement hash and the batch's Groth16 proof. Nothing is sent anywhere; every
// report's check data is loaded with the page, so the check also works offline afterwards.
import { grouped, h, loadJSON, table } from "./common.js";
import { Mismatch, encodings } from "./encoding.js";

const form = document.getElementById("form");
const input = document.getElementById("receipt");
const button = document.getElementById("check");
const status = document.getElementById("status");
const result = document.getElementById("result");
const verdict = document.getElementById("verdict");
const reason = document.getElementById("reason");
const steps = document.getElementById("steps");
const accountView = document.getElementById("account");

let reports = []; // [{ check, encode }]

async function load() {
  const site = await loadJSON("data/site.json");
  reports = await Promise.all(
    site.reports.map(async (r) => {
      const check = await loadJSON(r.check);
      return { check, encode: await encodings(check) };
    }),
  );
  const epochs = reports.map((r) => r.check.epoch).join(", ");
  status.textContent = `Ready: receipts of ${epochs} can be checked.`;
  button.disabled = false;
  document.body.dataset.ready = "yes";
}

function require(ok, problem) {
  if (!ok) throw new Mismatch(problem);
}

function count(value, what) {
  require(Number.isSafeInteger(value) && value >= 0, `${what} is not a count`);
  return value;
}

// Throws Mismatch naming the first thing that differs from what the report proves.
async function checkReceipt(receipt, done) {
  require(receipt && typeof receipt === "object" && !Array.isArray(receipt), "the file is not a receipt");
  const report = reports.find((r) => r.check.epoch === receipt.epoch);
  require(report, `no report of epoch ${JSON.stringify(receipt.epoch)} on this site`);
  const { check, encode } = report;
  require(receipt.format === check.receipt_format, `the receipt's format is not ${check.receipt_format}`);
  const account = receipt.account;
  require(account && typeof account.id === "string", "the receipt holds no account");
  const batchNo = count(receipt.batch, "batch");
  const position = count(receipt.position, "position");
  const index = count(receipt.index, "index");
  require(batchNo < check.batches.length, `batch ${batchNo} is not in the report`);
  const batch = check.batches[batchNo];
  const st = batch.statement;
  require(position < Number(st.count), `position ${position} is outside the batch's proven range`);
  require(index === Number(st.first_index) + position, "the index is not the batch's first index + position");
  require(
    Array.isArray(receipt.siblings) && receipt.siblings.length === check.batch_depth + check.top_depth,
    "the Merkle path has the wrong length",
  );
  const siblings = receipt.siblings.map((s, i) => encode.element(s, `sibling ${i}`));

  const secret = encode.element(receipt.secret, "the secret");
  const leaf = encode.leaf(account, encode.element(receipt.salt, "the salt"), secret);
  require(leaf === encode.element(receipt.leaf, "the leaf"), "the account data, id, secret or salt do not give the committed leaf");
  done("the account's data, id, secret and salt give its committed leaf");

  const batchRoot = encode.rootFromPath(leaf, position, siblings.slice(0, check.batch_depth));
  require(batchRoot === BigInt(st.batch_root), `the Merkle path does not lead to batch ${batchNo}'s root`);
  done(`the leaf is at position ${position} of batch ${batchNo}, inside its proven range`);

  const root = encode.rootFromPath(batchRoot, batchNo, siblings.slice(check.batch_depth));
  require(root === BigInt(check.root), "the batch root does not lead to the snapshot's account root");
  done("the batch lies under the snapshot's account root");

  require(st.market_hash === check.market_hash, "the batch's market commitment is not the report's");
  require(st.circuit_id === check.circuit_id, "the batch's circuit is not the report's");
  require(st.epoch === check.epoch_seconds, "the batch's epoch is not the report's");
  const hash = encode.statementHash(st, batch.statement_fields);
  // The proof's public inputs: the statement hash, or (keys of statement=fields) the fields.
  const byFields = check.statement_public === "fields";
  require(hash === BigInt(batch.statement_hash), "the batch's statement does not hash to its stated hash");
  done(byFields ? "the batch's statement fields are the proof's public inputs" : "the batch's statement hashes to the proof's public input");

  const publics = byFields ? encode.statementFields(st, batch.statement_fields) : [hash];
  const ok = await globalThis.zkVendor.groth16.verify(check.verification_key, publics.map(String), batch.proof);
  require(ok, `batch ${batchNo}'s Groth16 proof does not verify`);
  done("the batch's Groth16 proof verifies under the published key");
  return { check, batchNo, index };
}

function showAccount(receipt, { check, batchNo, index }) {
  const a = receipt.account;
  const rows = (obj) => Object.entries(obj ?? {}).map(([k, v]) => [k, grouped(v)]);
  const proven = check.proves_cover
    ? `Proven: its collateral value covers its ${check.level} margin requirement plus a ${check.buffer_percent} % buffer.`
    : `Proven: it is counted, in its health state against its ${check.level} and initial requirements, in the batch's published totals.`;
  accountView.replaceChildren(
    ...[
    h("h3", {}, `Account ${a.id}`),
    h("p", {}, `Snapshot ${check.epoch}, batch ${batchNo}, index ${grouped(index)} in the snapshot.`),
    h("p", { id: "requirement" }, proven),
    h("h4", {}, "Positions, as committed"),
    Object.keys(a.positions ?? {}).length ? table(["instrument", "quantity"], rows(a.positions), { id: "positions" }) : h("p", { id: "positions" }, "none"),
    h("h4", {}, "Collateral, as committed"),
    Object.keys(a.collateral ?? {}).length ? table(["asset", "balance"], rows(a.collateral), { id: "collateral" }) : h("p", { id: "collateral" }, "none"),
    a.isolated ? [h("h4", {}, "Isolated margin balances"), table(["instrument", "balance"], rows(a.isolated))] : null,
    h("p", { class: "note" }, "Compare these with your own records: they are exactly what the exchange committed to."),
    ].flat().filter(Boolean),
  );
}

async function run() {
  const file = input.files[0];
  if (!file || button.disabled) return;
  result.hidden = false;
  steps.replaceChildren();
  accountView.replaceChildren();
  verdict.className = "";
  verdict.textContent = "checking…";
  reason.textContent = file.name;
  const done = (text) => steps.append(h("li", { class: "passed" }, text));
  try {
    let receipt;
    try {
      receipt = JSON.parse(await file.text());
    } catch {
      throw new Mismatch("the file is not JSON");
    }
    const found = await checkReceipt(receipt, done);
    verdict.textContent = "verified";
    verdict.className = "verified";
    reason.textContent = "Your account, exactly as shown below, is in the proven snapshot.";
    showAccount(receipt, found);
  } catch (err) {
    verdict.textContent = "does not match";
    verdict.className = "mismatch";
    reason.textContent = err instanceof Mismatch ? `${err.message}.` : `the check failed: ${err.message}`;
  }
  document.body.dataset.checked = verdict.className;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
input.addEventListener("change", run);

load().catch((err) => {
  status.textContent = `The report could not be loaded: ${err.message}`;
  document.body.dataset.ready = "failed";
});
