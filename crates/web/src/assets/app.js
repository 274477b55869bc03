// The classroom page of `collabgov serve`: settings -> /api/compose (the scenario text the
// page runs and offers for download) -> /api/run (a stream of rounds) -> live charts.
"use strict";

// Every text the page shows comes from the message catalogue every front end reads
// (crates/study/locales/en.ftl and id.ftl, Project Fluent), loaded at start.
const BUNDLES = {};
async function loadCatalogues() {
  for (const lang of ["en", "id"]) {
    const text = await (await fetch(`/assets/${lang}.ftl`)).text();
    const bundle = new FluentBundle.FluentBundle(lang, { useIsolating: false });
    const errors = bundle.addResource(new FluentBundle.FluentResource(text));
    if (errors.length) console.error(`${lang}.ftl: ${errors.map(String).join("; ")}`);
    BUNDLES[lang] = bundle;
  }
}
// The guided lessons: each step sets the page up (a scenario, the one it is compared with,
// practices from a round, settings moved); its task and question are in the catalogue as
// lesson-ID-N-task and lesson-ID-N-question, its title lesson-ID-title.
const LESSONS = [
  { id: "silo", steps: [
    { scenario: "siloed-government" },
    { scenario: "siloed-government", practices: { coordinating_agency: 30, task_force: 30 }, compare: "siloed-government" },
    { scenario: "siloed-government", sliders: { silo: 0.3 }, compare: "siloed-government" },
  ] },
  { id: "services", steps: [
    { scenario: "services-siloed" },
    { scenario: "services-one-door", compare: "services-siloed" },
    { scenario: "services-one-door-task-force", compare: "services-one-door" },
  ] },
  { id: "assistance", steps: [
    { scenario: "assistance-unclear-law" },
    { scenario: "assistance-mutual-aid", compare: "assistance-unclear-law" },
    { scenario: "assistance-unclear-law", sliders: { legal_clarity: 1 }, compare: "assistance-unclear-law" },
  ] },
  { id: "power", steps: [
    { scenario: "power-imbalance" },
    { scenario: "power-imbalance-facilitated", compare: "power-imbalance" },
    { scenario: "power-imbalance", sliders: { power_spread: 0.1 }, compare: "power-imbalance" },
  ] },
  { id: "inclusion", steps: [
    { scenario: "inclusive-forum-low" },
    { scenario: "inclusive-forum-high", compare: "inclusive-forum-low" },
    { scenario: "inclusive-forum-low", practices: { social_coalition: 30 }, compare: "inclusive-forum-low" },
  ] },
  { id: "levels", steps: [
    { scenario: "levels-devolved" },
    { scenario: "levels-rebalanced", compare: "levels-devolved" },
    { scenario: "levels-recentralised", compare: "levels-devolved" },
  ] },
];

// Sliders: the key path each sets (a number, or text built from the value).
const SLIDERS = [
  { id: "silo", key: "parameters.silo", min: 0, max: 1, step: 0.05, param: "silo" },
  { id: "inclusiveness", key: "parameters.inclusiveness", min: 0, max: 1, step: 0.05, param: "inclusiveness" },
  { id: "leadership", key: "parameters.leadership", min: 0, max: 1, step: 0.05, param: "leadership" },
  { id: "ground_rules", key: "parameters.ground_rules", min: 0, max: 1, step: 0.05, param: "ground_rules" },
  { id: "legal_clarity", key: "parameters.legal_clarity", min: 0, max: 1, step: 0.05, param: "legal_clarity" },
  // Shown only for a scenario with levels of government.
  { id: "autonomy", key: "levels.autonomy", min: 0, max: 1, step: 0.05, param: "autonomy", levels: true },
  { id: "control", key: "levels.control", min: 0, max: 1, step: 0.05, param: "control", levels: true },
  { id: "trust_across_start", key: "initial.trust.across", min: 0.1, max: 0.9, step: 0.05, initial: 0.45,
    text: (v) => `uniform(${round2(Math.max(0, v - 0.15))}, ${round2(Math.min(1, v + 0.15))})` },
  { id: "power_spread", key: "initial.power", min: 0.1, max: 1, step: 0.05, initial: 0.5,
    text: (v) => `uniform(${round2(0.5 - v / 2)}, ${round2(0.5 + v / 2)})` },
  { id: "rounds", key: "rounds", min: 20, max: 300, step: 10, param: "rounds", whole: true },
  { id: "replicates", key: "replicates", min: 10, max: 500, step: 10, param: "replicates", whole: true },
  { id: "seed", key: "seed", min: 1, max: 100, step: 1, param: "seed", whole: true },
];
const PRACTICES = ["coordinating_agency", "task_force", "social_coalition", "merge", "one_door"];
// Okabe-Ito, as the PNG charts: run A blue, run B orange.
const COLOURS = [
  { line: "#0072b2", band: "rgba(0,114,178,0.18)" },
  { line: "#e69f00", band: "rgba(230,159,0,0.22)" },
];

// Sector colours, as the network picture of `collabgov run` (Okabe-Ito without yellow).
const SECTOR_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000"];

const state = {
  lang: "en",
  scenarios: [],
  base: null, // {name, toml, file}
  touched: new Set(),
  composed: null, // the last composed text and facts
  runs: [], // per run: {name, rounds, metrics, data: {metric: [means, lo, hi]}, finished}
  controller: null,
  charts: {},
  sectors: [], // every run's sectors, for one colour per sector
  // Pacing: the simulation runs at full speed and its rounds are kept; the page shows them
  // up to `shown`, advanced `speed` rounds a second (Infinity: as they arrive), paused or
  // one round at a time, so a lecturer can narrate.
  shown: -1,
  received: -1,
  speed: Infinity,
  paused: false,
  pacer: null,
};

// The speed slider's stops, rounds a second; the last is "as fast as it runs".
const SPEEDS = [1, 2, 5, 10, 20, 50, Infinity];

function round2(v) { return Math.round(v * 100) / 100; }
// Message `key` in the page's language (English where it lacks one), `values` filled in;
// the key itself if no catalogue has it (a test finds such keys).
function t(key, values) {
  for (const lang of [state.lang, "en"]) {
    const bundle = BUNDLES[lang];
    const message = bundle && bundle.getMessage(key);
    if (message && message.value) return bundle.formatPattern(message.value, values || {});
  }
  return key;
}
// The catalogue's text for `key`, or null when it has none (a sector or scenario of a
// file of one's own).
function known(key) {
  const text = t(key);
  return text !== key ? text : null;
}
function $(id) { return document.getElementById(id); }
// The status line, kept as a key and values so a language switch rewords it.
function setStatus(key, values) {
  state.status = key ? { key, values: values || {} } : null;
  $("status").textContent = key ? t(key, state.status.values) : "";
}

function setLanguage(lang) {
  state.lang = lang;
  try { localStorage.setItem("collabgov-lang", lang); } catch (_) { /* storage off */ }
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll(".lang button").forEach((b) => b.classList.toggle("active", b.dataset.lang === lang));
  labelScenarios();
  // Slider values with the language's decimal mark (0,85 in Indonesian), and the speed.
  for (const s of SLIDERS) showSliderValue(s.id);
  showSpeed();
  renderLesson();
  renderGlossary();
  renderAssessment();
  renderNetworkLegend();
  showDescription();
  rebuildCharts();
  showHeadline();
  renderSectors();
  renderSummary();
  if (state.status) setStatus(state.status.key, state.status.values);
}

// The glossary panel's terms, in the order a class meets them (`glossary-ID` and
// `glossary-ID-text` in the catalogue).
const GLOSSARY = ["collaborative-governance", "dialogue", "trust", "commitment", "understanding", "wins", "consensus",
  "silo", "wog", "one-door", "assistance", "replicate", "seed", "interval"];

