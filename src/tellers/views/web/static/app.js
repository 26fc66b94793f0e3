// tellers web page: pick options, set party stances, and show what the API computes.
// Every number shown comes from the JSON API; this script only lays it out.
(() => {
"use strict";

const state = { whatifKey: "", colours: {}, info: null, divisions: [], selected: [], stances: new Map(), accepted: new Map(), seq: 0, shownParties: "" };

const $ = (sel) => document.querySelector(sel);  // local: the Vega bundle has a global $ of its own
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
};

// `tellers serve --token T` prints the address /#token=T: the fragment never reaches a server or a log.
// Keep the token for this tab, take it out of the address bar, and send it with every API request.
const token = (() => {
  const given = new URLSearchParams(location.hash.slice(1)).get("token");
  if (given) {
    sessionStorage.setItem("tellers-token", given);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem("tellers-token");
})();

async function api(path, body) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const init = body === undefined ? { headers } : {
    method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, init);
  const doc = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = typeof doc.detail === "string" ? doc.detail : JSON.stringify(doc.detail);
    throw Object.assign(new Error(`${response.status}: ${detail || response.statusText}`), { status: response.status, detail });
  }
  return doc;
}

function setStatus(kind, text) {
  const s = $("#status");
  s.dataset.state = kind;
  s.dataset.seq = String(state.seq);
  s.textContent = text;
}

function showError(message) {
  const e = $("#error");
  e.hidden = !message;
  e.textContent = message || "";
}

// A box wider than its room scrolls sideways: it then takes the keyboard focus (arrow keys scroll it) and shows a cue.
function markScrollable() {
  for (const box of document.querySelectorAll(".scroll")) {
    const wide = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("overflowing", wide);
    if (wide) box.tabIndex = 0; else box.removeAttribute("tabindex");
  }
  $("#stance-scroll-hint").hidden = !$("#stance-editor").classList.contains("overflowing");
}

// What a spatial model's result is: shown wherever the page shows one.
const SPATIAL_CAVEAT = "A spatial model's result, not the record: it places members and options on one scale fitted to the votes " +
  "and takes each member to prefer the options nearer them. The division lists record only Ayes and Noes.";

// ------------------------------------------------------------------ option picker

function optionOf(divisionId) {
  return state.info.options.find((o) => o.divisions.includes(divisionId));
}

function divisionName(d) {
  const o = optionOf(d.id);
  return o ? o.label : d.title;
}

function renderPicker() {
  const questions = $("#questions");
  questions.replaceChildren(...state.info.questions.map((q) =>
    el("button", { type: "button", title: q.title, onclick: () => choose(q.divisions) }, q.title.split(":")[0])));
  const byDay = new Map();
  for (const d of state.divisions) {
    const day = d.date || "undated";
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(d);
  }
  const days = [];
  for (const [day, list] of byDay) {
    const legend = el("legend", {}, formatDate(day),
      el("button", { type: "button", "aria-label": `this day: compare the divisions of ${formatDate(day)}`, onclick: () => choose(list.map((d) => d.id)) }, "this day"));
    const labels = list.map((d) => {
      const box = el("input", { type: "checkbox", value: d.id, onchange: (ev) => toggle(d.id, ev.target.checked) });
      return el("label", { title: d.title }, box, el("span", { class: "id" }, d.id), el("span", {}, divisionName(d)),
        el("span", { class: "result" }, `${d.ayes}–${d.noes}`));
    });
    days.push(el("fieldset", {}, legend, ...labels));
  }
  $("#days").replaceChildren(...days);
}

