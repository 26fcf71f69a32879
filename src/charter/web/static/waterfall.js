// charter: `charter waterfall` at any exit value of the explorer's range, evaluated in the
// browser from the exact curve the page was sent (charter/views/explorer.py), with exact
// fractions (BigInt) and the rule's rounding: no float touches a figure shown.
"use strict";
(function () {
  // Fractions as [numerator, denominator] of BigInt, denominator > 0, in lowest terms.
  const gcd = (a, b) => {
    a = a < 0n ? -a : a;
    b = b < 0n ? -b : b;
    while (b) [a, b] = [b, a % b];
    return a;
  };
  const norm = (n, d) => {
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n, d) || 1n;
    return [n / g, d / g];
  };
  const frac = (s) => {
    const [n, d] = s.split("/");
    return norm(BigInt(n), BigInt(d === undefined ? "1" : d));
  };
  const add = (a, b) => norm(a[0] * b[1] + b[0] * a[1], a[1] * b[1]);
  const sub = (a, b) => norm(a[0] * b[1] - b[0] * a[1], a[1] * b[1]);
  const mul = (a, b) => norm(a[0] * b[0], a[1] * b[1]);
  const div = (a, b) => norm(a[0] * b[1], a[1] * b[0]);
  const cmp = (a, b) => {
    const l = a[0] * b[1], r = b[0] * a[1];
    return l < r ? -1 : l > r ? 1 : 0;
  };
  // Python's floor division and modulo on integers (the remainder has the divisor's sign).
  const floordiv = (n, d) => (n % d !== 0n && (n < 0n) !== (d < 0n) ? n / d - 1n : n / d);
  const mod = (n, d) => n - floordiv(n, d) * d;

  // numbers.round_half_up_ratio and numbers.to_decimal_str.
  const roundHalfUp = ([n, d]) => (n >= 0n ? (2n * n + d) / (2n * d) : -((d - 2n * n) / (2n * d)));
  function decimal(x, places) {
    const scale = 10n ** BigInt(places);
    let scaled = roundHalfUp(mul(x, [scale, 1n]));
    const sign = scaled < 0n ? "-" : "";
    if (scaled < 0n) scaled = -scaled;
    if (places === 0) return sign + scaled;
    return `${sign}${scaled / scale}.${String(scaled % scale).padStart(places, "0")}`;
  }
  const money = (x) => decimal(x, 2);
  const perShare = (x) => decimal(x, 6);

  // A typed exit value: a decimal of whole cents, or null.
  function exitValue(text) {
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(text).replace(/,/g, "").trim());
    if (!m) return null;
    return norm(BigInt(m[1]) * 100n + BigInt((m[2] || "").padEnd(2, "0")), 100n);
  }

  // numbers.allocate_cents_over: whole cents per (holder, class) by largest remainder,
  // adding up to totalCents; ties go to the key that sorts first.
  function allocateCents(lines, totalCents) {
    const den = lines.reduce((d, l) => (d * l.amount[1]) / gcd(d, l.amount[1]), 1n);
    const rows = lines.map((l) => {
      const n = l.amount[0] * (den / l.amount[1]) * 100n;
      return { ...l, cents: floordiv(n, den), rest: mod(n, den) };
    });
    const short = totalCents - rows.reduce((s, r) => s + r.cents, 0n);
    if (short > 0n && rows.length) {
      const rests = rows.map((r) => r.rest).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
      const last = rests[Math.min(Number(short), rests.length) - 1];
      const above = rows.filter((r) => r.rest > last);
      const key = (r) => [r.holder, r.cls];
      const tied = rows
        .filter((r) => r.rest === last)
        .sort((a, b) => {
          const [x, y] = [key(a), key(b)];
          return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
        });
      for (const r of above.concat(tied.slice(0, Number(short) - above.length))) r.cents += 1n;
    }
    return rows;
  }

  // The piece of the curve holding x: a breakpoint equal to it, else the open interval.
  function locate(curve, x) {
    const point = curve.points.find((p) => cmp(frac(p.lo), x) === 0);
    if (point) return [point, null];
    const span = curve.spans.find((s) => cmp(frac(s.lo), x) < 0 && cmp(x, frac(s.hi)) < 0);
    if (!span) return [null, null];
    const lo = frac(span.lo);
    return [span, div(sub(x, lo), sub(frac(span.hi), lo))];
  }
  const at = ([a, b], t) => {
    const [x, y] = [frac(a), frac(b)];
    return t === null ? x : add(x, mul(sub(y, x), t));
  };

  // The figures of `charter waterfall --json` at exit value x (a fraction of whole cents),
  // or null outside the curve the page was sent.
  function evaluate(curve, x) {
    const [piece, t] = locate(curve, x);
    if (!piece) return null;
    const classes = {};
    for (const [c, v] of Object.entries(piece.classes)) {
      const total = at(v.at, t);
      classes[c] = {
        amount: money(total),
        per_share: perShare(div(total, [BigInt(v.shares), 1n])),
        shares: v.shares,
        route: v.route,
      };
    }
    const lines = piece.holders.map(([holder, cls, a, b]) => ({ holder, cls, amount: at([a, b], t) }));
    const cents = allocateCents(lines, (x[0] * 100n) / x[1]);
    const holders = {};
    for (const r of cents) {
      const h = holders[r.holder] || (holders[r.holder] = { cents: 0n, by_class: {} });
      h.cents += r.cents;
      h.by_class[r.cls] = money([r.cents, 100n]);
    }
    const sortedHolders = {};
    for (const h of Object.keys(holders).sort()) {
      const byClass = {};
      for (const c of Object.keys(holders[h].by_class).sort()) byClass[c] = holders[h].by_class[c];
      sortedHolders[h] = { amount: money(norm(holders[h].cents, 100n)), by_class: byClass };
    }
    return {
      exit_value: money(x),
      converted: piece.converted,
      exercised: piece.exercised,
      classes,
      holders: sortedHolders,
    };
  }

  window.CharterWaterfall = { evaluate, exitValue };
})();
