/*
 * Verdicts: the latest verdicts in the store, from GET /v1/verdicts, newest
 * first, a page at a time.
 */
(() => {
  "use strict";
  const { h, errorView } = window.fanzha;

  const PAGE_SIZE = 50;

  /** The list of rows and the total, whatever envelope the API wraps them in. */
  function rowsOf(body) {
    if (Array.isArray(body)) return { rows: body, total: undefined };
    const rows = body.items || body.verdicts || body.results || body.data || [];
    return { rows, total: typeof body.total === "number" ? body.total : undefined };
  }

  function riskCell(risk) {
    if (typeof risk !== "number") return h("td", { class: "num" }, "–");
    const level = risk >= 0.7 ? "risk-high" : risk >= 0.4 ? "risk-mid" : "risk-low";
    return h("td", { class: "num" }, h("span", { class: `pill ${level}` },
      risk.toFixed(2)));
  }

  function when(v) {
    const raw = v.created_at || v.scored_at || v.time || v.at;
    if (!raw) return "";
    const d = new Date(raw);
    return Number.isNaN(d.getTime()) ? String(raw) : d.toLocaleString();
  }

  function subject(v) {
    if (v.item_ref) return v.item_ref;
    if (v.entity_id) return `entity #${v.entity_id}`;
    return v.item_id || "";
  }

  function evidenceSummary(v) {
    const evidence = Array.isArray(v.evidence) ? v.evidence : [];
    return evidence
      .slice()
      .sort((a, b) => Math.abs(b.weight || 0) - Math.abs(a.weight || 0))
      .slice(0, 3)
      .map((e) => e.name)
      .join(", ");
  }

  function table(rows) {
    if (!rows.length) return h("p", { class: "muted" }, "No verdicts yet.");
    const head = ["When", "Kind", "Item", "Detector", "Label", "Scenario",
      "Top evidence", "Risk"];
    return h("table", { class: "table verdicts" },
      h("thead", {}, h("tr", {}, head.map((t) => h("th", {}, t)))),
      h("tbody", {}, rows.map((v) => h("tr", {},
        h("td", { class: "muted nowrap" }, when(v)),
        h("td", {}, v.kind || ""),
        h("td", { class: "clip" }, subject(v)),
        h("td", {}, v.detector || ""),
        h("td", {}, h("span", { class: "badge label" }, v.label || "")),
        h("td", {}, v.scenario || ""),
        h("td", { class: "clip muted" }, evidenceSummary(v)),
        riskCell(v.risk)))));
  }

  /** Offer the labels the store has verdicts for, from /v1/stats. */
  async function fillLabels(api, select) {
    try {
      const stats = await api.get("/v1/stats");
      const labels = Object.keys(stats.verdicts_by_label || {}).sort();
      select.append(...labels.map((l) => h("option", { value: l }, l)));
    } catch {
      select.hidden = true; // the list still works unfiltered
    }
  }

  async function render(el, api) {
    let offset = 0;
    const body = h("div", { id: "verdicts-body" }, h("p", { class: "muted" }, "Loading…"));
    const info = h("span", { class: "muted small" });
    const prev = h("button", { type: "button", class: "button ghost", disabled: true },
      "← Newer");
    const next = h("button", { type: "button", class: "button ghost", disabled: true },
      "Older →");
    const filter = h("select", { id: "verdict-label", "aria-label": "Label" },
      h("option", { value: "" }, "All labels"));

    const load = async () => {
      try {
        const query = new URLSearchParams({ limit: PAGE_SIZE, offset });
        if (filter.value) query.set("label", filter.value);
        const answer = await api.get(`/v1/verdicts?${query}`);
        const { rows, total } = rowsOf(answer);
        body.replaceChildren(table(rows));
        const shownTo = offset + rows.length;
        info.textContent = rows.length
          ? `${offset + 1}–${shownTo}${total !== undefined ? ` of ${total}` : ""}` : "";
        prev.disabled = offset === 0;
        next.disabled = total !== undefined ? shownTo >= total : rows.length < PAGE_SIZE;
      } catch (err) {
        body.replaceChildren(errorView(err, "Could not list verdicts"));
      }
    };
    prev.addEventListener("click", () => { offset = Math.max(0, offset - PAGE_SIZE); load(); });
    next.addEventListener("click", () => { offset += PAGE_SIZE; load(); });
    filter.addEventListener("change", () => { offset = 0; load(); });

    el.append(
      h("div", { class: "page-head" }, h("h1", {}, "Verdicts"),
        h("div", { class: "row" }, filter, info, prev, next)),
      h("section", { class: "panel" }, body));
    await Promise.all([load(), fillLabels(api, filter)]);
  }

  window.fanzha.registerPage({ id: "verdicts", title: "Verdicts", render });
})();