function formatDate(iso) {
  if (!/^\d{4}-\d\d-\d\d$/.test(iso)) return iso;
  return new Date(iso + "T12:00:00Z").toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

function syncBoxes() {
  for (const box of document.querySelectorAll("#days input[type=checkbox]")) box.checked = state.selected.includes(box.value);
}

function choose(ids) {
  state.selected = [...ids];
  syncBoxes();
  update();
}

function toggle(id, on) {
  state.selected = on ? [...state.selected.filter((x) => x !== id), id] : state.selected.filter((x) => x !== id);
  update();
}

// ------------------------------------------------------------------ stances

function stanceList() {
  return [...state.stances].filter(([key]) => state.selected.includes(key.split("|")[1]))
    .map(([key, vote]) => { const [party, option] = key.split("|"); return { party, option, vote }; });
}

function renderStanceEditor(majority) {
  const parties = Object.keys(majority.party_sizes);
  const key = parties.join("|") + "#" + majority.options.map((o) => o.division).join(",");
  if (key === state.shownParties) return;  // keep the selects (and the focus) when only stances changed
  state.shownParties = key;
  const short = Object.fromEntries(state.info.options.map((o) => [o.label, o.short]));
  const head = el("tr", {}, el("th", { class: "party", scope: "col" }, "party"),
    ...majority.options.map((o) => el("th", { title: o.label, scope: "col", dataset: { division: o.division } }, short[o.label] || o.label)));
  const rows = parties.map((party) => el("tr", {},
    el("th", { class: "party", scope: "row", title: party },
      el("span", { class: "swatch", "aria-hidden": "true", style: `background:${state.colours[party] || "#999"}` }),
      `${state.info.party_short[party] || party} (${majority.party_sizes[party]})`),
    ...majority.options.map((o) => {
      const current = state.stances.get(`${party}|${o.division}`) || "";
      const select = el("select", { dataset: { party, division: o.division }, "aria-label": `${party} stance on ${o.label}`,
        onchange: (ev) => setStance(party, o, ev.target.value, ev.target) },
        ...[["", "–"], ["aye", "aye"], ["no", "no"], ["abstain", "abstain"]].map(([v, t]) => el("option", { value: v }, t)));
      select.value = current;
      select.classList.toggle("set", Boolean(current));
      return el("td", {}, select);
    })));
  $("#stance-editor").replaceChildren(el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows)));
}

function putStance(key, vote, select) {
  if (vote) state.stances.set(key, vote); else state.stances.delete(key);
  select.value = vote;
  select.classList.toggle("set", Boolean(vote));
}

function setStance(party, option, vote, select) {
  putStance(`${party}|${option.division}`, vote, select);
  update(true);
}

// Stances the server refuses are taken back, every one set since it last counted the stances (a quick
// second edit may have been sent before the first was refused): the selects show the stances in force.
function refuse(reason) {
  const refused = [...state.stances].filter(([key, vote]) => state.accepted.get(key) !== vote).map(([key, vote]) => {
    const [party, division] = key.split("|");
    return `${party} ${vote} on ${$(`#stance-editor th[data-division="${division}"]`)?.title || division}`;
  });
  state.stances = new Map(state.accepted);
  for (const s of document.querySelectorAll("#stance-editor select")) {
    const key = `${s.dataset.party}|${s.dataset.division}`;
    putStance(key, state.stances.get(key) || "", s);
  }
  showNotices([], `Refused, not applied: ${refused.join("; ") || "the stances"}. ${reason}`);
  showError("");
  setStatus("ready", "The stance was refused; the tables show the scenario before it.");
}

function showNotices(notices, refusal) {
  const items = notices.map((n) => el("li", {}, n));
  if (refusal) items.unshift(el("li", { class: "refusal" }, el("strong", {}, "Error: "), refusal));
  $("#stance-notices").replaceChildren(...(items.length ? [el("ul", {}, ...items)] : []));
}

// ------------------------------------------------------------------ results

function pairOf(majority, x, y) {
  for (const p of majority.pairwise) {
    if (p.x === x && p.y === y) return [p.x_over_y, p.y_over_x];
    if (p.x === y && p.y === x) return [p.y_over_x, p.x_over_y];
  }
  return null;
}

function verdict(m) {
  if (m.condorcet_winner) return `${m.condorcet_winner} beats every other option head to head (Condorcet winner).`;
  if (m.majority_cycle) return `No Condorcet winner: a majority cycle, ${[...m.majority_cycle, m.majority_cycle[0]].join(" → ")}. Smith set: ${m.smith_set.join(", ")}.`;
  return `No Condorcet winner. Smith set: ${m.smith_set.join(", ")}.`;
}

