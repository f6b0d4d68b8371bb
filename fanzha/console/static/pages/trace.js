/*
 * Money trace: follow a victim's transfer downstream with GET /v1/graph/trace
 * and draw the hops as an interactive graph (vendored cytoscape), the accounts
 * where the money ended highlighted. Choosing an account shows its detail from
 * GET /v1/graph/neighbourhood.
 */
(() => {
  "use strict";
  const { h, errorView, formatNumber } = window.fanzha;

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

  function money(value) {
    return typeof value === "number" ? formatNumber(Math.round(value)) : "";
  }

  function elementsOf(trace) {
    const nodes = trace.nodes.map((n) => ({ data: { id: n.id, label: n.id,
      colour: n.terminal ? "#d9534f" : n.hop === 1 ? "#5cb85c" : "#8a94a6" } }));
    const edges = trace.edges.map((e) => ({ data: { id: `t${e.id}`, source: e.src,
      target: e.dst, label: `${money(e.traced)} (hop ${e.hop})` } }));
    return nodes.concat(edges);
  }

  function terminalList(trace) {
    const rows = Object.entries(trace.terminals)
      .sort((a, b) => b[1].amount - a[1].amount);
    return h("table", { class: "table" },
      h("thead", {}, h("tr", {}, ["Account", "Amount", "Why it ends"].map((t) =>
        h("th", {}, t)))),
      h("tbody", {}, rows.map(([acct, info]) => h("tr", {},
        h("td", {}, acct), h("td", { class: "num" }, money(info.amount)),
        h("td", {}, info.reason)))));
  }

  async function showAccount(api, panel, account) {
    panel.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    try {
      const q = new URLSearchParams({ type: "account", value: account });
      const hood = await api.get(`/v1/graph/neighbourhood?${q}`);
      panel.replaceChildren(h("h3", {}, `Account ${account}`),
        h("p", {}, `${hood.reports.length} reports name it; `
          + `${hood.relations.length} relations touch it`));
    } catch (err) {
      panel.replaceChildren(errorView(err, "Account detail failed"));
    }
  }

  async function draw(api, area, form) {
    const q = new URLSearchParams({ transfer_id: form.transfer.value.trim(),
      max_hops: form.hops.value, window_days: form.days.value });
    area.replaceChildren(h("p", { class: "muted" }, "Tracing…"));
    try {
      const [trace, cytoscape] = await Promise.all([
        api.get(`/v1/graph/trace?${q}`), loadCytoscape()]);
      const canvas = h("div", { class: "graph-canvas" });
      canvas.style.height = "480px"; // CSSOM, allowed by the console's CSP
      canvas.style.border = "1px solid #ddd";
      const panel = h("aside", { class: "graph-panel" });
      area.replaceChildren(h("p", {}, `${trace.hops} hops, ${trace.edges.length} `
        + "transfers"), canvas, terminalList(trace), panel);
      const cy = cytoscape({ container: canvas, elements: elementsOf(trace),
        layout: { name: "breadthfirst", directed: true, roots: [trace.nodes[0].id] },
        style: [
          { selector: "node", style: { "background-color": "data(colour)",
            label: "data(label)", "font-size": 9 } },
          { selector: "edge", style: { width: 2, "curve-style": "bezier",
            "target-arrow-shape": "triangle", label: "data(label)",
            "font-size": 8, "line-color": "#999", "target-arrow-color": "#999" } },
        ] });
      cy.on("tap", "node", (evt) => showAccount(api, panel, evt.target.id()));
      return () => cy.destroy();
    } catch (err) {
      area.replaceChildren(errorView(err, "The trace failed"));
      return null;
    }
  }

  async function render(el, api) {
    const form = h("form", { class: "inline-form" },
      h("label", {}, "Transfer id ", h("input", { name: "transfer", required: true })),
      h("label", {}, " Hops ", h("input", { name: "hops", type: "number", min: 1,
        max: 20, value: 6 })),
      h("label", {}, " Window (days) ", h("input", { name: "days", type: "number",
        min: 1, max: 3650, value: 30 })),
      h("button", { type: "submit", class: "button" }, "Trace"));
    const area = h("div", { class: "trace-graph" });
    let destroy = null;
    form.addEventListener("submit", async (evt) => {
      evt.preventDefault();
      if (destroy) destroy();
      destroy = await draw(api, area, form);
    });
    el.append(h("h1", {}, "Money trace"), form, area);
    return () => { if (destroy) destroy(); };
  }

  window.fanzha.registerPage({ id: "trace", title: "Money trace", render });
})();
