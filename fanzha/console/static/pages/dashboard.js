/*
 * Dashboard: live counts from GET /v1/stats, refreshed every few seconds,
 * with a chart of verdicts by label and one of reports per day.
 */
(() => {
  "use strict";
  const { h, formatNumber, errorView } = window.fanzha;

  const REFRESH_MS = 5000;
  const COUNTS = [
    ["entities", "Entities", ["entities"]],
    ["reports", "Reports", ["reports"]],
    ["verdicts", "Verdicts", ["verdicts"]],
    ["alerts", "Alerts", ["alerts"]],
    ["cases", "Cases", ["cases"]],
    ["blacklist", "Blacklist entries", ["blacklist", "blacklist_entries"]],
  ];
  const LABEL_COLOURS = {
    fraud: "#c0392b", phishing: "#c0392b", malware: "#8e44ad", illegal: "#d35400",
    ad: "#d4a017", suspicious: "#e67e22", normal: "#2e8b57", benign: "#2e8b57",
  };
  const FALLBACK_COLOURS = ["#2f6fba", "#16a085", "#7f8c8d", "#34495e", "#9b59b6"];

  function pick(obj, names) {
    const counts = (obj && obj.counts) || {};
    for (const name of names) {
      if (typeof obj[name] === "number") return obj[name];
      if (typeof counts[name] === "number") return counts[name];
    }
    return undefined;
  }

  /** [[label, count], ...] from {label: n} or [{label, count}]. */
  function pairs(value, keyNames) {
    if (!value) return [];
    if (Array.isArray(value)) {
      return value.map((row) => [
        keyNames.map((k) => row[k]).find((v) => v !== undefined),
        row.count !== undefined ? row.count : row.n,
      ]);
    }
    return Object.entries(value);
  }

  /** The last 30 days, oldest first, with a zero for days without reports. */
  function lastThirtyDays(rows) {
    const byDay = new Map(rows.map(([day, n]) => [String(day).slice(0, 10), n]));
    const days = [];
    const today = new Date();
    for (let back = 29; back >= 0; back -= 1) {
      const d = new Date(Date.UTC(
        today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - back));
      const key = d.toISOString().slice(0, 10);
      days.push([key, byDay.get(key) || 0]);
    }
    return days;
  }

  function colourFor(label, i) {
    return LABEL_COLOURS[String(label).toLowerCase()] ||
      FALLBACK_COLOURS[i % FALLBACK_COLOURS.length];
  }

  function labelChart(canvas) {
    return new window.Chart(canvas, {
      type: "doughnut",
      data: { labels: [], datasets: [{ data: [], backgroundColor: [] }] },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { legend: { position: "right" } },
      },
    });
  }

  function dayChart(canvas) {
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels: [], datasets: [{ label: "Reports", data: [],
        backgroundColor: "#2f6fba" }] },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }

  function card(id, title) {
    return h("div", { class: "stat", dataset: { stat: id } },
      h("div", { class: "stat-value" }, "–"),
      h("div", { class: "stat-label" }, title));
  }

  function panel(title, canvasId, emptyText) {
    return h("section", { class: "panel" },
      h("h2", {}, title),
      h("div", { class: "chart-box" },
        h("canvas", { id: canvasId, role: "img", "aria-label": title })),
      h("p", { class: "muted small empty", hidden: true }, emptyText));
  }

  function update(el, charts, stats) {
    for (const [id, , names] of COUNTS) {
      const value = el.querySelector(`[data-stat="${id}"] .stat-value`);
      value.textContent = formatNumber(pick(stats, names));
    }

    const labels = pairs(stats.verdicts_by_label, ["label"]);
    const pie = charts.labels;
    pie.data.labels = labels.map(([label]) => label);
    pie.data.datasets[0].data = labels.map(([, n]) => n);
    pie.data.datasets[0].backgroundColor = labels.map(([label], i) => colourFor(label, i));
    pie.update("none");
    el.querySelector("#chart-labels").closest(".panel")
      .querySelector(".empty").hidden = labels.length > 0;

    const days = lastThirtyDays(pairs(stats.reports_per_day, ["day", "date"]));
    charts.days.data.labels = days.map(([day]) => day.slice(5));
    charts.days.data.datasets[0].data = days.map(([, n]) => n);
    charts.days.update("none");
  }

  async function render(el, api) {
    const status = h("p", { class: "muted small refresh-status" }, "Loading…");
    const problem = h("div", { class: "problem" });
    el.append(
      h("div", { class: "page-head" },
        h("h1", {}, "Dashboard"), status),
      problem,
      h("div", { class: "stats" }, COUNTS.map(([id, title]) => card(id, title))),
      h("div", { class: "panels" },
        panel("Verdicts by label", "chart-labels", "No verdicts yet."),
        panel("Reports per day, last 30 days", "chart-days", "")),
    );
    if (!window.Chart) throw new Error("the vendored Chart.js did not load");
    const charts = {
      labels: labelChart(el.querySelector("#chart-labels")),
      days: dayChart(el.querySelector("#chart-days")),
    };

    api.every(REFRESH_MS, async () => {
      try {
        const stats = await api.get("/v1/stats");
        update(el, charts, stats);
        problem.replaceChildren();
        status.textContent = `Updated ${new Date().toLocaleTimeString()} · ` +
          `refreshes every ${REFRESH_MS / 1000} s`;
      } catch (err) {
        problem.replaceChildren(errorView(err, "Could not refresh the counts"));
      }
    });
    return () => { charts.labels.destroy(); charts.days.destroy(); };
  }

  window.fanzha.registerPage({ id: "dashboard", title: "Dashboard", render });
})();
