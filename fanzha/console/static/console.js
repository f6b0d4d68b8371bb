/*
 * fanzha console shell: sign-in, navigation and the page plug-in mechanism.
 *
 * Pages are separate scripts listed by /console/pages.json. Each one calls
 *   fanzha.registerPage({id, title, render(el, api)})
 * and render() draws into `el`. `api` is a client bound to the signed-in key
 * and to the page's lifetime: its requests are aborted, and its timers
 * stopped, when the user leaves the page. render() may return a cleanup
 * function. The API key lives in sessionStorage and is only ever sent in the
 * Authorization header, never in a URL.
 */
(() => {
  "use strict";

  const KEY_STORAGE = "fanzha.apiKey";
  const DEFAULT_PAGE = "dashboard";
  const pages = new Map(); // id -> {id, title, render}
  let manifest = []; // from /console/pages.json, in navigation order
  let me = null; // {name, role} of the signed-in key
  let current = null; // {id, controller, timers, cleanup}

  // ---------------------------------------------------------------- DOM helpers

  /** Build an element: h("p", {class: "x"}, "text", child). Text is never HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on") && typeof value === "function") {
        el.addEventListener(name.slice(2), value);
      } else if (name === "dataset") {
        Object.assign(el.dataset, value);
      } else {
        el.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function formatNumber(value) {
    if (typeof value !== "number" || !Number.isFinite(value)) return "–";
    return value.toLocaleString("en-US");
  }

  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------------ API client

  class ApiError extends Error {
    constructor(status, body, path) {
      super(describeBody(status, body));
      this.name = "ApiError";
      this.status = status;
      this.body = body;
      this.path = path;
    }
  }

  /** One readable sentence out of whatever error body the server sent. */
  function describeBody(status, body) {
    const prefix = status ? `HTTP ${status}` : "Network error";
    if (body === null || body === undefined || body === "") return prefix;
    if (typeof body === "string") return `${prefix}: ${body.slice(0, 300)}`;
    const err = body.error !== undefined ? body.error : body;
    if (typeof err === "string") return `${prefix}: ${err}`;
    const message = err.message || err.detail || body.detail || body.message;
    if (typeof message === "string") return `${prefix}: ${message}`;
    if (Array.isArray(message)) {
      const parts = message.map((d) => `${(d.loc || []).join(".")}: ${d.msg}`);
      return `${prefix}: ${parts.join("; ")}`;
    }
    return prefix;
  }

  async function request(key, method, path, body, signal) {
    const headers = { Accept: "application/json" };
    if (key) headers.Authorization = `Bearer ${key}`;
    const init = { method, headers, signal, cache: "no-store", credentials: "omit" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }

    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError(0, "the server did not answer; is `fanzha serve` running?", path);
    }

    const type = response.headers.get("Content-Type") || "";
    const text = await response.text();
    let data = text;
    if (type.includes("json") && text) {
      try { data = JSON.parse(text); } catch { data = text; }
    }
    if (!response.ok) throw new ApiError(response.status, data, path);
    return data;
  }

  /** A client bound to the key and to one page's lifetime. */
  function pageClient(key, state) {
    const call = async (method, path, body) => {
      try {
        return await request(key, method, path, body, state.controller.signal);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          signOut("Your API key is no longer accepted. Sign in again.");
        }
        throw err;
      }
    };
    return {
      me,
      signal: state.controller.signal,
      get: (path) => call("GET", path),
      post: (path, body) => call("POST", path, body === undefined ? {} : body),
      put: (path, body) => call("PUT", path, body),
      patch: (path, body) => call("PATCH", path, body),
      delete: (path) => call("DELETE", path),
      /** Run fn now and every `ms` milliseconds while the page is shown. */
      every(ms, fn) {
        const tick = () => { if (!state.controller.signal.aborted) fn(); };
        tick();
        state.timers.push(setInterval(tick, ms));
      },
    };
  }

  /** A standard box for a failed request: message plus the raw body. */
  function errorView(err, title) {
    if (err && err.name === "AbortError") return h("span");
    const box = h("div", { class: "alert error", role: "alert" },
      h("strong", {}, title || "Request failed"),
      h("p", {}, err && err.message ? err.message : String(err)));
    if (err instanceof ApiError && err.body && typeof err.body === "object") {
      box.append(h("details", {},
        h("summary", {}, `${err.path} answered`),
        h("pre", { class: "code" }, JSON.stringify(err.body, null, 2))));
    }
    return box;
  }

  // ------------------------------------------------------------- page registry

  function registerPage(page) {
    if (!page || typeof page.id !== "string" || typeof page.render !== "function") {
      console.error("fanzha.registerPage needs {id, title, render(el, api)}", page);
      return;
    }
    pages.set(page.id, page);
  }

  function loadScript(src) {
    return new Promise((resolve) => {
      const script = h("script", { src, async: true });
      script.addEventListener("load", () => resolve(true));
      script.addEventListener("error", () => resolve(false));
      document.head.append(script);
    });
  }

  async function loadPages() {
    manifest = await request(null, "GET", "/console/pages.json");
    const loaded = await Promise.all(manifest.map((p) => loadScript(p.script)));
    manifest.forEach((p, i) => { p.loaded = loaded[i]; });
  }

  // ----------------------------------------------------------------- navigation

  function buildNav() {
    const nav = $("nav");
    nav.replaceChildren(...manifest.map((p) =>
      h("a", { href: `#/${p.id}`, dataset: { page: p.id } }, p.title)));
  }

  function currentPageId() {
    const id = decodeURIComponent(location.hash.replace(/^#\/?/, ""));
    return id || (manifest[0] ? manifest[0].id : DEFAULT_PAGE);
  }

  function leavePage() {
    if (!current) return;
    current.controller.abort();
    current.timers.forEach(clearInterval);
    if (typeof current.cleanup === "function") {
      try { current.cleanup(); } catch (err) { console.error(err); }
    }
    current = null;
  }

  async function showPage() {
    if (!me) return;
    leavePage();
    const id = currentPageId();
    for (const a of $("nav").children) {
      a.classList.toggle("active", a.dataset.page === id);
      if (a.dataset.page === id) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }

    const main = $("page");
    const el = h("section", { class: "page-body", dataset: { page: id } });
    main.replaceChildren(el);
    const page = pages.get(id);
    const entry = manifest.find((p) => p.id === id);
    document.title = `${entry ? entry.title : id} · fanzha console`;
    if (!page) {
      const why = entry ? `its script ${entry.script} did not load` : "no such page";
      el.append(errorView(new Error(`Page "${id}" is not available: ${why}.`),
        "Page unavailable"));
      return;
    }

    const state = { id, controller: new AbortController(), timers: [], cleanup: null };
    current = state;
    try {
      state.cleanup = await page.render(el, pageClient(sessionKey(), state));
    } catch (err) {
      if (current === state) el.append(errorView(err, `The ${page.title} page failed`));
    }
  }

  // -------------------------------------------------------------------- sign-in

  function sessionKey() {
    return sessionStorage.getItem(KEY_STORAGE);
  }

  function showSignIn(message) {
    leavePage();
    me = null;
    $("app").hidden = true;
    $("signin").hidden = false;
    const error = $("signin-error");
    error.textContent = message || "";
    error.hidden = !message;
    $("api-key").focus();
  }

  function showApp() {
    $("signin").hidden = true;
    $("app").hidden = false;
    $("user-name").textContent = me.name || "signed in";
    $("user-role").textContent = me.role || "";
    buildNav();
    showPage();
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY_STORAGE);
    $("api-key").value = "";
    showSignIn(message);
  }

  /** Ask /v1/me who the key belongs to; returns an error message or null. */
  async function checkKey(key) {
    try {
      me = await request(key, "GET", "/v1/me");
      return null;
    } catch (err) {
      me = null;
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        return `That API key was not accepted (${err.message}).`;
      }
      return `Could not check the key: ${err.message}`;
    }
  }

  async function onSubmit(event) {
    event.preventDefault();
    const key = $("api-key").value.trim();
    if (!key) {
      showSignIn("Enter an API key.");
      return;
    }
    const button = $("signin-submit");
    button.disabled = true;
    button.textContent = "Signing in…";
    const problem = await checkKey(key);
    button.disabled = false;
    button.textContent = "Sign in";
    if (problem) {
      showSignIn(problem);
      $("api-key").select();
      return;
    }
    sessionStorage.setItem(KEY_STORAGE, key);
    $("api-key").value = "";
    showApp();
  }

  async function start() {
    $("signin-form").addEventListener("submit", onSubmit);
    $("signout").addEventListener("click", () => signOut(""));
    window.addEventListener("hashchange", showPage);

    try {
      await loadPages();
    } catch (err) {
      showSignIn(`The console could not load its pages: ${err.message}`);
      return;
    }
    const key = sessionKey();
    if (!key) {
      showSignIn("");
      return;
    }
    const problem = await checkKey(key);
    if (problem) signOut(problem);
    else showApp();
  }

  window.fanzha = Object.freeze({
    registerPage, h, formatNumber, errorView, ApiError,
  });
  document.addEventListener("DOMContentLoaded", start);
})();
