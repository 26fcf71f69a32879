// charter: small charts drawn as inline SVG, with no library and nothing fetched.
// Floats here are chart coordinates only; the figures shown come from the server as text.
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  }

  function tooltip() {
    let tip = document.querySelector(".chart-tip");
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "chart-tip";
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    return tip;
  }

  const fmt = (n) => n.toLocaleString("en-US");

  // Horizontal bars per class: authorized (outline), outstanding (solid), reserved (hatched,
  // stacked after outstanding). Pointing at a row shows its figures.
  function classBars(svg, data) {
    const ids = Object.keys(data);
    const width = 460, rowH = 28, left = 90, right = 12, top = 8;
    const height = top + ids.length * rowH + 24;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.style.height = height + "px";
    const max = Math.max(1, ...ids.map((k) => Math.max(data[k].authorized, data[k].outstanding + data[k].reserved)));
    const scale = (n) => ((width - left - right) * n) / max;
    const defs = el("defs", {}, svg);
    const pat = el("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, defs);
    el("rect", { width: 6, height: 6, fill: "#f3c98b" }, pat);
    el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#d48a1f", "stroke-width": 3 }, pat);
    const tip = tooltip();
    ids.forEach((id, i) => {
      const d = data[id];
      const y = top + i * rowH;
      const g = el("g", { class: "bar", "data-class": id }, svg);
      el("text", { x: left - 6, y: y + rowH / 2 + 4, "text-anchor": "end", "font-size": 11, fill: "#1d2330" }, g).textContent = id;
      el("rect", { x: left, y: y + 4, width: scale(d.authorized), height: rowH - 8, fill: "#fff", stroke: "#98a2b3" }, g);
      el("rect", { x: left, y: y + 6, width: scale(d.outstanding), height: rowH - 12, fill: "#1f5fae" }, g);
      el("rect", { x: left + scale(d.outstanding), y: y + 6, width: scale(d.reserved), height: rowH - 12, fill: "url(#hatch)" }, g);
      g.addEventListener("mousemove", (ev) => {
        tip.hidden = false;
        tip.textContent = `${id}\nauthorized  ${fmt(d.authorized)}\noutstanding ${fmt(d.outstanding)}\nreserved    ${fmt(d.reserved)}`;
        tip.style.left = ev.clientX + 12 + "px";
        tip.style.top = ev.clientY + 12 + "px";
      });
      g.addEventListener("mouseleave", () => { tip.hidden = true; });
    });
    const ly = top + ids.length * rowH + 16;
    [["#1f5fae", "outstanding"], ["url(#hatch)", "reserved"], ["#fff", "authorized"]].forEach(([fill, label], i) => {
      el("rect", { x: left + i * 110, y: ly - 9, width: 12, height: 10, fill, stroke: "#98a2b3" }, svg);
      el("text", { x: left + i * 110 + 16, y: ly, "font-size": 11, fill: "#667085" }, svg).textContent = label;
    });
  }

  window.Charter = { el, tooltip, classBars };

  document.addEventListener("DOMContentLoaded", () => {
    const svg = document.getElementById("class-chart");
    const src = document.getElementById("class-chart-data");
    if (svg && src) classBars(svg, JSON.parse(src.textContent));
  });
})();
