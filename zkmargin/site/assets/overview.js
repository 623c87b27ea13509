// The overview: the claim in words and the proven figures of every report in data/site.json,
// the latest first, and for a chain of reports the same figures across epochs as charts.
import { barChart } from "./charts.js";
import { grouped, h, loadJSON, table } from "./common.js";

const main = document.getElementById("overview");

function figures(r) {
  const rows = [
    ["accounts", grouped(r.totals.accounts)],
    ["collateral value", grouped(r.totals.collateral_value)],
    [`${r.level} requirement`, grouped(r.totals.requirement)],
  ];
  if (r.states) {
    for (const [state, count] of Object.entries(r.states)) rows.push([state, grouped(count)]);
    rows.push(["liquidation shortfall", grouped(r.shortfall)]);
  }
  for (const [name, value] of Object.entries(r.other_totals ?? {})) rows.push([name, grouped(value)]);
  if (r.excluded) rows.push(["left out (listed in the report)", grouped(r.excluded)]);
  return rows;
}

function reportSection(r, latest) {
  const assets = Object.entries(r.totals.assets).map(([a, v]) => [a, grouped(v)]);
  const batches = r.batches.map((b) => [
    String(b.index),
    `${grouped(b.first)} – ${grouped(b.last)}`,
    grouped(b.count),
  ]);
  const body = [
    h("p", { class: "claim" }, r.claim),
    h("h3", {}, "Totals"),
    table(["", "proven total"], figures(r), { class: "totals" }),
    h("p", { class: "note" }, "Money in the market's price unit; balances in each asset's own unit."),
    h("h3", {}, "Balances per asset"),
    table(["asset", "total balance"], assets, { class: "assets" }),
    h("h3", {}, "Commitments"),
    h(
      "dl",
      { class: "hashes" },
      h("dt", {}, "epoch"), h("dd", {}, r.epoch),
      h("dt", {}, "circuit"), h("dd", {}, `${r.circuit} (model ${r.model}), ${r.level} margin`),
      h("dt", {}, "market commitment"), h("dd", {}, h("code", {}, r.market_hash)),
      h("dt", {}, "instrument table root"), h("dd", {}, h("code", {}, r.table_root)),
      h("dt", {}, "account tree root"), h("dd", {}, h("code", {}, r.root)),
      h("dt", {}, "verification key SHA-256"), h("dd", {}, h("code", {}, r.verification_key_sha256)),
    ),
    h("h3", {}, "Batches"),
    h("p", { class: "note" }, `Each batch proof covers up to ${r.batch_size} accounts, by their index in the snapshot.`),
    table(["batch", "accounts (index)", "count"], batches, { class: "batches" }),
    h("p", {}, h("a", { href: r.report }, "report.json"), " — the report as proven (with its proofs and keys beside it)."),
  ];
  if (latest) return h("section", { class: "report", "data-epoch": r.epoch }, h("h2", {}, `Snapshot ${r.epoch}`), body);
  return h(
    "section",
    { class: "report", "data-epoch": r.epoch },
    h("details", {}, h("summary", {}, `Snapshot ${r.epoch}`), body),
  );
}

function charts(reports) {
  const single = reports.length === 1;
  const labels = single ? [] : reports.map((r) => r.epoch.slice(0, 16).replace("T", " "));
  const out = [];
  const money = (key) => ({
    name: key === "collateral_value" ? "collateral value" : "requirement",
    values: reports.map((r) => r.totals[key]),
    shown: reports.map((r) => grouped(r.totals[key])),
  });
  if (single) {
    const r = reports[0];
    out.push(barChart("Collateral value and requirement", [""], [money("collateral_value"), money("requirement")]));
    if (r.states) {
      const states = Object.keys(r.states);
      out.push(barChart("Accounts per state", states, [{ name: "accounts", values: states.map((s) => r.states[s]), shown: states.map((s) => grouped(r.states[s])) }]));
    }
    return out;
  }
  out.push(barChart("Accounts", labels, [{ name: "accounts", values: reports.map((r) => r.totals.accounts), shown: reports.map((r) => grouped(r.totals.accounts)) }]));
  out.push(barChart("Collateral value and requirement", labels, [money("collateral_value"), money("requirement")]));
  for (const asset of Object.keys(reports.at(-1).totals.assets)) {
    const values = reports.map((r) => r.totals.assets[asset] ?? "0");
    out.push(barChart(`${asset} balances`, labels, [{ name: asset, values, shown: values.map(grouped) }]));
  }
  if (reports.every((r) => r.states)) {
    const states = Object.keys(reports[0].states);
    out.push(barChart("Accounts per state", labels, states.map((s) => ({ name: s, values: reports.map((r) => r.states[s]), shown: reports.map((r) => grouped(r.states[s])) }))));
  }
  return out;
}

function acrossEpochs(reports) {
  const assets = [...new Set(reports.flatMap((r) => Object.keys(r.totals.assets)))];
  const head = ["epoch", "accounts", "collateral value", "requirement", ...assets];
  const rows = reports.map((r) => [
    r.epoch,
    grouped(r.totals.accounts),
    grouped(r.totals.collateral_value),
    grouped(r.totals.requirement),
    ...assets.map((a) => (a in r.totals.assets ? grouped(r.totals.assets[a]) : "–")),
  ]);
  return h("section", { id: "epochs" }, h("h2", {}, "Across epochs"), table(head, rows, { class: "epochs" }));
}

try {
  const site = await loadJSON("data/site.json");
  const reports = site.reports;
  document.getElementById("loading").remove();
  const latest = reports.at(-1);
  main.append(reportSection(latest, true));
  main.append(h("section", { class: "charts" }, h("h2", {}, reports.length > 1 ? "Proven totals by epoch" : "Proven totals"), charts(reports)));
  if (reports.length > 1) {
    main.append(acrossEpochs(reports));
    for (const r of reports.slice(0, -1).reverse()) main.append(reportSection(r, false));
  }
  document.body.dataset.ready = "yes";
} catch (err) {
  document.getElementById("loading").textContent = `The report could not be loaded: ${err.message}`;
  document.body.dataset.ready = "failed";
}
