// Bar charts as inline SVG, drawn from the proven totals in site.json (no chart library, no
// per-account figure). Values are exact decimal strings; drawing only needs them approximately.

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = ["#2f6db5", "#c2571a", "#3a8f4b", "#8a4fb0", "#b03a52", "#6b7a1f"];

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// Grouped bars: one group per label (an epoch, a state), one bar per series.
export function barChart(title, labels, series) {
  // Narrow for few groups, so the labels stay legible when a phone scales the chart down.
  const width = Math.max(360, Math.min(640, 16 + labels.length * 150)), height = 270;
  const left = 8, bottom = 40, top = 46;
  const max = Math.max(1e-12, ...series.flatMap((s) => s.values.map(Number)));
  const group = (width - left * 2) / labels.length;
  const bar = Math.min(48, (group * 0.8) / series.length);
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": title,
    class: "chart",
  });
  chart.style.maxWidth = `${width * 1.1}px`;
  chart.append(svg("title", {}, title));
  chart.append(svg("text", { x: left, y: 18, class: "chart-title" }, title));
  labels.forEach((label, i) => {
    const x0 = left + i * group + (group - bar * series.length) / 2;
    series.forEach((s, j) => {
      const value = Number(s.values[i]);
      const h = ((height - top - bottom) * value) / max;
      const x = x0 + j * bar;
      const y = height - bottom - h;
      chart.append(svg("rect", { x, y, width: bar - 2, height: h, fill: COLOURS[j % COLOURS.length] }));
      chart.append(svg("text", { x: x + bar / 2, y: y - 3, class: "chart-value" }, s.shown[i]));
    });
    chart.append(svg("text", { x: left + i * group + group / 2, y: height - bottom + 16, class: "chart-label" }, label));
  });
  if (series.length > 1) {
    const step = Math.min(170, (width - left * 2) / series.length);
    series.forEach((s, j) => {
      const x = left + j * step;
      chart.append(svg("rect", { x, y: height - 14, width: 10, height: 10, fill: COLOURS[j % COLOURS.length] }));
      chart.append(svg("text", { x: x + 14, y: height - 5, class: "chart-legend" }, s.name));
    });
  }
  return chart;
}