function renderHeadToHead(m, recorded) {
  const labels = m.options.map((o) => o.label);
  const short = Object.fromEntries(state.info.options.map((o) => [o.label, o.short]));
  const head = el("tr", {}, el("td", {}), ...labels.map((l) => el("th", { class: "col", scope: "col", title: l }, short[l] || l)));
  const rows = labels.map((x) => el("tr", {}, el("th", { class: "row", scope: "row" }, x), ...labels.map((y) => {
    if (x === y) return el("td", { class: "self" }, "·");
    const [xy, yx] = pairOf(m, x, y);
    const [rxy, ryx] = pairOf(recorded, x, y) || [xy, yx];
    const changed = rxy !== xy || ryx !== yx;
    const kind = xy > yx ? "win" : xy < yx ? "lose" : "tie";
    const [symbol, word] = { win: ["▲", "wins"], lose: ["▼", "loses"], tie: ["=", "ties"] }[kind];
    return el("td", { class: kind + (changed ? " changed" : ""), dataset: { row: x, col: y, prefer: String(xy), against: String(yx) },
      title: changed ? `recorded: ${rxy}–${ryx}` : "" }, `${xy}–${yx}`, el("span", { "aria-hidden": "true" }, ` ${symbol}${changed ? " ●" : ""}`),
      el("span", { class: "visually-hidden" }, ` ${word}${changed ? `; on the record ${rxy}–${ryx}` : ""}`));
  })));
  $("#head-to-head thead").replaceChildren(head);
  $("#head-to-head tbody").replaceChildren(...rows);
}

function renderDivisions(doc) {
  const official = Object.fromEntries(state.divisions.map((d) => [d.id, d]));
  const rows = doc.divisions.map((d) => {
    const o = official[d.id];
    const reversed = d.passed !== d.before.passed;
    return el("tr", { dataset: { division: d.id } },
      el("td", {}, d.label), el("td", {}, d.id),
      el("td", {}, o ? `${o.ayes}–${o.noes}` : `${d.before.ayes}–${d.before.noes}`),
      el("td", {}, `${d.ayes}–${d.noes}`),
      el("td", { class: d.passed ? "passed" : "lost" },
        (d.passed === null ? "tie: a casting vote decides" : d.passed ? "passes" : "fails") + (reversed ? " (reversed)" : "")));
  });
  $("#division-results tbody").replaceChildren(...rows);
}

function renderChanges(doc) {
  const m = doc.head_to_head, r = doc.recorded;
  let text;
  if (!doc.stances.length) text = "As recorded. Change a party's stance to see what would have happened.";
  else if (m.condorcet_winner === r.condorcet_winner) text = `On the record the answer is the same: ${r.condorcet_winner || "no Condorcet winner"}.`;
  else text = `On the record: ${r.condorcet_winner ? r.condorcet_winner + " was the Condorcet winner" : "there was no Condorcet winner"}.`;
  $("#changes").textContent = text;
}

function renderPower(doc) {
  const power = doc.power;
  if (!power || !power.blocs) { $("#power").hidden = true; return; }
  $("#power").hidden = false;
  const rows = Object.entries(power.blocs).map(([name, b]) => el("div", { class: "bar", dataset: { party: name } },
    el("span", { class: "name" }, `${name}${b.players > 1 ? ` (${b.players} members)` : ""}`),
    el("span", { class: "fill", style: `width:${Math.round(500 * b.shapley_shubik)}px;background:${state.colours[name] || "#999"}` }),
    el("span", { class: "value" }, `${(100 * b.shapley_shubik).toFixed(1)}%`)));
  const how = doc.house ? `${doc.house.how}.` : "";
  $("#power-bars").replaceChildren(
    el("p", { class: "caption" }, `Shapley–Shubik index: the share of orders of the parties in which a party casts the vote that ` +
      `first reaches the quota (${power.quota}). Parties vote as blocs; members without a whip one by one. ${how}`), ...rows);
}

