/*
 * Score text: send a message to POST /v1/score/text and show the verdict:
 * risk, label, scenario and the evidence, with matched spans marked in the text.
 */
(() => {
  "use strict";
  const { h, errorView } = window.fanzha;

  const EXAMPLE = "【公安局】您涉嫌洗钱案件，请立即将资金转入安全账户配合调查，否则将冻结您的银行卡。";

  function riskClass(risk) {
    if (risk >= 0.7) return "risk-high";
    if (risk >= 0.4) return "risk-mid";
    return "risk-low";
  }

  /** The text with every evidence span wrapped in <mark>; never parsed as HTML. */
  function markedText(text, evidence) {
    const spans = evidence
      .filter((e) => Array.isArray(e.span) && e.span[1] > e.span[0])
      .map((e) => ({ start: e.span[0], end: e.span[1], title: `${e.kind}: ${e.name}` }))
      .sort((a, b) => a.start - b.start);
    const out = h("p", { class: "marked-text" });
    let at = 0;
    for (const s of spans) {
      if (s.start < at) continue; // overlapping spans: keep the first
      out.append(text.slice(at, s.start), h("mark", { title: s.title },
        text.slice(s.start, s.end)));
      at = s.end;
    }
    out.append(text.slice(at));
    return out;
  }

  function weightCell(weight, top) {
    const bar = h("span", { class: `weight-bar ${weight < 0 ? "neg" : "pos"}` });
    bar.style.width = `${Math.round((Math.abs(weight) / top) * 48)}px`;
    return h("td", { class: "num" }, bar, weight.toFixed(3));
  }

  function evidenceTable(evidence) {
    if (!evidence.length) return h("p", { class: "muted" }, "No evidence returned.");
    const weightOf = (e) => (typeof e.weight === "number" ? e.weight : 0);
    const top = Math.max(...evidence.map((e) => Math.abs(weightOf(e))), 1e-9);
    const rows = [...evidence]
      .sort((a, b) => Math.abs(weightOf(b)) - Math.abs(weightOf(a)))
      .map((e) => h("tr", {},
        h("td", {}, h("span", { class: "badge" }, e.kind || "")),
        h("td", {}, e.name || ""),
        h("td", { class: "muted" }, e.value === null || e.value === undefined
          ? "" : String(e.value)),
        weightCell(weightOf(e), top)));
    return h("table", { class: "table evidence" },
      h("thead", {}, h("tr", {}, ["Kind", "Name", "Value", "Weight"].map(
        (t) => h("th", {}, t)))),
      h("tbody", {}, rows));
  }

  function verdictView(v, text) {
    const risk = typeof v.risk === "number" ? v.risk : NaN;
    const evidence = Array.isArray(v.evidence) ? v.evidence : [];
    const meter = h("div", { class: "meter" }, h("div", { class: "meter-fill" }));
    meter.firstChild.style.width = `${Math.round((risk || 0) * 100)}%`;
    return h("div", { class: `verdict ${riskClass(risk)}` },
      h("div", { class: "verdict-head" },
        h("div", { class: "verdict-risk" },
          h("span", { class: "big" }, Number.isNaN(risk) ? "–" : risk.toFixed(2)),
          h("span", { class: "muted small" }, "risk (0 = safe, 1 = fraud)")),
        h("dl", { class: "facts" },
          h("dt", {}, "Label"), h("dd", {}, h("span", { class: "badge label" },
            v.label || "–")),
          h("dt", {}, "Scenario"), h("dd", {}, v.scenario || "none"),
          h("dt", {}, "Detector"), h("dd", {},
            `${v.detector || "–"} ${v.model_version ? `(${v.model_version})` : ""}`))),
      meter,
      text ? markedText(text, evidence) : null,
      h("h3", {}, "Evidence"),
      evidenceTable(evidence));
  }

  function verdictsOf(body) {
    if (body && Array.isArray(body.verdicts)) return body.verdicts;
    if (body && body.verdict) return [body.verdict];
    return [body];
  }

  async function render(el, api) {
    const input = h("textarea", { id: "score-input", rows: 5, maxlength: 20000,
      placeholder: "Paste an SMS, chat message or call transcript…" });
    const button = h("button", { type: "submit", class: "button primary" }, "Score");
    const result = h("div", { id: "score-result", "aria-live": "polite" });

    const onSubmit = async (event) => {
      event.preventDefault();
      const text = input.value;
      if (!text.trim()) {
        result.replaceChildren(errorView(new Error("Enter some text to score."),
          "Nothing to score"));
        return;
      }
      button.disabled = true;
      result.replaceChildren(h("p", { class: "muted" }, "Scoring…"));
      try {
        const body = await api.post("/v1/score/text", { text });
        result.replaceChildren(...verdictsOf(body).map((v) => verdictView(v, text)));
      } catch (err) {
        result.replaceChildren(errorView(err, "The API could not score this text"));
      } finally {
        button.disabled = false;
      }
    };

    el.append(
      h("div", { class: "page-head" }, h("h1", {}, "Score text")),
      h("form", { class: "panel score-form", onsubmit: onSubmit },
        h("label", { for: "score-input" }, "Message"),
        input,
        h("div", { class: "row" }, button,
          h("button", { type: "button", class: "button ghost",
            onclick: () => { input.value = EXAMPLE; input.focus(); } },
          "Use an example"))),
      result);
  }

  window.fanzha.registerPage({ id: "score-text", title: "Score text", render });
})();
