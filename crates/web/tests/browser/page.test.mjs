// End-to-end test of the classroom page in a real browser (Debian's chromium, driven by
// playwright-core): pick a scenario, move the silo slider, run, and check the consensus
// figure the page shows against `collabgov run` of the TOML the page downloads; compare
// two runs; switch the language; rank the practices (assess); upload a bad file. Screenshots go to output/screenshots/.
//
// Usage: node page.test.mjs URL COLLABGOV_BINARY SCREENSHOT_DIR
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

const [url, cli, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "collabgov-page-"));

async function browser(locale) {
  // As root and offline: no sandbox, no GPU, no background networking, a fresh profile.
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "chromium-")), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    locale,
    acceptDownloads: true,
    viewport: { width: 1600, height: 1200 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

function watch(page) {
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

// Clicks Run and waits for that run (not an earlier one) to finish.
async function runAndWait(page) {
  const before = Number((await page.getAttribute("body", "data-runs-done")) || 0);
  await page.click("#run");
  await page.waitForFunction(
    (n) => Number(document.body.dataset.runsDone || 0) > n,
    before,
    { timeout: 120_000 },
  );
}

const step = (name) => console.log(`ok - ${name}`);

// English page.
const context = await browser("en-US");
const page = context.pages()[0] || (await context.newPage());
const errors = watch(page);
await page.goto(url);
await page.waitForSelector("#scenario option[value='siloed-government']", { state: "attached" });
assert.equal((await page.textContent("#run")).trim(), "Run");
await page.selectOption("#scenario", "siloed-government");
await page.fill("#silo", "0.6");
await page.fill("#replicates", "60");
await runAndWait(page);
const shown = (await page.textContent("[data-testid=consensus-0]")).trim();
const summary = await page.textContent("#summary-text");
assert.equal(await page.locator(".chart").count(), 6, "six charts");
step(`run in the page: consensus ${shown}`);
await page.screenshot({ path: join(shots, "page-run-en.png"), fullPage: true });

// The downloaded TOML, run by the CLI, prints the same numbers.
const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-toml")]);
const toml = join(work, "page.toml");
await download.saveAs(toml);
assert.match(readFileSync(toml, "utf8"), /silo = 0\.6/);
// Its description says what changed, not the scenario it was before.
assert.match(readFileSync(toml, "utf8"), /description = ".*Changed on the classroom page: siloisation 0\.6\."/);
const printed = execFileSync(cli, ["run", toml, "--no-charts", "--out", join(work, "run")], { encoding: "utf8" });
const cliLine = printed.split("\n").find((l) => l.includes("consensus reached in"));
assert.ok(cliLine, printed);
assert.equal(cliLine.trim(), `consensus reached in ${shown}`);
for (const line of printed.split("\n").slice(1).filter((l) => l.startsWith("  "))) {
  assert.ok(summary.includes(line.trim()), `the page's summary lacks: ${line.trim()}`);
}
step("the downloaded TOML gives the same numbers in `collabgov run`");

// Compare: a task force and a coordinating agency from round 30 against the siloed forum.
await page.fill("#silo", "0.85");
await page.check("#practice-coordinating_agency");
await page.fill("#practice-coordinating_agency-round", "30");
await page.check("#practice-task_force");
await page.fill("#practice-task_force-round", "30");
await page.check("#compare");
await page.selectOption("#scenario-b", "siloed-government");
await runAndWait(page);
assert.equal(await page.locator("#headline .run").count(), 2);
const comparison = await page.textContent("#summary-text");
assert.match(comparison, /siloed-government/);
// The changed run is named by what changed, not "-edited".
const changedRun = await page.evaluate(() => state.runs.filter(Boolean).map((r) => r.name).join(" | "));
assert.match(changedRun, /siloed-government \+ coordinating agency, task force.*\(round 30\), siloisation 0\.85/, changedRun);
// Charts that teach: shares on [0, 1] whatever the data, counts from 0, and a marker at
// every intervention round.
const scales = await page.evaluate(() => ["trust_across", "wins"].map((m) => [state.charts[m].scales.y.min, state.charts[m].scales.y.max]));
assert.deepEqual(scales[0], [0, 1], "a share on [0, 1]");
assert.equal(scales[1][0], 0, "a count from 0");
const marks = await page.evaluate(() => state.runs.filter(Boolean).map((r) => r.interventions.map((iv) => iv.round)));
assert.ok(marks.some((m) => m.includes(30)), `intervention rounds ${JSON.stringify(marks)}`);
await page.locator(".chart[data-metric=trust_across]").screenshot({ path: join(shots, "page-chart-marks-en.png") });
// A legend names both runs; hovering a round shows its values there.
const legendNames = await page.locator(".chart[data-metric=trust_across] .u-legend .u-series").allTextContents();
assert.ok(legendNames.some((l) => l.includes("siloed-government +")), legendNames.join("|"));
const plotBox = await page.locator(".chart[data-metric=trust_across] .u-over").boundingBox();
await page.mouse.move(plotBox.x + plotBox.width / 2, plotBox.y + plotBox.height / 2);
const hovered = await page.locator(".chart[data-metric=trust_across] .u-legend .u-series .u-value").allTextContents();
assert.ok(hovered.some((v) => /^0\.\d+$/.test(v.trim())), `values on hover: ${hovered.join("|")}`);
// Save a chart as a PNG: a real picture, wider than it is tall, the plot drawn in.
const [picture] = await Promise.all([page.waitForEvent("download"), page.click(".chart[data-metric=trust_across] .save >> nth=0")]);
const png = readFileSync(await picture.path());
assert.equal(png.subarray(1, 4).toString(), "PNG");
assert.equal(picture.suggestedFilename(), "trust_across.png");
// And as an SVG drawing: well-formed, both runs' lines and bands, the intervention marked
// and labelled.
const [drawing] = await Promise.all([page.waitForEvent("download"), page.click(".chart[data-metric=trust_across] .save >> nth=1")]);
assert.equal(drawing.suggestedFilename(), "trust_across.svg");
const svgText = readFileSync(await drawing.path(), "utf8");
const parsed = await page.evaluate((text) => {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  return { error: doc.querySelector("parsererror") !== null, lines: doc.querySelectorAll("polyline").length, bands: doc.querySelectorAll("polygon").length,
    marks: doc.querySelectorAll("line[stroke-dasharray]").length, texts: [...doc.querySelectorAll("text")].map((t) => t.textContent) };
}, svgText);
assert.ok(!parsed.error, "the SVG parses");
assert.equal(parsed.lines, 2);
assert.equal(parsed.bands, 2);
assert.ok(parsed.marks >= 1 && parsed.texts.some((t) => t.includes("task force")), parsed.texts.join("|"));
// The results of both runs in one CSV, a `run` column first.
const [both] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
const bothCsv = readFileSync(await both.path(), "utf8");
assert.ok(bothCsv.startsWith("run,round,"), bothCsv.slice(0, 80));
const runNames = new Set(bothCsv.trim().split("\n").slice(1).map((l) => l.split('",')[0]));
assert.equal(runNames.size, 2, [...runNames].join(" | "));
step("compare: two runs on the same axes, with the CLI's comparison summary, a legend with values on hover, a chart saved as PNG and as SVG, both runs in one CSV");
// Panels by sector: trust and commitment of each run, one line per sector (legend).
assert.equal(await page.locator(".sector-chart").count(), 4, "two panels by sector per run");
const legend = await page.locator(".sector-chart[data-metric=trust][data-run=siloed-government] .u-legend .u-series").allTextContents();
assert.deepEqual(legend.slice(1).map((l) => l.replace(/--$/, "").trim()), ["environment", "health", "industry", "planning"], legend.join("|"));
const drawn = await page.evaluate(() => state.runs[0].finished.groups.filter((g) => g.metric === "trust")
  .every((g) => g.mean.length === state.runs[0].rounds + 1 && g.mean.every((v) => v >= 0 && v <= 1)));
assert.ok(drawn, "every sector has a mean trust in [0, 1] for every round");
await page.locator("#sectors").screenshot({ path: join(shots, "page-sectors-en.png") });
step("panels by sector: trust and commitment, one line per sector");
await page.screenshot({ path: join(shots, "page-compare-en.png"), fullPage: true });


// The live network: one panel per run, following the run to its last round; the round
// slider redraws every panel, and the picture at round 0 differs from the end.
assert.equal(await page.locator("#network canvas").count(), 2);
const rounds = await page.getAttribute("#network-round", "max");
assert.equal(await page.textContent("[data-testid=network-round]"), rounds);
const image = () => page.$eval("[data-testid=network-1]", (c) => c.toDataURL());
const atEnd = await image();
await page.fill("#network-round", "0");
assert.equal(await page.textContent("[data-testid=network-round]"), "0");
const atStart = await image();
assert.notEqual(atStart, atEnd, "the network changes between round 0 and the end");
const added = await page.evaluate(() => state.runs[1].network.relations.filter((r) => r[2] === 30).length);
assert.ok(added > 0, "the task force adds relations from round 30");
await page.fill("#network-round", "29");
const before = await image();
await page.fill("#network-round", "30");
assert.notEqual(before, await image(), "the picture changes when the task force meets");
await page.click("#network-play");
await page.waitForFunction((n) => document.querySelector("[data-testid=network-round]").textContent === n, rounds, { timeout: 30_000 });
assert.equal(await image(), atEnd, "playing ends on the last round's picture");
await page.locator("#network-figure").screenshot({ path: join(shots, "page-network-en.png") });
step(`the network of replicate 0, animated over ${rounds} rounds with a round slider`);

// Click an actor in the network: its kind, sector, power and commitment at the round shown,
// and its trust with each partner, as the run left them; another round rewrites them.
const target = await page.evaluate(() => {
  const net = state.runs[1].network;
  const k = net.actors.findIndex((a) => a.agency);
  const partners = net.relations.filter(([x, y, from, until]) => (x === k || y === k) && from === 0 && until === null).length;
  return { k, x: 0.04 + net.actors[k].x * 0.92, y: 0.04 + net.actors[k].y * 0.92, partners, sector: net.actors[k].sector, id: net.actors[k].id,
    commitment: state.runs[1].actorsAt[state.runs[1].rounds].commitment[k] };
});
await page.fill("#network-round", "0");
const box = await page.locator("[data-testid=network-1]").boundingBox();
await page.mouse.click(box.x + target.x * box.width, box.y + target.y * box.height);
await page.waitForSelector("#actor-info:not([hidden])");
let info = await page.textContent("#actor-info");
assert.match(info, new RegExp(`${target.id}.*round 0`));
assert.match(info, new RegExp(`public agency, sector ${target.sector}; power \\d\\.\\d\\d, commitment to the process \\d\\.\\d\\d`));
assert.ok(await page.locator("#actor-info li").count() >= Math.min(12, target.partners), "its partners at round 0");
await page.fill("#network-round", rounds);
info = await page.textContent("#actor-info");
assert.match(info, new RegExp(`round ${rounds}`));
assert.ok(info.includes(`commitment to the process ${(target.commitment / 100).toFixed(2)}`), info);
await page.locator("#network-figure").screenshot({ path: join(shots, "page-network-inspect-en.png") });
step(`an actor clicked in the network: ${info.slice(0, 90)}...`);


// Indonesian.
await page.click("#lang-id");
assert.equal((await page.textContent("#run")).trim(), "Jalankan");
assert.equal((await page.textContent(".chart[data-metric=trust_across] h3 .title")).trim(), "Kepercayaan antarsektor");
assert.equal((await page.textContent("#network-play")).trim(), "Mainkan");
assert.match(await page.textContent("#headline"), /selang kepercayaan 95\s%: \d+-\d+\s%/);
assert.equal((await page.textContent("label[for=silo] span")).trim(), "Siloisasi");
assert.match(await page.textContent("#headline"), /konsensus tercapai pada \d+\s% dari 60 ulangan/);
assert.match(await page.textContent("#description"), /siloisasi yang kuat/);
assert.match(await page.textContent("#network-legend"), /lembaga publik/);
// Every slider and practice explains itself, in the page's language.
assert.match(await page.textContent("#help-silo"), /Peluang dialog antara dua sektor terhalang/);
assert.match(await page.textContent("#help-task_force"), /tanpa silo/);
assert.ok(await page.isVisible("#help-replicates"));
const unexplained = await page.$$eval(".help", (els) => els.filter((e) => !e.textContent.trim() || e.textContent.startsWith("help_")).map((e) => e.id));
assert.deepEqual(unexplained, [], "every control has a help text");
step("the labels change to Bahasa Indonesia");
await page.screenshot({ path: join(shots, "page-compare-id.png"), fullPage: true });
await page.screenshot({ path: join(shots, "page-top-id.png") });

// Which practice helps most: `collabgov assess` of the scenario as set, in Indonesian.
await page.click("#assess");
await page.waitForFunction(() => Number(document.body.dataset.assessDone || 0) > 0, null, { timeout: 120_000 });
const ranked = await page.$$eval("#assess-table tbody tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
assert.ok(ranked.length >= 4, `a ranking of the menu: ${JSON.stringify(ranked)}`);
assert.deepEqual(ranked.map((r) => r[0]), ranked.map((_, i) => String(i + 1)));
assert.match(ranked[0][3], /^[+−-]?\d+,\d{3} \[/, "trust effects with a decimal comma");
assert.match(await page.textContent("#assess-result h3"), /Praktik mana yang paling membantu\?/);
step(`the page ranks ${ranked.length} practices (first: ${ranked[0][1]}, ${ranked[0][2]})`);
await page.locator("#assess-result").screenshot({ path: join(shots, "page-assess-id.png") });

assert.deepEqual(errors, [], "no console errors");

// A bad upload: the error names the line (the refused request is the one error logged).
await page.setInputFiles("#upload", {
  name: "bad.toml",
  mimeType: "text/plain",
  buffer: Buffer.from('name = "bad"\nrounds = 20\n\n[parameters]\nsilo = 1.4\n'),
});
await page.waitForSelector("#error:not([hidden])");
const error = await page.textContent("#error");
assert.match(error, /bad\.toml, line 5, key `parameters\.silo`/);
// Announced in the status line as well.
assert.match(await page.textContent("#status"), /Tidak dijalankan|Not run/);
assert.equal(await page.locator(".field-error").count(), 0, "a file's error marks no control");
step(`a bad upload names its line: ${error.split("\n")[1]}`);

await page.screenshot({ path: join(shots, "page-error-id.png") });
assert.deepEqual(errors.map((e) => e.includes("422")), [true], "only the refused upload is logged");

// A setting the scenario refuses: the error stands beside the control that caused it (a
// practice from a round past the run's end), and goes when the setting is mended.
await page.selectOption("#scenario", "siloed-government");
await page.check("#practice-task_force");
await page.fill("#practice-task_force-round", "999");
await page.click("#run");
await page.waitForSelector("#row-task_force .field-error");
assert.match(await page.textContent("#row-task_force .field-error"), /putaran harus antara 1 dan \d+, bukan 999/);
assert.equal(await page.getAttribute("#practice-task_force-round", "aria-invalid"), "true");
await page.locator("#practices").screenshot({ path: join(shots, "page-field-error-id.png") });
await page.fill("#practice-task_force-round", "30");
await page.uncheck("#practice-task_force");
await page.fill("#replicates", "12");
await runAndWait(page);
assert.equal(await page.locator(".field-error").count(), 0);
assert.deepEqual(errors.map((e) => e.includes("422")), [true, true], "the refused setting is the one more error logged");
errors.length = 0;
step("a refused setting is marked beside its control, and cleared by the next run");

// Levels of government: the autonomy and control sliders appear only for a scenario with
// levels, and a practice a scenario cannot use is not shown (`hidden` beats the grid).
assert.ok(!(await page.isVisible("#slider-autonomy")), "no autonomy slider for siloed-government");
assert.ok(!(await page.isVisible("#row-one_door")), "no one-door practice without services");
await page.selectOption("#scenario", "levels-devolved");
assert.ok(await page.isVisible("#slider-autonomy") && await page.isVisible("#slider-control"));
assert.equal(await page.inputValue("#autonomy"), "0.9");
await page.evaluate(() => setSlider("control", 0.4));
const composed = await page.evaluate(() => settings());
assert.ok(JSON.stringify(composed).includes("levels.control"), JSON.stringify(composed));
await page.evaluate(() => setSlider("replicates", 20));
await runAndWait(page);
const levelsSummary = await page.textContent("#summary");
// The page is in Indonesian here: the summary box is too (the catalogue the CLI reads).
assert.match(levelsSummary, /tingkat pemerintahan: kepercayaan di dalam pemerintahan 0,\d\d \[0,\d\d; 0,\d\d\]/, levelsSummary);
await page.screenshot({ path: join(shots, "page-levels-en.png"), fullPage: true });
await page.selectOption("#scenario", "siloed-government");
assert.ok(!(await page.isVisible("#slider-autonomy")));
step("levels of government: autonomy and control sliders only where a scenario has levels");
await context.close();

// A browser that asks for Indonesian gets it by default.
const indonesian = await browser("id-ID");
const idPage = indonesian.pages()[0] || (await indonesian.newPage());
await idPage.goto(url);
await idPage.waitForSelector("#scenario option", { state: "attached" });
assert.equal((await idPage.textContent("#run")).trim(), "Jalankan");
step("Indonesian is the default when the browser asks for it");
// A link's ?lang= wins, and a choice made on the page is kept across a reload.
await idPage.goto(`${url}?lang=en`);
await idPage.waitForSelector("#scenario option", { state: "attached" });
assert.equal((await idPage.textContent("#run")).trim(), "Run");
await idPage.click(".lang button[data-lang=id]");
await idPage.goto(url);
await idPage.waitForSelector("#scenario option", { state: "attached" });
assert.equal((await idPage.textContent("#run")).trim(), "Jalankan");
step("?lang= in a link chooses the language, and the choice is kept across a reload");

// No English on the Indonesian page after a run: its text (controls, headline, charts'
// titles, the summary box, legends, the lesson) holds none of the common English words
// below, once proper names and file names are set aside.
await idPage.selectOption("#scenario", "siloed-government");
await runAndWait(idPage);
const ENGLISH = ["the", "and", "of", "to", "in", "with", "from", "is", "are", "by", "for", "at", "on",
  "round", "rounds", "trust", "sector", "sectors", "replicates", "replicate", "agency", "agencies",
  "share", "mean", "interval", "reached", "final", "shared", "understanding", "commitment", "small",
  "wins", "settings", "run", "stop", "download", "results", "scenario", "practice", "practices",
  "lesson", "network", "speed", "pause", "step", "services", "level", "levels", "government",
  "within", "across", "between", "each", "which", "what", "why", "how", "low", "high", "none"];
// Scenario and run names are file names (siloed-government), proper names.
const ALLOWED = [/\([a-z0-9-]+\)/g, /\b[a-z0-9]+(-[a-z0-9]+)+\b/g, /Whole-of-Government/g, /collabgov( \w+)?/g, /uPlot|Apache-2\.0|MIT|LICENSE|TOML|CSV/g,
  /Choose File|No file chosen/g, /`[^`]*`/g, /small wins/g, /Integrating and Rebalancing Governance/g, /https?:\/\/\S+/g];
// The page's text, and the words drawn in its SVG charts (a handout's).
const englishOn = async (p) => {
  let pageText = await p.evaluate(() => document.body.innerText + " " + [...document.querySelectorAll("svg text")].map((t) => t.textContent).join(" "));
  for (const pattern of ALLOWED) pageText = pageText.replace(pattern, " ");
  return [...new Set(pageText.toLowerCase().split(/[^a-z]+/).filter((w) => ENGLISH.includes(w)))];
};
const english = await englishOn(idPage);
assert.deepEqual(english, [], `English words on the Indonesian page: ${english.join(", ")}`);
await idPage.screenshot({ path: join(shots, "page-run-id-1280.png"), fullPage: true });
step(`the Indonesian page after a run: none of ${ENGLISH.length} common English words outside names`);

// The projector: at 1280x720 the scenario, the first setting, Run and the headline are
// all on the first screen, without scrolling.
await idPage.setViewportSize({ width: 1280, height: 720 });
await idPage.evaluate(() => window.scrollTo(0, 0));
for (const selector of ["#scenario", "#run", "#slider-silo", "#headline"]) {
  const box = await idPage.locator(selector).boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 720, `${selector} at ${JSON.stringify(box)} on a 1280x720 screen`);
}
await idPage.screenshot({ path: join(shots, "page-projector-id-1280.png") });
step("the projector: scenario, siloisation, Jalankan and the headline on the first 1280x720 screen");

// A link to the settings, for a slide: opened in a new tab it sets the page up the same.
await idPage.evaluate(() => setSlider("silo", 0.6));
await idPage.check("#practice-task_force");
await idPage.fill("#practice-task_force-round", "25");
await idPage.check("#compare");
await idPage.selectOption("#scenario-b", "whole-of-government");
await idPage.click("#share");
const link = idPage.url();
assert.match(link, /lang=id/);
assert.match(await idPage.textContent("#status"), /tautan/);
const linked = await indonesian.newPage();
await linked.goto(link);
await linked.waitForSelector("#scenario option", { state: "attached" });
await linked.waitForFunction(() => document.getElementById("practice-task_force").checked);
assert.equal((await linked.textContent("#run")).trim(), "Jalankan");
assert.equal(await linked.inputValue("#scenario"), "siloed-government");
assert.equal(await linked.inputValue("#silo"), "0.6");
assert.equal(await linked.inputValue("#practice-task_force-round"), "25");
assert.ok(await linked.isChecked("#compare"));
assert.equal(await linked.inputValue("#scenario-b"), "whole-of-government");
assert.ok(!(await linked.isChecked("#practice-coordinating_agency")));
await linked.close();
step(`a link carries the settings and the language: ${link.split("?")[1]}`);

// Presentation mode: larger type, help texts put away.
await idPage.click("#present");
const presented = await idPage.evaluate(() => [getComputedStyle(document.body).fontSize, getComputedStyle(document.querySelector(".help")).display]);
assert.deepEqual(presented, ["22px", "none"]);
await idPage.screenshot({ path: join(shots, "page-presenting-id-1280.png") });
await idPage.click("#present");
step("presentation mode: 22 px type, help texts hidden");

// The handout of the comparison on the page: a new tab in Indonesian that prints to at most
// four A4 pages (two per run), the cycle's chart with every intervention labelled in
// Indonesian, no English word in its text or its charts.
async function checkHandout(page) {
  // A bundled scenario by its title in the catalogue, a changed run by the name the page gave it.
  const names = await page.evaluate(() => state.runs.filter(Boolean).map((r) => scenarioTitle(r.name)));
  const labels = await page.evaluate(() => state.runs.filter(Boolean).flatMap((r) => r.interventions.map((iv) => iv.label_id)));
  assert.ok(labels.length > 0, "the lesson's last step has interventions");
  const [tab] = await Promise.all([page.context().waitForEvent("page"), page.click("#handout")]);
  await tab.waitForFunction(() => document.documentElement.lang === "id", null, { timeout: 120_000 });
  assert.equal(await tab.locator("figure svg").count(), 1 + names.length, "the cycle and each run's network");
  const drawn = await tab.evaluate(() => [...document.querySelectorAll("svg text")].map((t) => t.textContent.trim()));
  for (const label of labels) assert.ok(drawn.includes(label), `the handout's chart labels "${label}"`);
  const body = await tab.textContent("body");
  for (const name of names) assert.ok(body.includes(name), `the handout names ${name}`);
  assert.match(body, /Selisih berpasangan/);
  const words = await englishOn(tab);
  assert.deepEqual(words, [], `English on the handout: ${words.join(", ")}`);
  const pdf = await tab.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(join(shots, "handout-page-id.pdf"), pdf);
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages <= 2 * names.length, `the handout of ${names.length} runs prints on ${pages} pages`);
  await tab.screenshot({ path: join(shots, "handout-page-id.png"), fullPage: true });
  await tab.close();
  assert.match(await page.textContent("#status"), /Handout terbuka/);
  step(`the handout of the comparison: Indonesian, ${pages} A4 pages, every intervention labelled`);
}

// Every guided lesson, step by step, in Indonesian at 1280x720: the step sets the page up,
// Jalankan is on the first screen, the run ends with a legend under every chart and a
// marker at every intervention, and no English word is on the page, the assessment's
// ranking included (once per lesson).
const lessons = await idPage.evaluate(() => LESSONS.map((l) => [l.id, l.steps.length]));
let walked = 0;
for (const [lesson, steps] of lessons) {
  await idPage.selectOption("#lesson-choice", lesson);
  for (let i = 0; i < steps; i++) {
    await idPage.locator("#lesson-steps li button").nth(i).click();
    const runBox = await idPage.locator("#run").boundingBox();
    assert.ok(runBox.y + runBox.height <= 720, `${lesson} ${i + 1}: Jalankan at ${runBox.y}`);
    await idPage.evaluate(() => setSlider("replicates", 12));
    await runAndWait(idPage);
    const charts = await idPage.locator(".chart").count();
    const legends = await idPage.locator(".chart .u-legend").count();
    assert.ok(charts >= 6 && legends === charts, `${lesson} ${i + 1}: ${charts} charts, ${legends} legends`);
    const marked = await idPage.evaluate(() => state.runs.filter(Boolean).every((r) => r.interventions.every((iv) => iv.round >= 0)));
    assert.ok(marked);
    if (i === 0) {
      await idPage.click("#assess");
      await idPage.waitForSelector("#assess-table tbody tr", { timeout: 120_000 });
    }
    const words = await englishOn(idPage);
    const found = words.length ? await idPage.evaluate((w) => (document.body.innerText.match(new RegExp(`.{0,80}\\b${w}\\b.{0,40}`)) || [""])[0], words[0]) : "";
    assert.deepEqual(words, [], `${lesson} ${i + 1}: English on the Indonesian page: ${words.join(", ")}: ${found}`);
    walked++;
  }
  await idPage.screenshot({ path: join(shots, `lesson-${lesson}-id-1280.png`) });
  if (lesson === "services") await checkHandout(idPage);
}
step(`${lessons.length} lessons, ${walked} steps walked in Indonesian at 1280x720: no English, legends and Jalankan on the first screen`);

// The glossary: every term the lessons use, with what it means, in Indonesian.
await idPage.click("#glossary summary");
assert.equal(await idPage.locator("#glossary dt").count(), 14);
assert.match(await idPage.textContent("#glossary"), /Siloisasi.*Peluang dialog antara dua sektor terhambat/s);
assert.match(await idPage.textContent("#glossary"), /Selang kepercayaan 95\s%/);
const glossaryWords = await englishOn(idPage);
assert.deepEqual(glossaryWords, [], `English in the glossary: ${glossaryWords.join(", ")}`);
await idPage.locator("#glossary").screenshot({ path: join(shots, "page-glossary-id.png") });
await idPage.click("#glossary summary");
step("the glossary: 14 terms with what they mean, in Indonesian");

// Each lesson's worksheet: a new tab in Indonesian with every step's task and question and
// room to write, printing on one A4 page, its link opening the page on that lesson.
for (const [lesson, steps] of lessons) {
  await idPage.selectOption("#lesson-choice", lesson);
  const [sheet] = await Promise.all([idPage.context().waitForEvent("page"), idPage.click("#worksheet")]);
  await sheet.waitForLoadState();
  assert.equal(await sheet.getAttribute("html", "lang"), "id");
  const text = await sheet.textContent("body");
  const expected = await idPage.evaluate(([id, n]) => [t(`lesson-${id}-title`), ...Array.from({ length: n }, (_, i) => t(`lesson-${id}-${i + 1}-question`))], [lesson, steps]);
  for (const line of expected) assert.ok(text.includes(line), `the ${lesson} worksheet holds "${line}"`);
  assert.equal(await sheet.locator("h2").count(), steps + 1);
  const words = await englishOn(sheet);
  assert.deepEqual(words, [], `English on the ${lesson} worksheet: ${words.join(", ")}`);
  const pdf = await sheet.pdf({ preferCSSPageSize: true, printBackground: true });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1, `the ${lesson} worksheet prints on ${pages} pages`);
  if (lesson === lessons[0][0]) {
    writeFileSync(join(shots, `worksheet-${lesson}-id.pdf`), pdf);
    await sheet.screenshot({ path: join(shots, `worksheet-${lesson}-id.png`), fullPage: true });
    // Its link opens the page on the lesson, in Indonesian.
    const link = text.match(/https?:\/\/\S+lesson=\w+/)[0];
    const opened = await idPage.context().newPage();
    await opened.goto(link);
    await opened.waitForFunction((id) => document.getElementById("lesson-choice").value === id, lesson);
    assert.equal(await opened.getAttribute("html", "lang"), "id");
    await opened.close();
  }
  await sheet.close();
}
step(`${lessons.length} worksheets in Indonesian, one A4 page each, their links opening the lesson`);

// Step, pause and speed, by the keys a lecturer uses: the simulation finishes at full
// speed, the page shows its rounds one a second; space pauses, the right arrow shows
// exactly one more round, space resumes.
await idPage.setViewportSize({ width: 1280, height: 720 });
await idPage.selectOption("#scenario", "siloed-government");
await idPage.fill("#speed", "0");
assert.equal((await idPage.textContent("#speed-value")).trim(), "1 putaran per detik");
// The speed's words follow a language switch (English counts one round).
await idPage.click(".lang button[data-lang=en]");
assert.equal((await idPage.textContent("#speed-value")).trim(), "1 round a second");
await idPage.click(".lang button[data-lang=id]");
const shownRound = () => idPage.evaluate(() => state.shown);
const doneBefore = Number((await idPage.getAttribute("body", "data-runs-done")) || 0);
await idPage.click("h1");
await idPage.keyboard.press("Space");
await idPage.waitForFunction((n) => Number(document.body.dataset.runsDone || 0) > n, doneBefore, { timeout: 120_000 });
const received = await idPage.evaluate(() => state.received);
const early = await shownRound();
assert.ok(early < 10 && received >= 100, `paced: shown ${early} of ${received} received`);
await idPage.keyboard.press("Space");
assert.equal(await idPage.getAttribute("#hold", "aria-pressed"), "true");
assert.equal((await idPage.textContent("#hold")).trim(), "Lanjutkan");
const paused = await shownRound();
await idPage.keyboard.press("ArrowRight");
assert.equal(await shownRound(), paused + 1, "the right arrow shows one round");
await idPage.waitForTimeout(1500);
assert.equal(await shownRound(), paused + 1, "paused: no round more");
const drawnAt = await idPage.evaluate(() => state.charts.trust_across.data[1].filter((v) => v !== null).length);
assert.equal(drawnAt, paused + 2, "the chart holds rounds 0 to the one shown");
await idPage.fill("#speed", "6");
await idPage.click("h1");
await idPage.keyboard.press("Space");
await idPage.waitForFunction(() => state.shown === state.received, null, { timeout: 10_000 });
await idPage.screenshot({ path: join(shots, "page-paced-id-1280.png") });
step(`step, pause and speed: ${early + 1} of ${received + 1} rounds shown at 1 a second when the run had ended, → one more, space resumes`);

// A phone: one column, nothing wider than the screen, the buttons big enough to tap.
await idPage.setViewportSize({ width: 390, height: 844 });
await idPage.waitForTimeout(300);
const phone = await idPage.evaluate(() => ({
  width: document.documentElement.scrollWidth,
  wide: [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 391)
    .slice(0, 4).map((e) => `${e.tagName}#${e.id}.${e.className}`),
  buttons: [...document.querySelectorAll(".buttons button, #lesson button")]
    .filter((b) => b.offsetParent)
    .map((b) => { const r = b.getBoundingClientRect(); return [b.id || b.textContent, r.left, r.right, r.height]; }),
}));
assert.ok(phone.width <= 390, `the page is ${phone.width} px wide on a 390 px phone: ${phone.wide.join(", ")}`);
for (const [name, left, right, height] of phone.buttons) {
  assert.ok(left >= 0 && right <= 390 && height >= 40, `${name}: ${left}-${right} px, ${height} px tall`);
}
await idPage.screenshot({ path: join(shots, "page-phone-id-390.png"), fullPage: true });
step(`a phone at 390x844: one column, ${phone.buttons.length} buttons inside the screen and at least 40 px tall`);
await indonesian.close();
console.log("all page tests passed");