async function renderCharts(charts) {
  const figures = [];
  for (const [key, chart] of Object.entries(charts)) {
    const target = el("div", { class: "chart scroll", id: `chart-${key}`, role: "region", "aria-label": chart.title });
    const caveat = key === "ideal-points" ? [el("p", { class: "caveat" }, SPATIAL_CAVEAT)] : [];
    figures.push([el("figure", {}, el("h3", {}, chart.title), ...caveat, target, el("figcaption", {}, chart.caption)), target, chart.spec]);
  }
  $("#charts").replaceChildren(...figures.map(([f]) => f));
  if (typeof vegaEmbed !== "function") return;
  await Promise.all(figures.map(([, target, spec]) => vegaEmbed(target, spec, state.info.embed_options).catch(console.error)));
  // Vega-Embed's menu opens from a summary with an icon and no words
  for (const s of document.querySelectorAll("#charts details > summary")) s.setAttribute("aria-label", "Download this chart");
  markScrollable();
}

async function renderWhatIf() {
  const ids = state.selected;
  if (!state.info.available.whatif || !ids.length) { $("#whatif").hidden = true; return; }
  const docs = await Promise.all(ids.map((id) => api(`/api/whatif/${encodeURIComponent(id)}`)));
  $("#whatif").hidden = false;
  const rows = docs.map((d) => {
    const label = divisionName(state.divisions.find((x) => x.id === d.division) || { id: d.division, title: d.title });
    const who = d.changes.map((c) => el("span", { class: "chip", title: c.reason,
      style: `border-left-color:${state.colours[c.party] || "#999"}` },
      `${c.member ? c.member + " " : ""}${state.info.party_short[c.party] || c.party} ${c.from}→${c.to}`));
    return el("tr", { dataset: { division: d.division } }, el("td", {}, label), el("td", {}, d.division),
      el("td", {}, `${d.ayes}–${d.noes}`), el("td", { class: "count" }, String(d.fewest_changes)),
      el("td", {}, `${d.ayes_after}–${d.noes_after}`), el("td", { class: "who" }, ...who));
  });
  $("#whatif-tables").replaceChildren(
    el("table", { class: "numbers" },
      el("thead", {}, el("tr", {}, ...["option", "division", "result", "fewest changes", "then", "whose votes (one such set)"].map((t) => el("th", {}, t)))),
      el("tbody", {}, ...rows)),
    el("p", { class: "caption" }, "The fewest members whose votes must change for each division's result to flip (exact, as an " +
      "integer program, under the chamber's majority and tie rules; a change from No to Aye counts once), preferring members closest to " +
      "switching. As recorded: party stances above do not change it."));
}

// ------------------------------------------------------------------ how sure the verdict is

const percent = (x) => `${(100 * x).toFixed(1)}%`;

function exactWords(doc) {
  const name = Object.fromEntries(doc.options.map((o) => [o.id, o.label]));
  const names = (ids) => ids.map((i) => name[i]).join(", ");
  const possible = doc.possible_condorcet.length
    ? `possible Condorcet winner${doc.possible_condorcet.length > 1 ? "s" : ""} (the winner in at least one completion): ${names(doc.possible_condorcet)}`
    : "no option is the Condorcet winner in any completion";
  const necessary = doc.necessary_condorcet.length
    ? `necessary Condorcet winner (the winner in every completion): ${names(doc.necessary_condorcet)}`
    : "no option is the winner in every completion";
  return `${possible}; ${necessary}`;
}

