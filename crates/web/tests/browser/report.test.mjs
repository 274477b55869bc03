// `collabgov report` in a real browser: the HTML loads from a file with no console error
// and no request leaving the file, and prints to an A4 PDF of the expected pages (the
// scenario and numbers, the criteria and provenance, the methods, then one page per chart).
//
// Usage: node report.test.mjs COLLABGOV_BINARY OUTPUT_DIR
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import assert from "node:assert/strict";

const [cli, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "collabgov-report-"));
execFileSync(cli, ["run", "whole-of-government", "--replicates", "20", "--no-charts", "--out", join(work, "run")]);
execFileSync(cli, ["report", join(work, "run")]);
const file = join(work, "run", "report.html");
const html = readFileSync(file, "utf8");
const figures = (html.match(/<figure>/g) || []).length;
assert.ok(figures >= 10, `${figures} charts`);

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "chromium-")), {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = context.pages()[0] || (await context.newPage());
const errors = [];
const requests = [];
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(String(e)));
page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
await page.goto(pathToFileURL(file).href);
assert.equal(await page.locator("figure svg").count(), figures);
assert.match(await page.textContent("body"), /consensus reached in \d+ % of 20 replicates/);
assert.match(await page.textContent("body"), /We ran 20 replicates of \d+ rounds each from master seed \d+/);
assert.deepEqual(errors, [], "no console errors");
assert.deepEqual(requests, [], "no request leaves the file");
await page.screenshot({ path: join(outDir, "report-first-page.png") });
const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
writeFileSync(join(outDir, "report.pdf"), pdf);
const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
assert.equal(pages, 3 + figures, `the PDF has ${pages} pages, expected 3 + ${figures} charts`);
console.log(`ok - report: ${figures} charts, a ${pages}-page A4 PDF, no console error, no request`);

// A comparison folder: both scenarios in words and against the criteria, the comparison's
// numbers, and its overlay chart.
execFileSync(cli, ["compare", "siloed-government", "whole-of-government", "--replicates", "20", "--out", join(work, "compare")]);
execFileSync(cli, ["report", join(work, "compare")]);
const compareFile = join(work, "compare", "report.html");
errors.length = 0;
await page.goto(pathToFileURL(compareFile).href);
assert.equal(await page.locator("figure svg").count(), 1);
assert.equal(await page.locator("table").count(), 3, "two criteria tables and the provenance");
const body = await page.textContent("body");
assert.match(body, /Comparison: siloed-government vs whole-of-government/);
assert.match(body, /Consensus was reached in \d+ % and \d+ % of runs/);
assert.match(body, /paired differences are the later run minus the first, with 95 % intervals/);
assert.deepEqual(errors, [], "no console errors");
assert.deepEqual(requests, [], "no request leaves the file");
await page.screenshot({ path: join(outDir, "report-compare-first-page.png"), fullPage: true });
const comparePdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
writeFileSync(join(outDir, "report-compare.pdf"), comparePdf);
const comparePages = (comparePdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
assert.equal(comparePages, 4, `the comparison's PDF has ${comparePages} pages, expected 3 text pages and the chart`);
console.log(`ok - report of a comparison: a ${comparePages}-page A4 PDF, no console error, no request`);
// The handout in Indonesian: a run on at most two A4 pages, a comparison on at most four,
// no common English word in its text or its charts (names of scenarios aside).
const ENGLISH = ["the", "and", "of", "to", "in", "with", "from", "is", "are", "by", "for", "at", "on",
  "round", "rounds", "trust", "sector", "sectors", "replicates", "replicate", "agency", "agencies",
  "share", "mean", "interval", "reached", "final", "shared", "understanding", "commitment",
  "network", "level", "government", "within", "across", "between", "coordinating", "task", "force", "yes", "no"];
const ALLOWED = [/Whole-of-Government/g, /collabgov [0-9.]+/g, /CG-[0-9]/g, /Ansell & Gash/g, /square-and-add Newcombe/g];
const pagesOf = (pdf) => (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
for (const [dir, most, shot] of [[join(work, "run"), 2, "handout-id"], [join(work, "compare"), 4, "handout-compare-id"]]) {
  execFileSync(cli, ["report", dir, "--handout", "--lang", "id"]);
  errors.length = 0;
  await page.goto(pathToFileURL(join(dir, "handout.html")).href);
  assert.equal(await page.getAttribute("html", "lang"), "id");
  let words = await page.evaluate(() => document.body.innerText + " " + [...document.querySelectorAll("svg text")].map((t) => t.textContent).join(" "));
  for (const pattern of ALLOWED) words = words.replace(pattern, " ");
  const english = [...new Set(words.toLowerCase().split(/[^a-z]+/).filter((w) => ENGLISH.includes(w)))];
  assert.deepEqual(english, [], `English on the handout: ${english.join(", ")}`);
  assert.deepEqual(errors, [], "no console errors");
  assert.deepEqual(requests, [], "no request leaves the file");
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(join(outDir, `${shot}.pdf`), pdf);
  await page.screenshot({ path: join(outDir, `${shot}.png`), fullPage: true });
  assert.ok(pagesOf(pdf) <= most, `the handout prints on ${pagesOf(pdf)} pages, at most ${most}`);
  console.log(`ok - handout in Indonesian: ${pagesOf(pdf)} A4 pages (at most ${most}), no English word, no request`);
}
// Every bundled scenario's handout, in Indonesian: at most two A4 pages, whatever the
// model (services and levels add lines to the results).
const bundled = execFileSync(cli, ["scenarios"], { encoding: "utf8" }).split("\n").map((l) => (l.match(/^([a-z0-9-]+)  +\S/) || [])[1]).filter(Boolean);
for (const name of bundled) {
  const dir = join(work, `handout-${name}`);
  execFileSync(cli, ["run", name, "--replicates", "4", "--no-charts", "--out", dir]);
  execFileSync(cli, ["report", dir, "--handout", "--lang", "id"]);
  await page.goto(pathToFileURL(join(dir, "handout.html")).href);
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  assert.ok(pagesOf(pdf) <= 2, `${name}: the handout prints on ${pagesOf(pdf)} pages`);
}
console.log(`ok - the handouts of all ${bundled.length} bundled scenarios print on at most two A4 pages`);
await context.close();