function renderGlossary() {
  const list = $("glossary-terms");
  list.innerHTML = "";
  for (const id of GLOSSARY) {
    const term = document.createElement("dt");
    term.textContent = t(`glossary-${id}`);
    const text = document.createElement("dd");
    text.textContent = t(`glossary-${id}-text`);
    list.append(term, text);
  }
}

function renderLesson() {
  const list = $("lesson-steps");
  list.innerHTML = "";
  const lesson = LESSONS.find((l) => l.id === state.lesson) || LESSONS[0];
  const choice = $("lesson-choice");
  if (!choice.options.length) {
    for (const l of LESSONS) {
      const o = document.createElement("option");
      o.value = l.id;
      choice.appendChild(o);
    }
  }
  for (const o of choice.options) o.textContent = t(`lesson-${o.value}-title`);
  choice.value = lesson.id;
  lesson.steps.map((_, i) => [t(`lesson-${lesson.id}-${i + 1}-task`), t(`lesson-${lesson.id}-${i + 1}-question`)]).forEach(([task, question], i) => {
    const li = document.createElement("li");
    li.innerHTML = `<div></div><div class="question"></div>`;
    li.children[0].textContent = task;
    li.children[1].textContent = question;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = t("try_step");
    button.addEventListener("click", () => setUpStep(i));
    li.appendChild(button);
    list.appendChild(li);
  });
}

// Sets the page up for step `i` of the lesson chosen.
function setUpStep(i) {
  const lesson = LESSONS.find((l) => l.id === state.lesson) || LESSONS[0];
  const step = lesson.steps[i];
  selectScenario(step.scenario);
  clearSettings();
  for (const [practice, round] of Object.entries(step.practices || {})) {
    $(`practice-${practice}`).checked = true;
    $(`practice-${practice}-round`).value = round;
  }
  for (const [id, value] of Object.entries(step.sliders || {})) setSlider(id, value);
  if (step.compare) {
    $("compare").checked = true;
    $("scenario-b").value = step.compare;
  }
  document.body.dataset.lessonStep = `${lesson.id}-${i + 1}`;
  window.scrollTo(0, 0);
}

function buildControls() {
  const sliders = $("sliders");
  for (const s of SLIDERS) {
    const div = document.createElement("div");
    div.className = "slider";
    div.id = `slider-${s.id}`;
    div.innerHTML = `<label for="${s.id}"><span data-i18n="${s.id}"></span><output id="${s.id}-value"></output></label>
      <input type="range" id="${s.id}" min="${s.min}" max="${s.max}" step="${s.step}" aria-describedby="help-${s.id}">
      <small class="help" id="help-${s.id}" data-i18n="help_${s.id}"></small>`;
    sliders.appendChild(div);
    const input = div.querySelector("input");
    input.addEventListener("input", () => {
      state.touched.add(s.id);
      div.classList.add("touched");
      showSliderValue(s.id);
    });
  }
  const practices = $("practices");
  for (const p of PRACTICES) {
    const div = document.createElement("div");
    div.className = "practice";
    div.id = `row-${p}`;
    div.innerHTML = `<label class="check"><input type="checkbox" id="practice-${p}" aria-describedby="help-${p}"> <span data-i18n="${p}"></span></label>
      <input type="number" id="practice-${p}-round" min="1" value="30" aria-label="from round">
      <small class="help" id="help-${p}" data-i18n="help_${p}"></small>`;
    practices.appendChild(div);
  }
}

function setSlider(id, value) {
  const input = $(id);
  input.value = value;
  input.dispatchEvent(new Event("input"));
}

function clearSettings() {
  state.touched.clear();
  document.querySelectorAll(".slider").forEach((d) => d.classList.remove("touched"));
  for (const p of PRACTICES) $(`practice-${p}`).checked = false;
  $("compare").checked = false;
  showFacts(state.base && state.base.facts);
}

// Slider positions from a scenario's facts (untouched sliders show the file's values).
function showFacts(facts) {
  if (!facts) return;
  for (const s of SLIDERS) {
    if (state.touched.has(s.id)) continue;
    const v = s.param ? (s.param in facts.params ? facts.params[s.param] : facts[s.param]) : s.initial;
    if (v !== undefined) {
      $(s.id).value = v;
      showSliderValue(s.id);
    }
  }
  $("row-one_door").hidden = !facts.services;
  for (const s of SLIDERS) {
    if (s.levels) $(`slider-${s.id}`).hidden = !facts.levels;
  }
}

function selectScenario(name) {
  const s = state.scenarios.find((x) => x.name === name);
  if (!s) return;
  $("scenario").value = name;
  state.base = { name, toml: s.toml, file: `${name}.toml`, facts: s };
  showDescription();
  hideError();
  clearSettings();
}

// The scenario's description in the page's language (a bundled one has both).
function showDescription() {
  const base = state.base;
  if (!base) return;
  const s = base.facts || {};
  if (base.uploaded) $("description").textContent = `${base.name} (${t("uploaded")})`;
  else {
    $("description").textContent = `${base.name}: ${known(`scenario-${base.name}-description`) || s.description || ""}`;
  }
}

// A bundled scenario's title in the page's language ("Pemerintahan yang tersekat-sekat");
// the description under it starts with its name as the command line knows it.
function scenarioTitle(name) {
  return known(`scenario-${name}`) || name;
}

// A bundled scenario's sector in the page's language; another keeps its own name.
function sectorName(name) {
  return known(`sector-${name}`) || name;
}

function labelScenarios() {
  for (const select of [$("scenario"), $("scenario-b")]) {
    for (const o of select.options) o.textContent = scenarioTitle(o.value);
  }
}

// The sliders moved (and shown), and the practices ticked (and shown) with their rounds:
// what a run, a changed run's name and a link carry.
function movedSliders() {
  return SLIDERS.filter((s) => state.touched.has(s.id) && !$(`slider-${s.id}`).hidden);
}
function tickedPractices() {
  return PRACTICES.filter((p) => $(`practice-${p}`).checked && !$(`row-${p}`).hidden)
    .map((p) => [p, Math.max(1, Number($(`practice-${p}-round`).value) || 1)]);
}

function settings() {
  const set = movedSliders().map((s) => {
    const v = Number($(s.id).value);
    return [s.key, s.text ? s.text(v) : v];
  });
  const practices = tickedPractices();
  // A changed scenario gets a name of its own, so a comparison with the original (and
  // the CLI's output folder of the downloaded file) tells them apart.
  const changed = set.some(([k]) => !["rounds", "replicates", "seed"].includes(k)) || practices.length;
  if (changed && state.base.facts && state.base.facts.name) {
    const base = state.base.facts.name;
    set.push(["name", changedName(base)]);
    // Its description says what it started from and what changed, so the downloaded file
    // does not describe the scenario it was before.
    const description = (!state.base.uploaded && known(`scenario-${base}-description`)) || state.base.facts.description || "";
    set.push(["description", t("changed_description", { description, changes: changes() })]);
  }
  return { set, practices };
}

function showSliderValue(id) {
  if ($(id)) $(`${id}-value`).textContent = numberText(Number($(id).value));
}

// A number as the page's language writes it (a decimal comma in Indonesian).
function numberText(v) {
  const text = String(Math.round(v * 100) / 100);
  return state.lang === "id" ? text.replace(".", ",") : text;
}

// The changed scenario named by what changed, in the page's language: "siloed-government
// + coordinating agency, task force (round 30), silo 0.3".
function changedName(base) {
  return `${base} + ${changes()}`;
}

