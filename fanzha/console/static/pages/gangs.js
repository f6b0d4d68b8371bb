/*
 * Gangs: groups of reports that share entities, from GET /v1/graph/gangs, most
 * harmful first. Choosing a gang draws its reports and entities as an
 * interactive graph (vendored cytoscape); choosing an entity shows its detail
 * from GET /v1/graph/neighbourhood. Entities a detector flagged (verdict risk
 * at least 0.5) get a solid red ring; public infrastructure a dashed one.
 */
(() => {
  "use strict";
  const { h, errorView, formatNumber } = window.fanzha;

  const COLOURS = {
    report: "#8a94a6", phone: "#d9534f", bank_card: "#f0ad4e", account: "#f0ad4e",
    device: "#5bc0de", url: "#5cb85c", domain: "#5cb85c", ip: "#9b59b6",
    wechat: "#2ecc71", qq: "#3498db", person: "#34495e",
  };

  /** Load the vendored cytoscape once, on first use. */
  function loadCytoscape() {
    if (window.cytoscape) return Promise.resolve(window.cytoscape);
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/console/static/vendor/cytoscape.min.js";
      script.onload = () => resolve(window.cytoscape);
      script.onerror = () => reject(new Error("cytoscape.min.js did not load"));
      document.head.append(script);
    });
  }

  const FLAG_RISK = 0.5;

  function money(value) {
    return typeof value === "number" ? formatNumber(Math.round(value)) : "";
  }

  function day(seconds) {
    return seconds ? new Date(seconds * 1000).toLocaleDateString() : "";
  }

  function topEntities(gang) {
    return Object.entries(gang.entities || {})
      .map(([, values]) => values.find((v) => !v.public))
      .filter(Boolean).slice(0, 3).map((v) => v.value).join(", ");
  }

  function gangTable(gangs, onPick) {
    if (!gangs.length) return h("p", { class: "muted" }, "No gangs yet.");
    const head = ["#", "Gang", "Reports", "Victims", "Loss", "Flagged", "From",
      "To", "Top entities"];
    return h("table", { class: "table gangs" },
      h("thead", {}, h("tr", {}, head.map((t) => h("th", {}, t)))),
      h("tbody", {}, gangs.map((g) => h("tr", { class: "clickable",
        onclick: () => onPick(g.gang_id) },
        h("td", { class: "num" }, String(g.rank)),
        h("td", {}, g.gang_id),
        h("td", { class: "num" }, String(g.n_reports)),
        h("td", { class: "num" }, String(g.n_victims)),
        h("td", { class: "num" }, money(g.total_loss)),
        h("td", { class: "num" }, String(g.flagged ?? 0)),
        h("td", { class: "nowrap" }, day(g.first_at)),
        h("td", { class: "nowrap" }, day(g.last_at)),
        h("td", { class: "clip muted" }, topEntities(g))))));
  }

  function ring(node) {
    if (node.risk != null && node.risk >= FLAG_RISK) {
      return { border: 4, borderStyle: "solid", borderColour: "#b00020" };
    }
    return { border: node.public ? 3 : 0, borderStyle: "dashed",
      borderColour: "#333" };
  }

  function elementsOf(graph) {
    const nodes = graph.nodes.map((n) => ({ data: { ...n, ...ring(n),
      colour: COLOURS[n.kind] || "#777", shape: n.kind === "report" ? "round-rectangle"
        : "ellipse" } }));
    const edges = graph.edges.map((e, i) => ({ data: { id: `m${i}`, ...e } }));
    return nodes.concat(edges);
  }

  async function showEntity(api, panel, node) {
    if (node.kind === "report") {
      panel.replaceChildren(h("h3", {}, `Report ${node.label}`),
        h("p", {}, `Loss ${money(node.loss)}`));
      return;
    }
    panel.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    try {
      const q = new URLSearchParams({ type: node.type, value: node.value });
      const hood = await api.get(`/v1/graph/neighbourhood?${q}`);
      panel.replaceChildren(
        h("h3", {}, `${node.kind} ${node.label}`),
        h("p", {}, `${hood.reports.length} reports, ${hood.relations.length} relations`
          + (node.public ? " (public infrastructure)" : "")),
        h("p", { class: "entity-risk" }, hood.risk == null ? "No verdict yet."
          : `Highest verdict risk ${hood.risk.toFixed(2)}`),
        h("ul", { class: "entity-verdicts" }, (hood.verdicts || []).map((v) =>
          h("li", {}, `${v.detector}: ${v.label} (risk ${v.risk.toFixed(2)})`))),
        h("ul", {}, hood.reports.slice(0, 20).map((r) => h("li", {},
          `report ${r.report_id}: loss ${money(r.loss)}`))));
    } catch (err) {
      panel.replaceChildren(errorView(err, "Entity detail failed"));
    }
  }

  async function drawGang(api, area, gangId) {
    area.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    try {
      const [gang, cytoscape] = await Promise.all([
        api.get(`/v1/graph/gangs/${encodeURIComponent(gangId)}`), loadCytoscape()]);
      const canvas = h("div", { class: "graph-canvas" });
      canvas.style.height = "520px"; // CSSOM, allowed by the console's CSP
      canvas.style.border = "1px solid #ddd";
      const panel = h("aside", { class: "graph-panel" },
        h("p", { class: "muted" }, "Click a node for detail."));
      area.replaceChildren(h("h2", {}, `${gang.gang_id}: ${gang.n_reports} reports, `
        + `loss ${money(gang.total_loss)}`), canvas, panel);
      const cy = cytoscape({ container: canvas, elements: elementsOf(gang.graph),
        layout: { name: "cose", animate: false },
        style: [
          { selector: "node", style: { "background-color": "data(colour)",
            label: "data(label)", shape: "data(shape)", "font-size": 9,
            "border-width": "data(border)", "border-style": "data(borderStyle)",
            "border-color": "data(borderColour)" } },
          { selector: "edge", style: { width: 1, "line-color": "#bbb" } },
        ] });
      cy.on("tap", "node", (evt) => showEntity(api, panel, evt.target.data()));
      return () => cy.destroy();
    } catch (err) {
      area.replaceChildren(errorView(err, "The gang could not be drawn"));
      return null;
    }
  }

  async function render(el, api) {
    const list = h("div", {}, h("p", { class: "muted" }, "Loading…"));
    const area = h("div", { class: "gang-graph" });
    el.append(h("h1", {}, "Gangs"), list, area);
    let destroy = null;
    try {
      const data = await api.get("/v1/graph/gangs?top=50");
      list.replaceChildren(h("p", { class: "muted small" },
        `${data.n_gangs} gangs from ${data.n_reports} reports`),
      gangTable(data.gangs, async (id) => {
        if (destroy) destroy();
        destroy = await drawGang(api, area, id);
      }));
    } catch (err) {
      list.replaceChildren(errorView(err, "Gangs could not be loaded"));
    }
    return () => { if (destroy) destroy(); };
  }

  window.fanzha.registerPage({ id: "gangs", title: "Gangs", render });
})();