async function renderRobustness() {
  const ids = state.selected;
  const settings = state.info.completions;
  if (!settings || ids.length < 2) { $("#robustness").hidden = true; return; }
  const key = ids.join(",");
  const ask = (model) => api(`/api/robustness?${new URLSearchParams({ options: key, model, draws: settings.draws, seed: settings.seed })}`)
    .then((doc) => ({ model, doc }), (e) => ({ model, error: e.message }));
  const answers = await Promise.all(Object.keys(settings.models).map(ask));
  if (key !== state.selected.join(",")) return;  // another choice of divisions since
  const drawn = answers.filter((a) => a.doc);
  if (!drawn.length) { $("#robustness").hidden = true; return; }
  $("#robustness").hidden = false;
  const first = drawn[0].doc;
  const share = (x) => el("td", { class: "share" }, el("span", { class: "fill", style: `width:${Math.round(110 * x)}px` }), percent(x));
  const head = el("tr", {}, el("th", {}, "Condorcet winner"), ...drawn.map((a) => el("th", { title: settings.models[a.model] }, a.model)));
  const rows = first.options.map((o) => el("tr", { dataset: { option: o.id } }, el("th", { title: o.label }, o.label),
    ...drawn.map((a) => share(a.doc.condorcet_shares[o.id]))));
  rows.push(el("tr", { class: "none", dataset: { option: "" } }, el("th", {}, "no winner"), ...drawn.map((a) => share(a.doc.no_winner_share))));
  $("#robustness-shares thead").replaceChildren(head);
  $("#robustness-shares tbody").replaceChildren(...rows);
  const models = drawn.map((a) => `${a.model}, ${settings.models[a.model]}`).join("; ");
  const failed = answers.filter((a) => a.error).map((a) => ` The ${a.model} model could not be drawn: ${a.error}.`).join("");
  $("#robustness-caption").textContent =
    `Each of the ${first.electorate.toLocaleString("en-GB")} members who voted (or told) on at least one of these divisions had some ` +
    "ranking of all the options their votes allow: a completion, with every option they voted Aye on above every option they " +
    `voted No on. Each cell is the share of ${first.draws.toLocaleString("en-GB")} random completions of every member at once in ` +
    `which the option beats every other head to head, under each model of what the votes leave unsaid (${models}); seed ` +
    `${first.seed}.${failed} Exact, over every completion: ${exactWords(first)}. As recorded: party stances above do not change it.`;
  $("#robustness-caveat").hidden = !drawn.some((a) => a.model === "spatial");
  $("#robustness-caveat").textContent = `The spatial column: ${SPATIAL_CAVEAT}`;
}

async function update(edit) {
  const seq = ++state.seq;
  if (state.selected.length < 2) {
    setStatus("ready", "Pick at least two divisions to compare.");
    return;
  }
  setStatus("busy", "Counting…");
  const body = { options: state.selected, stances: stanceList() };
  const selectionKey = state.selected.join(",");
  try {
    const [doc, charts] = await Promise.all([api("/api/scenario", body), api("/api/charts", body)]);
    if (seq !== state.seq) return;  // a newer request is on its way
    state.accepted = new Map(state.stances);
    showError("");
    state.colours = doc.colours;
    const m = doc.head_to_head;
    $("#verdict").textContent = verdict(m);
    renderChanges(doc);
    renderDivisions(doc);
    renderHeadToHead(m, doc.recorded);
    renderStanceEditor(m);
    renderPower(doc);
    showNotices(doc.notices || []);
    markScrollable();
    setStatus("ready", `${m.members} members; ${doc.stances.length} stance(s) applied.`);
    await renderCharts(charts);
    if (selectionKey !== state.whatifKey) {
      state.whatifKey = selectionKey;
      await Promise.all([renderWhatIf().catch((e) => console.error(e)), renderRobustness().catch((e) => console.error(e))]);
      markScrollable();
    }
  } catch (e) {
    if (seq !== state.seq) return;
    if (edit && e.status === 400) return refuse(e.detail);  // the tables still show the scenario before the edit
    showError(e.message);
    setStatus("error", "The last change could not be counted.");
  }
}

async function start() {
  try {
    [state.info, state.divisions] = await Promise.all([api("/api/info"), api("/api/divisions")]);
  } catch (e) {
    showError(e.message);
    return;
  }
  $("#source").textContent = `${state.info.title}. Data: ${state.info.source}.`;
  $("#attribution").textContent = state.info.attribution || "";
  document.title = `tellers — ${state.info.title}`;
  $("#reset-stances").addEventListener("click", () => { state.stances.clear(); state.shownParties = ""; update(); });
  window.addEventListener("resize", markScrollable);
  renderPicker();
  const first = state.info.questions[0];
  choose(first ? first.divisions : state.divisions.slice(-3).map((d) => d.id));
}

start();
})();