// What the settings change, in the page's language: "coordinating agency, task force
// (round 30), silo 0.3".
function changes() {
  const parts = [];
  const byRound = new Map();
  for (const [p, r] of tickedPractices()) {
    if (!byRound.has(r)) byRound.set(r, []);
    byRound.get(r).push(t(p).toLowerCase());
  }
  for (const [r, names] of byRound) parts.push(`${names.join(", ")} (${t("round")} ${r})`);
  for (const s of movedSliders()) {
    if (["rounds", "replicates"].includes(s.id)) continue;
    parts.push(`${t(s.id).toLowerCase()} ${numberText(Number($(s.id).value))}`);
  }
  return parts.join(", ");
}

// The control an error names, marked, with the error written under it: a slider by its
// key (`parameters.silo`), or a practice's round by the round the error found. Returns the
// control, or null when the error names none on the page.
function markControl(error) {
  document.querySelectorAll(".field-error").forEach((e) => e.remove());
  document.querySelectorAll("[aria-invalid=true]").forEach((e) => e.removeAttribute("aria-invalid"));
  if (!error || !error.key) return null;
  let input = null;
  const slider = SLIDERS.find((s) => s.key === error.key);
  if (slider) input = $(slider.id);
  else if (/^interventions\[\d+\]\.(from|round)$/.test(error.key)) {
    const found = (String(error.message).match(/found (\d+)/) || [])[1];
    const practice = tickedPractices().find(([, round]) => String(round) === found);
    if (practice) input = $(`practice-${practice[0]}-round`);
  }
  if (!input) return null;
  input.setAttribute("aria-invalid", "true");
  const note = document.createElement("p");
  note.className = "field-error";
  // What was expected and found, after the file and key the control already stands for:
  // a round out of range in the page's language, any other as the scenario's check says.
  const text = String(error.message).split(/`: /).slice(-1)[0];
  const round = text.match(/^expected a round from 1 to (\d+), found (\d+)$/);
  note.textContent = round ? t("error_round", { last: round[1], found: round[2] }) : text;
  input.closest(".slider, .practice").appendChild(note);
  return input;
}

// An error in the box under the scenario, in the status line, and (`controls`: an error
// of the page's settings) beside the control that caused it.
function showError(error, controls = true) {
  const box = $("error");
  box.hidden = false;
  box.textContent = `${t("error_prefix")}\n${error.message}`;
  const control = controls ? markControl(error) : markControl(null);
  // Announced in the status line too, and brought into view: a bad setting never looks
  // like nothing happened.
  setStatus("failed");
  (control || box).scrollIntoView({ block: "nearest" });
}
function hideError() { $("error").hidden = true; markControl(null); }

async function compose(toml, file, set, practices) {
  const response = await fetch("/api/compose", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ toml, file, set, practices }),
  });
  const body = await response.json();
  if (!response.ok) throw body.error;
  return body;
}

async function run() {
  hideError();
  if (!state.base) return;
  const { set, practices } = settings();
  let texts;
  try {
    const main = await compose(state.base.toml, state.base.file, set, practices);
    state.composed = main;
    texts = [main.toml];
    if ($("compare").checked) {
      const b = state.scenarios.find((x) => x.name === $("scenario-b").value);
      // The comparison keeps the main run's size so both finish together.
      const sizes = set.filter(([k]) => ["rounds", "replicates", "seed"].includes(k));
      const other = await compose(b.toml, `${b.name}.toml`, sizes, []);
      texts = [other.toml, main.toml];
    }
  } catch (error) {
    showError(error);
    return;
  }
  $("download-toml").disabled = false;
  await stream(texts);
}

async function stream(texts) {
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  state.runs = [];
  state.summaries = null;
  state.shown = -1;
  state.received = -1;
  $("summary").innerHTML = "";
  $("sectors").innerHTML = "";
  $("headline").innerHTML = "";
  $("network-figure").hidden = true;
  $("network").innerHTML = "";
  stopPlaying();
  state.networkFollow = true;
  $("network-round").max = 0;
  $("run").disabled = true;
  $("stop").disabled = false;
  $("download-csv").disabled = true;
  $("handout").disabled = true;
  state.texts = texts;
  try {
    const response = await fetch("/api/run", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runs: texts }),
      signal: controller.signal,
    });
    if (!response.ok) {
      const body = await response.json();
      showError(body.error);
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data += line.slice(5).trim();
        }
        if (data) onEvent(name, JSON.parse(data));
      }
    }
  } catch (error) {
    if (error.name === "AbortError") setStatus("stopped");
    else showError({ message: String(error) });
  } finally {
    if (state.controller === controller) state.controller = null;
    $("run").disabled = false;
    $("stop").disabled = true;
  }
}

// `collabgov assess` on the scenario as set: the practices ranked by their paired effects.
async function assess() {
  hideError();
  if (!state.base) return;
  const { set, practices } = settings();
  $("assess").disabled = true;
  try {
    const composed = await compose(state.base.toml, state.base.file, set, practices);
    setStatus("assessing", { name: composed.name });
    const response = await fetch("/api/assess", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ toml: composed.toml }),
    });
    const body = await response.json();
    if (!response.ok) throw body.error || { message: JSON.stringify(body) };
    state.assessment = body;
    renderAssessment();
    setStatus("done");
    document.body.dataset.assessDone = String(Number(document.body.dataset.assessDone || 0) + 1);
  } catch (error) {
    setStatus(null);
    showError(error);
  } finally {
    $("assess").disabled = false;
  }
}

// The ranking as a table, in the page's language (numbers with its decimal mark).
function renderAssessment() {
  const a = state.assessment;
  const box = $("assess-result");
  if (!a) { box.replaceChildren(); return; }
  const locale = state.lang === "id" ? "id-ID" : "en";
  const signed = (v, digits, scale, unit) => {
    if (v === null || v === undefined) return "–";
    const text = (v * scale).toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: "exceptZero" });
    return text + unit;
  };
  const effect = (e, digits, scale, unit) => `${signed(e.mean, digits, scale, unit)} [${signed(e.low, digits, scale, unit)}, ${signed(e.high, digits, scale, unit)}]`;
  const heading = document.createElement("h3");
  heading.textContent = t("assess_title", { round: a.round, name: a.name });
  const table = document.createElement("table");
  table.id = "assess-table";
  const head = table.createTHead().insertRow();
  for (const key of ["col_rank", "col_practice", "col_consensus", "col_trust"]) {
    const th = document.createElement("th");
    th.textContent = t(key);
    head.appendChild(th);
  }
  const rows = table.createTBody();
  for (const r of a.ranking) {
    const row = rows.insertRow();
    const notes = [];
    if (!r.clear_effect) notes.push(t("no_clear_effect"));
    if (!r.distinct_from_next) notes.push(t("not_distinct"));
    const label = state.lang === "id" && r.label_id ? r.label_id : r.label;
    const cells = [String(r.rank), label + (notes.length ? ` (${notes.join("; ")})` : ""), effect(r.consensus, 0, 100, " %"), effect(r.trust_across, 3, 1, "")];
    for (const c of cells) row.insertCell().textContent = c;
  }
  box.replaceChildren(heading, table);
}

function onEvent(name, data) {
  if (name === "queued") {
    setStatus("queued");
  } else if (name === "start") {
    const empty = () => Array(data.rounds + 1).fill(null);
    const series = {};
    for (const m of data.metrics) series[m] = [empty(), empty(), empty()];
    state.runs[data.run] = {
      name: data.name, rounds: data.rounds, metrics: data.metrics, series, network: data.network, trust: [], actorsAt: [],
      shares: data.shares || [], interventions: data.interventions || [],
    };
    rebuildCharts();
    addNetworkPanel(data.run);
  } else if (name === "round") {
    const r = state.runs[data.run];
    for (const [m, [mean, lo, hi]] of Object.entries(data.values)) {
      r.series[m][0][data.round] = mean;
      r.series[m][1][data.round] = lo;
      r.series[m][2][data.round] = hi;
    }
    if (data.trust) r.trust[data.round] = data.trust;
    if (data.commitment) r.actorsAt[data.round] = { commitment: data.commitment, power: data.power };
    r.current = data.round;
    state.received = Math.max(state.received, data.round);
    if (state.speed === Infinity && !state.paused) showUpTo(state.received);
    else pace();
  } else if (name === "finished") {
    const r = state.runs[data.run];
    r.finished = data;
    showHeadline();
    renderSectors();
    $("download-csv").disabled = false;
  } else if (name === "done") {
    setStatus("done");
    $("handout").disabled = false;
    // For tests and scripts: how many runs have finished on this page.
    document.body.dataset.runsDone = String(Number(document.body.dataset.runsDone || 0) + 1);
    state.summaries = data;
    renderSummary();
  } else if (name === "error") {
    showError(data);
  }
}

// The run's key numbers and a comparison's paragraph as `collabgov run` and `compare`
// print them with `--lang`, in the page's language (the server sends both).
function renderSummary() {
  const data = state.summaries;
  if (!data) { $("summary").replaceChildren(); return; }
  const parts = data.summaries.map((s) => `${s.name}\n  ${(state.lang === "id" && s.lines_id ? s.lines_id : s.lines).join("\n  ")}`);
  const comparison = state.lang === "id" && data.comparison_id ? data.comparison_id : data.comparison;
  if (comparison) parts.push(comparison);
  const pre = document.createElement("pre");
  pre.id = "summary-text";
  pre.textContent = parts.join("\n\n");
  const heading = document.createElement("h3");
  heading.dataset.i18n = "cli_summary";
  heading.textContent = t("cli_summary");
  $("summary").replaceChildren(heading, pre);
}

// The live network: one panel per run, one round slider for all of them.
function addNetworkPanel(i) {
  const r = state.runs[i];
  const panel = document.createElement("div");
  panel.className = "panel";
  panel.dataset.run = i;
  const h = document.createElement("h3");
  h.textContent = r.name;
  panel.appendChild(h);
  if (r.network) {
    const canvas = document.createElement("canvas");
    canvas.dataset.testid = `network-${i}`;
    canvas.title = t("inspect_hint");
    canvas.addEventListener("click", (e) => {
      const box = canvas.getBoundingClientRect();
      const actor = actorAt(r.network, (e.clientX - box.left) / box.width, (e.clientY - box.top) / box.height);
      state.inspected = actor === null ? null : { run: i, actor };
      showInspected();
      showNetworkRound(Number($("network-round").value));
    });
    panel.appendChild(canvas);
  } else {
    const p = document.createElement("p");
    p.className = "muted";
    p.dataset.i18n = "no_live_network";
    p.textContent = t("no_live_network");
    panel.appendChild(p);
  }
  $("network").appendChild(panel);
  $("network-figure").hidden = false;
  const slider = $("network-round");
  slider.max = Math.max(Number(slider.max), r.rounds);
  renderNetworkLegend();
}

function renderNetworkLegend() {
  const box = $("network-legend");
  box.innerHTML = "";
  const sectors = [];
  for (const r of state.runs) if (r && r.network) for (const s of r.network.sectors) if (!sectors.includes(s)) sectors.push(s);
  // One colour per sector name across the panels.
  state.sectors = sectors;
  const key = (html) => { const span = document.createElement("span"); span.className = "key"; span.innerHTML = html; box.appendChild(span); return span; };
  sectors.forEach((s, k) => {
    key(`<span class="swatch" style="border-radius:50%;background:${SECTOR_COLOURS[k % SECTOR_COLOURS.length]}"></span><span></span>`).lastChild.textContent = sectorName(s);
  });
  key(`<span class="swatch"></span><span></span>`).lastChild.textContent = t("agency");
  key(`<span class="swatch" style="border-radius:50%"></span><span></span>`).lastChild.textContent = t("non_state");
  key(`<span class="ramp"></span><span></span>`).lastChild.textContent = t("trust_low_high");
}

// Orange (distrust) through grey to blue (trust), as the PNG network pictures.
function trustColour(v) {
  const mix = (a, b, f) => a.map((x, k) => Math.round(x + (b[k] - x) * f));
  const [low, mid, high] = [[230, 159, 0], [190, 190, 190], [0, 90, 178]];
  const c = v < 0.5 ? mix(low, mid, v * 2) : mix(mid, high, (v - 0.5) * 2);
  return `rgba(${c[0]},${c[1]},${c[2]},0.75)`;
}

// Draws every run's network at `round` (a run's last streamed round when it has not got
// that far).
function showNetworkRound(round) {
  $("network-round").value = round;
  $("network-round-value").textContent = round;
  if (state.inspected) showInspected();
  document.querySelectorAll("#network .panel").forEach((panel) => {
    const r = state.runs[Number(panel.dataset.run)];
    const canvas = panel.querySelector("canvas");
    if (!r || !r.network || !canvas) return;
    let at = Math.min(round, r.trust.length - 1);
    while (at > 0 && !r.trust[at]) at--;
    const pick = state.inspected && state.inspected.run === Number(panel.dataset.run) ? state.inspected.actor : null;
    drawNetwork(canvas, r.network, r.trust[at], at, pick);
  });
}

// An actor's name as the page shows it, in its language (a coordinating agency's is
// worded in Indonesian by the server); its id when it has no name of its own.
function actorName(a) {
  const name = state.lang === "id" && a.name_id ? a.name_id : a.name;
  return name && name !== a.id ? name : a.id;
}

// The actor drawn nearest a click at (fx, fy), fractions of the picture's width and
// height (the layout drawNetwork uses), or null when none is within reach.
function actorAt(net, fx, fy) {
  const pad = 0.04;
  let best = null, bestD = 0.03 * 0.03;
  net.actors.forEach((a, k) => {
    const dx = pad + a.x * (1 - 2 * pad) - fx, dy = pad + a.y * (1 - 2 * pad) - fy;
    if (dx * dx + dy * dy < bestD) { best = k; bestD = dx * dx + dy * dy; }
  });
  return best;
}

// The actor clicked in a network, at the round shown: its kind, sector, power and
// commitment, and its trust with each partner (mutual, the picture's), most trusted first.
function showInspected() {
  const box = $("actor-info");
  const pick = state.inspected;
  const r = pick && state.runs[pick.run];
  if (!r || !r.network) { box.hidden = true; return; }
  const round = Number($("network-round").value);
  let at = Math.min(round, r.trust.length - 1);
  while (at > 0 && !r.trust[at]) at--;
  const a = r.network.actors[pick.actor];
  const values = r.actorsAt[at];
  const number = (v) => (state.lang === "id" ? (v / 100).toFixed(2).replace(".", ",") : (v / 100).toFixed(2));
  const partners = [];
  r.network.relations.forEach(([x, y, from, until], k) => {
    if (x !== pick.actor && y !== pick.actor) return;
    if (at < from || (until !== null && at > until) || !r.trust[at]) return;
    const other = r.network.actors[x === pick.actor ? y : x];
    if (other.joins > at) return;
    partners.push([other, r.trust[at][k]]);
  });
  partners.sort((p, q) => q[1] - p[1]);
  const name = actorName(a) !== a.id ? `${actorName(a)} (${a.id})` : a.id;
  box.innerHTML = "<h3></h3><p></p><p></p><ul></ul>";
  box.querySelector("h3").textContent = `${name}, ${t("round_n", { round: at })}`;
  const [facts, trusts] = box.querySelectorAll("p");
  facts.textContent = t("inspect_facts", {
    kind: t(a.agency ? "inspect_agency" : "inspect_non_state"),
    sector: sectorName(a.sector),
    power: values ? number(values.power[pick.actor]) : "-",
    commitment: values ? number(values.commitment[pick.actor]) : "-",
  });
  trusts.textContent = t("inspect_trusts", { n: partners.length });
  const list = box.querySelector("ul");
  for (const [other, v] of partners.slice(0, 12)) {
    const li = document.createElement("li");
    const label = actorName(other);
    // A name that already says its sector ("coordinating agency (coordination)") keeps it once.
    const sector = label.endsWith(`(${sectorName(other.sector)})`) ? "" : ` (${sectorName(other.sector)})`;
    li.textContent = `${label}${sector}: ${number(v)}`;
    list.appendChild(li);
  }
  box.hidden = false;
}

function drawNetwork(canvas, net, trust, round, highlight = null) {
  const size = Math.round(canvas.clientWidth * (window.devicePixelRatio || 1)) || 600;
  if (canvas.width !== size) { canvas.width = size; canvas.height = size; }
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, size, size);
  if (!trust) return;
  const pad = size * 0.04;
  const px = (v) => pad + v * (size - 2 * pad);
  const scale = size / 900;
  const wide = net.relations.length > 1500 ? 0.5 : 1;
  const drawn = [];
  net.relations.forEach(([i, j, from, until], k) => {
    const a = net.actors[i], b = net.actors[j];
    if (round < from || (until !== null && round > until) || a.joins > round || b.joins > round) return;
    drawn.push([trust[k] / 100, a, b]);
  });
  // Low trust first, so trusted relations stay visible on top.
  drawn.sort((x, y) => x[0] - y[0]);
  for (const [v, a, b] of drawn) {
    g.strokeStyle = trustColour(v);
    g.lineWidth = Math.max(1, (0.6 + 3.4 * v) * wide * scale * 1.6);
    g.beginPath();
    g.moveTo(px(a.x), px(a.y));
    g.lineTo(px(b.x), px(b.y));
    g.stroke();
  }
  const n = net.actors.length;
  const node = Math.max(2, (n > 400 ? 3 : n > 120 ? 5 : 8) * scale * 1.6);
  g.lineWidth = Math.max(1, scale);
  g.strokeStyle = "#000";
  for (const a of net.actors) {
    if (a.joins > round) continue;
    g.fillStyle = SECTOR_COLOURS[Math.max(0, state.sectors.indexOf(a.sector)) % SECTOR_COLOURS.length];
    g.beginPath();
    if (a.agency) g.rect(px(a.x) - node - 1, px(a.y) - node - 1, 2 * node + 2, 2 * node + 2);
    else g.arc(px(a.x), px(a.y), node, 0, 2 * Math.PI);
    g.fill();
    g.stroke();
  }
  // The actor inspected: a thick ring round it.
  if (highlight !== null && net.actors[highlight].joins <= round) {
    const a = net.actors[highlight];
    g.lineWidth = Math.max(2, 3 * scale);
    g.strokeStyle = "#d55e00";
    g.beginPath();
    g.arc(px(a.x), px(a.y), node + Math.max(4, 6 * scale), 0, 2 * Math.PI);
    g.stroke();
  }
}

function stopPlaying() {
  if (state.playing) clearInterval(state.playing);
  state.playing = null;
  $("network-play").textContent = t("play");
  $("network-play").dataset.i18n = "play";
}

function togglePlay() {
  if (state.playing) { stopPlaying(); return; }
  const slider = $("network-round");
  state.networkFollow = false;
  let round = Number(slider.value) >= Number(slider.max) ? 0 : Number(slider.value);
  $("network-play").textContent = t("pause");
  $("network-play").dataset.i18n = "pause";
  const last = Number(slider.max);
  const step = Math.max(1, Math.round(last / 150));
  state.playing = setInterval(() => {
    showNetworkRound(round);
    if (round >= last) { stopPlaying(); return; }
    round = Math.min(last, round + step);
  }, 40);
}

function showHeadline() {
  const box = $("headline");
  box.innerHTML = "";
  state.runs.forEach((r, i) => {
    if (!r || !r.finished) return;
    const span = document.createElement("span");
    span.className = "run";
    span.dataset.run = i;
    const c = r.finished.consensus;
    // Indonesian numbers take a decimal comma (128,5).
    const median = c.median_round && state.lang === "id" ? c.median_round.replace(".", ",") : c.median_round;
    const line = t("consensus_figures", c) + (c.median_round ? t("median_round", { median }) : "");
    span.innerHTML = `<span class="dot" style="background:${COLOURS[i].line}"></span><span class="name"></span>: ${t("consensus_reached")} <span class="consensus" data-testid="consensus-${i}"></span>`;
    span.querySelector(".name").textContent = r.name;
    span.querySelector(".consensus").textContent = line;
    box.appendChild(span);
  });
}

let redrawPending = false;
function scheduleRedraw() {
  if (redrawPending) return;
  redrawPending = true;
  requestAnimationFrame(() => {
    redrawPending = false;
    for (const [metric, chart] of Object.entries(state.charts)) chart.setData(chartData(metric));
  });
}

function chartData(metric) {
  const rounds = Math.max(...state.runs.filter(Boolean).map((r) => r.rounds));
  const x = Array.from({ length: rounds + 1 }, (_, i) => i);
  const data = [x];
  state.runs.forEach((r) => {
    const s = r.series[metric] || [[], [], []];
    // Rounds not yet shown (paced, paused) stay blank.
    for (const k of [0, 1, 2]) data.push(x.map((i) => (i > state.shown || s[k][i] === undefined ? null : s[k][i])));
  });
  return data;
}

// A link that carries the settings, for a slide: the language, the bundled scenario, every
// setting moved, the practices ticked with their rounds, the scenario compared with.
function settingsLink() {
  const p = new URLSearchParams();
  p.set("lang", state.lang);
  if (state.base && !state.base.uploaded) p.set("scenario", state.base.name);
  for (const s of movedSliders()) p.set(s.id, $(s.id).value);
  for (const [practice, round] of tickedPractices()) p.append("practice", `${practice}@${round}`);
  if ($("compare").checked) p.set("compare", $("scenario-b").value);
  return `${location.origin}${location.pathname}?${p}`;
}

// The settings a link carries (`settingsLink`), applied at start; anything it names that
// the page does not know is left as it is.
function applyLink() {
  const p = new URLSearchParams(location.search);
  const name = p.get("scenario");
  if (name && state.scenarios.some((s) => s.name === name)) selectScenario(name);
  for (const s of SLIDERS) {
    const v = p.get(s.id);
    if (v !== null && v !== "" && Number.isFinite(Number(v)) && $(s.id)) setSlider(s.id, Number(v));
  }
  for (const entry of p.getAll("practice")) {
    const [practice, round] = entry.split("@");
    if (!PRACTICES.includes(practice)) continue;
    $(`practice-${practice}`).checked = true;
    if (round && Number.isInteger(Number(round)) && Number(round) >= 1) $(`practice-${practice}-round`).value = round;
  }
  const other = p.get("compare");
  if (other && state.scenarios.some((s) => s.name === other)) {
    $("compare").checked = true;
    $("scenario-b").value = other;
  }
  const lesson = p.get("lesson");
  if (LESSONS.some((l) => l.id === lesson)) { state.lesson = lesson; renderLesson(); }
}

// Text for HTML or SVG markup: &, < and > escaped.
function escapeHtml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// The chosen lesson's worksheet, in the page's language, opened in a new tab to print
// (one A4 page): each step's task and question with room to write what the class saw and
// answered, a conclusion, and the link that opens the page on this lesson.
function worksheet() {
  const lesson = LESSONS.find((l) => l.id === state.lesson) || LESSONS[0];
  const e = escapeHtml;
  const lines = (n) => '<div class="line"></div>'.repeat(n);
  const link = `${location.origin}${location.pathname}?lang=${state.lang}&lesson=${lesson.id}`;
  const steps = lesson.steps.map((_, i) => `<section><h2>${e(t("worksheet-step", { n: i + 1 }))}</h2>
<p>${e(t(`lesson-${lesson.id}-${i + 1}-task`))}</p>
<p class="ask">${e(t("worksheet-seen"))}</p>${lines(2)}
<p class="ask">${e(t(`lesson-${lesson.id}-${i + 1}-question`))}</p>${lines(3)}</section>`).join("\n");
  const html = `<!doctype html>
<html lang="${state.lang}"><head><meta charset="utf-8"><title>${e(t("worksheet-title", { title: t(`lesson-${lesson.id}-title`) }))}</title>
<style>
@page { size: A4; margin: 12mm 15mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1a1a1a; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 17pt; color: #0072b2; margin: 0 0 4pt; }
h2 { font-size: 11.5pt; color: #0072b2; margin: 8pt 0 2pt; border-bottom: 1.5px solid #0072b2; }
p { margin: 3pt 0; } p.ask { font-weight: bold; margin-top: 6pt; }
.who { display: flex; gap: 12mm; margin: 6pt 0; } .who span { flex: 1; border-bottom: 1px solid #555; padding-bottom: 2pt; }
.line { border-bottom: 1px solid #999; height: 6.4mm; }
section { break-inside: avoid; } footer { margin-top: 8pt; font-size: 8.5pt; color: #555; word-break: break-all; }
</style></head><body>
<h1>${e(t("worksheet-title", { title: t(`lesson-${lesson.id}-title`) }))}</h1>
<div class="who"><span>${e(t("worksheet-name"))}</span><span>${e(t("worksheet-group"))}</span><span>${e(t("worksheet-date"))}</span></div>
<p>${e(t("worksheet-intro"))}</p>
${steps}
<section><h2>${e(t("worksheet-conclusion"))}</h2>${lines(2)}</section>
<footer>${e(t("worksheet-footer", { link }))}</footer>
</body></html>`;
  const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
  const tab = window.open(url, "_blank");
  if (!tab) window.location.href = url;
}

async function shareLink() {
  const url = settingsLink();
  history.replaceState(null, "", url);
  try { await navigator.clipboard.writeText(url); } catch (_) { /* no clipboard: the address bar has it */ }
  setStatus("link_ready");
}

// A chart as a PNG: white ground, its title, each run's name in its colour, the plot.
function saveChartPng(metric) {
  const u = state.charts[metric];
  if (!u) return;
  const plot = u.ctx.canvas;
  const dpr = plot.width / u.width;
  const runs = state.runs.filter(Boolean);
  const top = (34 + 24 * runs.length) * dpr;
  const canvas = document.createElement("canvas");
  canvas.width = plot.width;
  canvas.height = plot.height + top;
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = "#1a1a1a";
  g.font = `bold ${18 * dpr}px DejaVu Sans, sans-serif`;
  g.fillText(t(metric), 10 * dpr, 24 * dpr);
  g.font = `${15 * dpr}px DejaVu Sans, sans-serif`;
  runs.forEach((r, i) => {
    const y = (34 + 24 * i + 14) * dpr;
    g.fillStyle = COLOURS[i].line;
    g.fillRect(10 * dpr, y - 10 * dpr, 24 * dpr, 5 * dpr);
    g.fillStyle = "#1a1a1a";
    g.fillText(r.name, 42 * dpr, y);
  });
  g.drawImage(plot, 0, top);
  canvas.toBlob((blob) => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${metric}.png`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }, "image/png");
}

// A chart as an SVG drawing, for a slide or a paper: its title, each run's name in its
// colour, the axes on the chart's own range, each run's mean and band as the page draws
// them up to the round shown, and the interventions marked and labelled (markLanes).
function saveChartSvg(metric) {
  const u = state.charts[metric];
  if (!u) return;
  const runs = state.runs.filter(Boolean);
  const e = escapeHtml;
  const W = 800, H = 520, left = 64, right = 24, top = 44 + 22 * runs.length, bottom = 52;
  const [x0, x1] = [u.scales.x.min, u.scales.x.max];
  const [y0, y1] = [u.scales.y.min, u.scales.y.max];
  const X = (v) => left + ((v - x0) / (x1 - x0 || 1)) * (W - left - right);
  const Y = (v) => H - bottom - ((v - y0) / (y1 - y0 || 1)) * (H - top - bottom);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="10" y="26" font-size="18" font-weight="bold" fill="#1a1a1a">${e(t(metric))}</text>`];
  runs.forEach((r, i) => {
    const y = 44 + 22 * i;
    out.push(`<rect x="10" y="${y - 9}" width="24" height="5" fill="${COLOURS[i].line}"/><text x="42" y="${y}" font-size="14" fill="#1a1a1a">${e(r.name)}</text>`);
  });
  // Axes: five steps on each, the page's number format.
  for (let k = 0; k <= 5; k++) {
    const yv = y0 + ((y1 - y0) * k) / 5, xv = Math.round(x0 + ((x1 - x0) * k) / 5);
    out.push(`<line x1="${left}" x2="${W - right}" y1="${Y(yv)}" y2="${Y(yv)}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${left - 6}" y="${Y(yv) + 4}" font-size="12" text-anchor="end">${e(numberText(yv))}</text>`);
    out.push(`<text x="${X(xv)}" y="${H - bottom + 18}" font-size="12" text-anchor="middle">${xv}</text>`);
  }
  out.push(`<rect x="${left}" y="${top}" width="${W - left - right}" height="${H - top - bottom}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${(left + W - right) / 2}" y="${H - 12}" font-size="13" text-anchor="middle">${e(t("round"))}</text>`);
  const rounds = u.data[0];
  runs.forEach((r, i) => {
    const [mean, low, high] = [u.data[1 + 3 * i], u.data[2 + 3 * i], u.data[3 + 3 * i]];
    const at = rounds.map((x, k) => k).filter((k) => mean[k] != null);
    if (metric !== "consensus_now" && at.length) {
      const band = at.map((k) => `${X(rounds[k])},${Y(high[k])}`).concat(at.slice().reverse().map((k) => `${X(rounds[k])},${Y(low[k])}`));
      out.push(`<polygon points="${band.join(" ")}" fill="${COLOURS[i].band}"/>`);
    }
    out.push(`<polyline points="${at.map((k) => `${X(rounds[k])},${Y(mean[k])}`).join(" ")}" fill="none" stroke="${COLOURS[i].line}" stroke-width="2.5"/>`);
  });
  const marks = marksOf(runs).filter((m) => m.round >= x0 && m.round <= x1);
  // DejaVu Sans at 12 px: about 7 px a character.
  const lanes = markLanes(marks.map((m) => X(m.round)), marks.map((m) => 7 * m.label.length), left, W - right, 4);
  marks.forEach((m, k) => {
    out.push(`<line x1="${X(m.round)}" x2="${X(m.round)}" y1="${top}" y2="${H - bottom}" stroke="${m.colour}" stroke-dasharray="6 4" stroke-width="1.5"/>`);
    out.push(`<text x="${lanes[k].left}" y="${top + 14 + 15 * lanes[k].lane}" font-size="12" fill="#333">${e(m.label)}</text>`);
  });
  out.push("</svg>");
  download(`${metric}.svg`, out.join("\n") + "\n", "image/svg+xml");
}

// Shows every run up to `round` (as far as it has arrived): charts, network, status.
function showUpTo(round) {
  state.shown = Math.min(round, state.received);
  const r = state.runs.filter(Boolean).slice(-1)[0];
  if (r && (state.controller || state.shown < r.rounds)) setStatus("running", { name: r.name, round: state.shown, rounds: r.rounds });
  else if (r) setStatus("done");
  scheduleRedraw();
  if (state.networkFollow) showNetworkRound(Math.max(0, state.shown));
  document.body.dataset.shownRound = String(state.shown);
}

// Starts (or stops) the timer that advances the shown round at the chosen speed.
function pace() {
  const due = !state.paused && state.speed !== Infinity && state.shown < state.received;
  if (due && !state.pacer) {
    state.pacer = setInterval(() => {
      if (state.paused || state.shown >= state.received) { clearInterval(state.pacer); state.pacer = null; return; }
      showUpTo(state.shown + 1);
    }, 1000 / state.speed);
  } else if (!due && state.pacer) {
    clearInterval(state.pacer);
    state.pacer = null;
  }
}

function setPaused(paused) {
  state.paused = paused;
  const button = $("hold");
  button.dataset.i18n = paused ? "resume" : "hold";
  button.textContent = t(button.dataset.i18n);
  button.setAttribute("aria-pressed", String(paused));
  if (!paused && state.speed === Infinity) showUpTo(state.received);
  pace();
}

// One more round, paused after it.
function stepRound() {
  if (!state.paused) setPaused(true);
  if (state.shown < state.received) showUpTo(state.shown + 1);
}

// The speed in words, in the page's language (reworded when the language changes).
function showSpeed() {
  $("speed-value").textContent = state.speed === Infinity ? t("speed_max") : t("speed_value", { n: state.speed });
}

function setSpeed(index) {
  state.speed = SPEEDS[index];
  $("speed").value = index;
  showSpeed();
  if (state.pacer) { clearInterval(state.pacer); state.pacer = null; }
  if (state.speed === Infinity && !state.paused) showUpTo(state.received);
  pace();
}

// Every run's interventions as marks (round, label in the page's language, the run's
// colour), in round order; the same practice at the same round in two runs once.
function marksOf(runs) {
  const marks = [];
  runs.forEach((r, i) => {
    for (const iv of r.interventions || []) {
      const label = state.lang === "id" && iv.label_id ? iv.label_id : iv.label;
      if (!marks.some((m) => m.round === iv.round && m.label === label)) marks.push({ round: iv.round, label, colour: COLOURS[i].line });
    }
  });
  return marks.sort((a, b) => a.round - b.round);
}

// A dashed vertical line and its label at each intervention's round (of every run), in
// the page's language; labels never overlap (markLanes).
function interventionMarks(runs) {
  const marks = marksOf(runs);
  return {
    hooks: {
      draw: [(u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.font = `${Math.round(12 * devicePixelRatio)}px DejaVu Sans, sans-serif`;
        ctx.textBaseline = "top";
        const gap = 4 * devicePixelRatio;
        const lanes = markLanes(marks.map((m) => u.valToPos(m.round, "x", true)), marks.map((m) => ctx.measureText(m.label).width), u.bbox.left, u.bbox.left + u.bbox.width, gap);
        marks.forEach((m, k) => {
          const x = u.valToPos(m.round, "x", true);
          if (!Number.isFinite(x)) return;
          ctx.strokeStyle = m.colour;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          // A white ground under the label, so a line crossing it does not hide it.
          const { lane, left } = lanes[k];
          ctx.setLineDash([]);
          ctx.fillStyle = "rgba(255,255,255,0.85)";
          ctx.fillRect(left, u.bbox.top + (3 + 15 * lane) * devicePixelRatio, ctx.measureText(m.label).width, 14 * devicePixelRatio);
          ctx.fillStyle = "#333";
          ctx.textAlign = "left";
          ctx.fillText(m.label, left, u.bbox.top + (4 + 15 * lane) * devicePixelRatio);
        });
        ctx.restore();
      }],
    },
  };
}

// Where each mark's label goes, marks in round order at pixel `xs` with label `widths`,
// inside the plot from `leftEdge` to `right`: right of its line, or left of it where it
// would pass the right edge, or as far right as it fits where neither side holds it; in
// the first lane (row) where it clears every label already there by `gap`. The same rule
// as the charts of collabgov run (collabgov_viz's mark_lanes).
function markLanes(xs, widths, leftEdge, right, gap) {
  const ends = [];
  return xs.map((x, k) => {
    const w = widths[k];
    const left = x + gap + w <= right ? x + gap : x - gap - w >= leftEdge ? x - gap - w : Math.max(leftEdge, right - w);
    let lane = 0;
    while (ends.some(([l, from, to]) => l === lane && left < to + gap && left + widths[k] > from - gap)) lane += 1;
    ends.push([lane, left, left + widths[k]]);
    return { lane, left };
  });
}

function rebuildCharts() {
  const box = $("charts");
  box.innerHTML = "";
  state.charts = {};
  const runs = state.runs.filter(Boolean);
  if (!runs.length) return;
  const metrics = runs[0].metrics;
  const width = Math.max(Math.min(420, box.clientWidth - 20), Math.floor(box.clientWidth / Math.max(1, Math.floor(box.clientWidth / 520))) - 30);
  for (const metric of metrics) {
    const div = document.createElement("div");
    div.className = "chart";
    div.dataset.metric = metric;
    const h = document.createElement("h3");
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = t(metric);
    h.appendChild(title);
    // Save the chart as a picture or a drawing, its title and the runs' names drawn in.
    for (const [key, save] of [["save_png", saveChartPng], ["save_svg", saveChartSvg]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "save";
      button.textContent = t(key);
      button.addEventListener("click", () => save(metric));
      h.appendChild(button);
    }
    div.appendChild(h);
    box.appendChild(div);
    // The legend under the chart names each run and, under the cursor, gives the round's
    // values (mean and band) in the page's number format.
    const value = (u, v) => (v == null ? "–" : numberText(v));
    const series = [{ label: t("round"), value: (u, v) => (v == null ? "–" : String(v)) }];
    const bands = [];
    state.runs.forEach((r, i) => {
      const base = series.length;
      series.push({ label: `${r.name}`, stroke: COLOURS[i].line, width: 3, points: { show: false }, value });
      series.push({ label: `${t("band")} ↓`, stroke: "transparent", width: 0, points: { show: false }, value });
      series.push({ label: `${t("band")} ↑`, stroke: "transparent", width: 0, points: { show: false }, value });
      // A share of replicates has no band of its own: each replicate is in consensus or not.
      if (metric !== "consensus_now") bands.push({ series: [base + 2, base + 1], fill: COLOURS[i].band });
    });
    const axis = { font: "15px DejaVu Sans, sans-serif", labelFont: "15px DejaVu Sans, sans-serif", size: 50 };
    const opts = {
      width,
      height: 280,
      series,
      bands,
      legend: { show: true, live: true },
      // A share on its whole range [0, 1], a count from 0: trust that barely moves looks
      // flat, as it is.
      scales: {
        x: { time: false },
        y: { range: runs[0].shares.includes(metric) ? [0, 1] : (u, min, max) => [0, Math.max(1, max * 1.05)] },
      },
      axes: [
        { ...axis, label: t("round"), incrs: [1, 2, 5, 10, 20, 25, 50, 100] },
        { ...axis, size: 60 },
      ],
      cursor: { show: true },
      plugins: [interventionMarks(runs)],
    };
    state.charts[metric] = new uPlot(opts, chartData(metric), div);
  }
}

// Panels by sector, drawn once a run has finished: for each run, trust and commitment
// of each sector's actors round by round (the `sector:` groups of rounds.csv).
const SECTOR_METRICS = ["trust", "commitment"];
function renderSectors() {
  const box = $("sectors");
  box.replaceChildren();
  const runs = state.runs.filter((r) => r && r.finished && r.finished.groups && r.finished.groups.length);
  if (!runs.length) return;
  const heading = document.createElement("h3");
  heading.dataset.i18n = "by_sector";
  heading.textContent = t("by_sector");
  const hint = document.createElement("p");
  hint.className = "muted";
  hint.dataset.i18n = "by_sector_hint";
  hint.textContent = t("by_sector_hint");
  box.append(heading, hint);
  const width = Math.max(320, Math.min(560, box.clientWidth - 30));
  for (const r of runs) {
    for (const metric of SECTOR_METRICS) {
      const lines = r.finished.groups.filter((g) => g.metric === metric);
      if (!lines.length) continue;
      const div = document.createElement("div");
      div.className = "sector-chart";
      div.dataset.metric = metric;
      div.dataset.run = r.name;
      const h = document.createElement("h4");
      h.textContent = `${r.name}: ${t("group_" + metric)}`;
      div.appendChild(h);
      box.appendChild(div);
      const x = lines[0].mean.map((_, i) => i);
      const series = [{ label: t("round") }];
      lines.forEach((g, i) => {
        // The network picture's colour for the sector where it draws one.
        const k = state.sectors.includes(g.sector) ? state.sectors.indexOf(g.sector) : i;
        series.push({
          label: sectorName(g.sector),
          stroke: SECTOR_COLOURS[k % SECTOR_COLOURS.length],
          dash: k >= SECTOR_COLOURS.length ? [6, 4] : undefined,
          width: 2,
          points: { show: false },
        });
      });
      const axis = { font: "15px DejaVu Sans, sans-serif", labelFont: "15px DejaVu Sans, sans-serif", size: 50 };
      new uPlot({
        width,
        height: 240,
        series,
        legend: { show: true },
        scales: { x: { time: false }, y: { range: [0, 1] } },
        axes: [{ ...axis, label: t("round") }, { ...axis, size: 60 }],
      }, [x, ...lines.map((g) => g.mean)], div);
    }
  }
}

// The handout of the runs on the page (collabgov report --handout), in the page's
// language, opened in a new tab to print: the server runs them again (the same seed gives
// the same numbers). The tab opens at the click, so no pop-up blocker stops it.
async function handout() {
  const runs = state.runs.filter((r) => r && r.finished);
  if (!runs.length || !state.texts) return;
  hideError();
  const tab = window.open("", "_blank");
  setStatus("handout_wait");
  try {
    const response = await fetch("/api/handout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runs: state.texts, names: runs.map((r) => r.name), lang: state.lang }),
    });
    if (!response.ok) throw (await response.json()).error;
    const url = URL.createObjectURL(new Blob([await response.text()], { type: "text/html" }));
    if (tab) tab.location.href = url;
    else window.location.href = url;
    setStatus("handout_ready");
  } catch (error) {
    if (tab) tab.close();
    showError(error);
  }
}

function download(name, text, type) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

async function init() {
  await loadCatalogues();
  buildControls();
  // The language: a link's `?lang=id` or `?lang=en`, else the one chosen here before, else
  // the browser's.
  const asked = new URLSearchParams(location.search).get("lang");
  let kept = null;
  try { kept = localStorage.getItem("collabgov-lang"); } catch (_) { /* storage off */ }
  const prefersIndonesian = (navigator.languages || [navigator.language || "en"])[0].toLowerCase().startsWith("id");
  state.lang = [asked, kept].find((l) => l === "id" || l === "en") || (prefersIndonesian ? "id" : "en");
  state.scenarios = await (await fetch("/api/scenarios")).json();
  for (const select of [$("scenario"), $("scenario-b")]) {
    for (const s of state.scenarios) {
      const o = document.createElement("option");
      o.value = s.name;
      o.textContent = s.name;
      select.appendChild(o);
    }
  }
  $("scenario").addEventListener("change", (e) => selectScenario(e.target.value));
  $("upload").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const text = await file.text();
    try {
      const facts = await compose(text, file.name, [], []);
      state.base = { name: file.name, toml: text, file: file.name, uploaded: true, facts: { ...facts, params: facts.params || {} } };
      showDescription();
      hideError();
      clearSettings();
    } catch (error) {
      // The file's own line is at fault, not a control of the page.
      showError(error, false);
    }
  });
  $("run").addEventListener("click", run);
  $("assess").addEventListener("click", assess);
  $("network-play").addEventListener("click", togglePlay);
  $("network-round").addEventListener("input", (e) => {
    state.networkFollow = false;
    stopPlaying();
    showNetworkRound(Number(e.target.value));
  });
  $("stop").addEventListener("click", () => state.controller && state.controller.abort());
  $("handout").addEventListener("click", handout);
  $("download-toml").addEventListener("click", () => {
    if (state.composed) download(`${state.composed.name}.toml`, state.composed.toml, "application/toml");
  });
  // rounds.csv of every run on the page; with two or more, one table with a `run` column
  // first (the run's name), so a comparison's both runs go to a spreadsheet together.
  $("download-csv").addEventListener("click", () => {
    const runs = state.runs.filter((r) => r && r.finished);
    if (!runs.length) return;
    if (runs.length === 1) { download(`${runs[0].name}-rounds.csv`, runs[0].finished.rounds_csv, "text/csv"); return; }
    const quote = (v) => `"${String(v).replace(/"/g, '""')}"`;
    let out = "";
    runs.forEach((r, i) => {
      const [header, ...rows] = r.finished.rounds_csv.trimEnd().split("\n");
      if (i === 0) out += `run,${header}\n`;
      for (const row of rows) out += `${quote(r.name)},${row}\n`;
    });
    download("comparison-rounds.csv", out, "text/csv");
  });
  document.querySelectorAll(".lang button").forEach((b) => b.addEventListener("click", () => setLanguage(b.dataset.lang)));
  setLanguage(state.lang);
  selectScenario(state.scenarios.some((s) => s.name === "siloed-government") ? "siloed-government" : state.scenarios[0].name);
  $("scenario-b").value = "siloed-government";
  applyLink();
  window.addEventListener("resize", () => { rebuildCharts(); renderSectors(); showNetworkRound(Number($("network-round").value)); });
  $("hold").addEventListener("click", () => setPaused(!state.paused));
  $("lesson-choice").addEventListener("change", (e) => { state.lesson = e.target.value; renderLesson(); });
  $("worksheet").addEventListener("click", worksheet);
  $("share").addEventListener("click", shareLink);
  $("present").addEventListener("click", () => {
    const on = document.body.classList.toggle("presenting");
    $("present").setAttribute("aria-pressed", String(on));
    rebuildCharts();
    // Back to the top: the scenario, Jalankan and the headline.
    if (on) window.scrollTo(0, 0);
  });
  $("step").addEventListener("click", stepRound);
  $("speed").addEventListener("input", (e) => setSpeed(Number(e.target.value)));
  setSpeed(SPEEDS.length - 1);
  // Space: run, or pause and resume a run in progress; right arrow: one round more. Not
  // while typing in a field or on a control that space already presses.
  document.addEventListener("keydown", (e) => {
    const tag = (e.target.tagName || "").toLowerCase();
    if (["input", "select", "textarea", "button", "summary"].includes(tag) || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === " ") {
      e.preventDefault();
      const busy = state.controller || state.shown < state.received;
      if (busy) setPaused(!state.paused);
      else { setPaused(false); run(); }
    } else if (e.key === "ArrowRight") {
      e.preventDefault();
      stepRound();
    }
  });
}

init();
