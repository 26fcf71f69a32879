// charter: small charts drawn as inline SVG, with no library and nothing fetched.
// Floats here are chart coordinates only; the figures shown come from the server as text,
// or from waterfall.js's exact evaluation of the curve the server sent.
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
  // A decimal string from the server, its whole part grouped by thousands (no arithmetic).
  const grouped = (s) => {
    const [whole, frac] = String(s).split(".");
    const sign = whole.startsWith("-") ? "-" : "";
    const digits = whole.slice(sign.length).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + digits + (frac === undefined ? "" : "." + frac);
  };

  // Horizontal bars per class: authorized (outline), outstanding (solid), reserved (hatched,
  // stacked after outstanding). Pointing at a row shows its figures.
  function classBars(svg, data) {
    const ids = Object.keys(data);
    const width = 560, rowH = 28, left = 170, right = 12, top = 8;
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
      el("text", { x: left - 6, y: y + rowH / 2 + 4, "text-anchor": "end", "font-size": 11, fill: "#1d2330" }, g).textContent = d.name || id;
      el("rect", { x: left, y: y + 4, width: scale(d.authorized), height: rowH - 8, fill: "#fff", stroke: "#98a2b3" }, g);
      el("rect", { x: left, y: y + 6, width: scale(d.outstanding), height: rowH - 12, fill: "#1f5fae" }, g);
      el("rect", { x: left + scale(d.outstanding), y: y + 6, width: scale(d.reserved), height: rowH - 12, fill: "url(#hatch)" }, g);
      g.addEventListener("mousemove", (ev) => {
        tip.hidden = false;
        tip.textContent = `${d.name || id}\nauthorized  ${fmt(d.authorized)}\noutstanding ${fmt(d.outstanding)}\nreserved    ${fmt(d.reserved)}`;
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

  const PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666", "#1f78b4", "#b2df8a"];
  const short = (v) => (v >= 1e9 ? (v / 1e9).toFixed(1) + "B" : v >= 1e6 ? (v / 1e6).toFixed(1) + "M" : v >= 1e3 ? (v / 1e3).toFixed(0) + "k" : v.toFixed(0));

  // The payout curve: one line per class (and the viewer's own holding), breakpoints dashed,
  // the exit value shown as a red marker that follows the slider.
  // `lines` are [name, points] pairs, drawn on one scale: the classes on the main chart, a
  // stockholder's own payout on a panel of its own (its scale is not the classes').
  // `yTop`: the top of the payout axis when charts drawn side by side share it.
  function payoutChart(svg, curve, lines, markerId, yTop) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const W = 900, H = lines.length > 1 ? 340 : 220, L = 70, R = 170, T = 14, B = 36;
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    svg.style.aspectRatio = `${W} / ${H}`;
    const x0 = parseFloat(curve.from), x1 = parseFloat(curve.to);
    const ymax = yTop || Math.max(1, ...lines.flatMap(([, pts]) => pts.map((p) => parseFloat(p.amount))));
    const px = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
    const py = (y) => H - B - (y / ymax) * (H - T - B);
    el("line", { x1: L, y1: py(0), x2: W - R, y2: py(0), stroke: "#1d2330" }, svg);
    el("line", { x1: L, y1: T, x2: L, y2: py(0), stroke: "#1d2330" }, svg);
    for (let i = 0; i <= 5; i++) {
      const xv = x0 + ((x1 - x0) * i) / 5, yv = (ymax * i) / 5;
      el("text", { x: px(xv), y: H - B + 16, "text-anchor": "middle", "font-size": 11, fill: "#667085" }, svg).textContent = short(xv);
      el("text", { x: L - 6, y: py(yv) + 4, "text-anchor": "end", "font-size": 11, fill: "#667085" }, svg).textContent = short(yv);
    }
    const tip = tooltip();
    curve.breakpoints.forEach((b) => {
      const x = px(parseFloat(b.exit));
      const g = el("g", { class: "breakpoint", "data-exit": b.exit }, svg);
      el("line", { x1: x, y1: T, x2: x, y2: py(0), stroke: "#98a2b3", "stroke-dasharray": "4 3" }, g);
      el("rect", { x: x - 4, y: T, width: 8, height: py(0) - T, fill: "transparent" }, g);
      g.addEventListener("mousemove", (ev) => {
        tip.hidden = false;
        tip.textContent = `exit ${b.exit}\n${b.changes.join("\n")}`;
        tip.style.left = ev.clientX + 12 + "px";
        tip.style.top = ev.clientY + 12 + "px";
      });
      g.addEventListener("mouseleave", () => { tip.hidden = true; });
    });
    lines.forEach(([id, pts], i) => {
      const color = id.startsWith("you") ? "#101828" : PALETTE[i % PALETTE.length];
      const d = pts.map((p) => `${px(parseFloat(p.exit)).toFixed(1)},${py(parseFloat(p.amount)).toFixed(1)}`).join(" ");
      el("polyline", { points: d, fill: "none", stroke: color, "stroke-width": id.startsWith("you") ? 3 : 2, class: "series", "data-series": id }, svg);
      el("line", { x1: W - R + 10, y1: T + 8 + i * 16, x2: W - R + 28, y2: T + 8 + i * 16, stroke: color, "stroke-width": 3 }, svg);
      el("text", { x: W - R + 32, y: T + 12 + i * 16, "font-size": 11, fill: "#1d2330" }, svg).textContent = id;
    });
    const marker = el("g", { id: markerId }, svg);
    const mline = el("line", { y1: T, y2: py(0), stroke: "#d92d20", "stroke-width": 2 }, marker);
    const mlabel = el("text", { y: T + 10, "font-size": 11, fill: "#d92d20" }, marker);
    return (exitValue) => {
      const v = Math.min(Math.max(exitValue, x0), x1), x = px(v);
      mline.setAttribute("x1", x.toFixed(1));
      mline.setAttribute("x2", x.toFixed(1));
      mlabel.setAttribute("x", (x + 4).toFixed(1));
      mlabel.textContent = short(exitValue);
    };
  }

  function waterfallExplorer() {
    const cfg = JSON.parse(document.getElementById("wf-config").textContent);
    const svg = document.getElementById("wf-chart");
    const slider = document.getElementById("wf-slider");
    const box = document.getElementById("wf-exit");
    const api = `/api/companies/${encodeURIComponent(cfg.company)}`;
    const common = new URLSearchParams();
    if (cfg.as_of) common.set("as_of", cfg.as_of);
    cfg.readings.forEach((r) => common.append("reading", r));
    Object.entries(cfg.exit_event).forEach(([k, v]) => common.set(k, v));
    let moveMarker = () => {};
    const curveQ = new URLSearchParams(common);
    curveQ.set("from", cfg.from);
    curveQ.set("to", cfg.to);
    curveQ.set("holders", cfg.me ? "true" : "false");
    fetch(`${api}/curve?${curveQ}`, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((curve) => {
        if (!curve.breakpoints) throw new Error(curve.detail || "no curve");
        const named = Object.entries(curve.classes).map(([c, pts]) => [cfg.class_names[c] || c, pts]);
        const moves = [payoutChart(svg, curve, named, "wf-marker")];
        const own = document.getElementById("wf-you");
        if (own && curve.holders && curve.holders[cfg.me]) {
          moves.push(payoutChart(own, curve, [["you (" + cfg.me + ")", curve.holders[cfg.me]]], "wf-you-marker"));
        }
        moveMarker = (v) => moves.forEach((m) => m(v));
        moveMarker(parseFloat(box.value.replace(/,/g, "")));
        const body = document.querySelector("#wf-breakpoints tbody");
        body.textContent = "";
        curve.breakpoints.forEach((b) => {
          const tr = document.createElement("tr");
          tr.innerHTML = "<td class=num></td><td></td>";
          tr.children[0].textContent = grouped(b.exit);
          tr.children[1].textContent = b.changes.join("; ");
          body.appendChild(tr);
        });
        svg.dataset.ready = "true";
      })
      .catch((e) => showError(String(e.message || e)));

    function showError(text) {
      const p = document.getElementById("wf-error");
      p.hidden = !text;
      p.textContent = text;
    }

    function cell(tr, i, text) { tr.children[i].textContent = text; }

    function show(data) {
      document.getElementById("wf-at").textContent = grouped(data.exit_value);
      const hb = document.querySelector("#wf-holders tbody");
      hb.textContent = "";
      Object.entries(data.holders).forEach(([h, v]) => {
        const tr = document.createElement("tr");
        tr.dataset.holder = h;
        tr.innerHTML = "<td></td><td class='num amount'></td><td class=by></td>";
        tr.children[0].textContent = `${cfg.names[h] || h} `;
        const code = document.createElement("code");
        code.textContent = h;
        tr.children[0].appendChild(code);
        cell(tr, 1, grouped(v.amount));
        cell(tr, 2, Object.entries(v.by_class).map(([c, a]) => `${cfg.class_names[c] || c} ${grouped(a)}`).join(", "));
        hb.appendChild(tr);
      });
      const cb = document.querySelector("#wf-classes tbody");
      cb.textContent = "";
      Object.entries(data.classes).forEach(([c, v]) => {
        const tr = document.createElement("tr");
        tr.dataset.class = c;
        tr.innerHTML = "<td></td><td></td><td class=num></td><td class='num amount'></td><td class=num></td>";
        cell(tr, 0, cfg.class_names[c] || c);
        cell(tr, 1, c in data.converted ? v.route.replace("_", " ") : "common");
        cell(tr, 2, fmt(v.shares));
        cell(tr, 3, grouped(v.amount));
        cell(tr, 4, v.per_share);
        cb.appendChild(tr);
      });
      document.getElementById("wf-exercised").textContent = data.exercised.join(", ") || "none";
      if (!data.trace) return; // figures evaluated here: the derivation stays the one shown
      document.getElementById("wf-trace-at").textContent = grouped(data.exit_value);
      const trace = document.getElementById("wf-trace");
      trace.textContent = "";
      data.trace.forEach((line) => { const li = document.createElement("li"); li.textContent = line; trace.appendChild(li); });
    }

    // The exact curve the page was sent (none for a stockholder, whose own cents depend on
    // every holder's): the figures at any exit value in its range, with no round trip.
    const exact = JSON.parse(document.getElementById("wf-curve").textContent);
    function shown(value) {
      const page = new URL(window.location.href);
      page.searchParams.set("exit", value);
      history.replaceState(null, "", page);
      document.getElementById("wf-trace-link").href = page.pathname + page.search;
      const q = new URLSearchParams(common);
      q.set("exit", value);
      document.getElementById("wf-json").href = `${api}/waterfall?${q}`;
    }
    function here(value) {
      const x = window.CharterWaterfall && exact ? window.CharterWaterfall.exitValue(value) : null;
      const data = x && window.CharterWaterfall.evaluate(exact, x);
      if (!data) return false;
      moveMarker(parseFloat(value));
      showError("");
      show(data);
      shown(data.exit_value);
      return true;
    }

    let timer = null, asked = 0;
    function ask(value) {
      if (here(value)) {
        clearTimeout(timer);
        asked++; // an answer still on its way from the server is now stale
        return;
      }
      moveMarker(parseFloat(value));
      clearTimeout(timer);
      timer = setTimeout(() => {
        const q = new URLSearchParams(common);
        q.set("exit", value);
        const mine = ++asked;
        document.getElementById("wf-json").href = `${api}/waterfall?${q}`;
        fetch(`${api}/waterfall?${q}`, { credentials: "same-origin" })
          .then((r) => r.json().then((body) => [r.ok, body]))
          .then(([ok, body]) => {
            if (mine !== asked) return;
            if (!ok) { showError(body.detail); return; }
            showError("");
            show(body);
            shown(body.exit_value);
          });
      }, 80);
    }
    slider.addEventListener("input", () => {
      const v = parseInt(slider.value, 10).toFixed(2);
      box.value = v;
      ask(v);
    });
    box.addEventListener("change", () => {
      const v = box.value.replace(/,/g, "").trim();
      slider.value = v;
      ask(v);
    });
  }

  window.Charter = { el, tooltip, classBars, payoutChart, grouped };

  document.addEventListener("DOMContentLoaded", () => {
    const svg = document.getElementById("class-chart");
    const src = document.getElementById("class-chart-data");
    if (svg && src) classBars(svg, JSON.parse(src.textContent));
    if (document.getElementById("wf-config")) waterfallExplorer();
    const curves = document.getElementById("scenario-curves-data");
    if (curves) {
      // today and pro forma on one scale, the exit asked for marked on both
      const both = JSON.parse(curves.textContent);
      const amounts = ["before", "after"].flatMap((side) =>
        Object.values(both[side].classes).flatMap((pts) => pts.map((p) => parseFloat(p.amount))));
      const exit = parseFloat(curves.dataset.exit || "");
      for (const side of ["before", "after"]) {
        const chart = document.getElementById(`scenario-chart-${side}`);
        const c = both[side];
        const mark = payoutChart(chart, c, Object.entries(c.classes), `scenario-marker-${side}`,
          Math.max(1, ...amounts));
        const marker = chart.querySelector(`#scenario-marker-${side}`);
        if (Number.isFinite(exit)) mark(exit);
        else marker.remove();
        chart.dataset.ready = "true";
      }
    }
  });
})();
