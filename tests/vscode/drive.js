// Drives a real VS Code (code-server) in headless Chromium with playwright-core and records what
// a user sees: squiggles and the text under them, Problems panel rows, hovers, lightbulb menus,
// line texts after a fix. test_vscode.py runs one scenario per call and asserts on the JSON.
//
// node drive.js '{"scenario": "...", "url": "...", "workspace": "...", "out": "...", ...}'
// Writes OUT/result.json ({steps: {...}, error?}) and OUT/*.png.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const args = JSON.parse(process.argv[2]);
const TIMEOUT = args.timeoutMs || 60000;
const result = { steps: {} };
let shots = 0;

function record(step, value) {
  result.steps[step] = value;
  fs.writeFileSync(path.join(args.out, "result.json"), JSON.stringify(result, null, 2));
}

async function screenshot(page, name) {
  shots += 1;
  const file = path.join(args.out, `${String(shots).padStart(2, "0")}-${args.scenario}-${name}.png`);
  await page.screenshot({ path: file });
  return path.basename(file);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// -- the workbench ----------------------------------------------------------------------------

async function openWorkbench(browser, folder) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(`${args.url}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: TIMEOUT * 2 });
  await page.waitForSelector(".statusbar", { timeout: TIMEOUT });
  await sleep(1500); // let the workbench restore its layout before typing
  return page;
}

// Opens a file of the workspace by clicking it in the Explorer (pinned, like a double click).
async function openFile(page, fileName) {
  const row = page.locator(".explorer-folders-view .monaco-list-row", { hasText: fileName }).first();
  await row.waitFor({ state: "visible" });
  await row.dblclick();
  await page.locator(".tabs-container .tab.active", { hasText: fileName }).waitFor({ state: "visible" });
  await sleep(500);
}

async function runCommand(page, title) {
  await page.keyboard.press("Control+Shift+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${title}`);
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ state: "visible" });
  await page.keyboard.press("Enter");
}

// The visible editor lines, by line number (from the line-number gutter), with their text.
async function editorLines(page) {
  return page.evaluate(() => {
    const editor = document.querySelector(".editor-group-container.active .monaco-editor");
    if (!editor) return {};
    const numbers = {};
    for (const element of editor.querySelectorAll(".margin-view-overlays > div")) {
      const number = element.querySelector(".line-numbers");
      if (number) numbers[element.style.top] = Number(number.textContent.trim());
    }
    const lines = {};
    for (const element of editor.querySelectorAll(".view-lines > .view-line")) {
      const number = numbers[element.style.top];
      if (number) lines[number] = element.textContent.replace(/\u00a0/g, " ");
    }
    return lines;
  });
}

const ACTIVE_EDITOR = ".editor-group-container.active .monaco-editor";
const NOTEBOOK_CELL_EDITORS = ".notebook-editor .cell-editor-container .monaco-editor";

// Every squiggle in the editors matched by `selector` (the active text editor by default): its
// severity, line, the characters under it, and where it is on the screen.
async function squiggles(page, selector = ACTIVE_EDITOR) {
  return page.evaluate((editorSelector) => {
    const found = [];
    [...document.querySelectorAll(editorSelector)].forEach((editor, editorIndex) => {
      const numbers = {};
      for (const element of editor.querySelectorAll(".margin-view-overlays > div")) {
        const number = element.querySelector(".line-numbers");
        if (number) numbers[element.getBoundingClientRect().top] = Number(number.textContent.trim());
      }
      const lines = [...editor.querySelectorAll(".view-lines > .view-line")];
      const editorText = lines.map((line) => line.textContent.replace(/\u00a0/g, " ")).join("\n");
      for (const squiggle of editor.querySelectorAll(".view-overlays [class*='squiggly-']")) {
        const box = squiggle.getBoundingClientRect();
        const severity = (squiggle.className.match(/squiggly-(\w+)/) || [])[1];
        const line = lines.find((candidate) => {
          const rect = candidate.getBoundingClientRect();
          return rect.top <= box.top + 1 && box.top < rect.bottom - 1;
        });
        if (!line) continue;
        let text = "";
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.length; i += 1) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getBoundingClientRect();
            const middle = (rect.left + rect.right) / 2;
            if (middle >= box.left && middle <= box.right) text += node.textContent[i];
          }
        }
        found.push({
          severity,
          line: numbers[line.getBoundingClientRect().top] || null,
          text: text.replace(/\u00a0/g, " "),
          x: box.left + box.width / 2,
          y: box.top + box.height / 2 - 3,
          left: box.left + 2,
          editor: editorIndex,
          editorText,
        });
      }
    });
    return found;
  }, selector);
}

async function waitForSquiggle(page, line, text) {
  const deadline = Date.now() + TIMEOUT;
  let seen = [];
  while (Date.now() < deadline) {
    seen = await squiggles(page);
    const match = seen.find((s) => s.line === line && (text === undefined || s.text === text));
    if (match) return match;
    await sleep(250);
  }
  throw new Error(`no squiggle on line ${line} under ${JSON.stringify(text)}; saw ${JSON.stringify(seen)}`);
}

async function waitUntilNoSquiggle(page, line, text) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    const seen = await squiggles(page);
    if (!seen.some((s) => s.line === line && s.text.includes(text))) return seen;
    await sleep(250);
  }
  throw new Error(`the squiggle on line ${line} under ${JSON.stringify(text)} stayed`);
}

async function problems(page) {
  await page.keyboard.press("Control+Shift+M");
  await page.locator(".markers-panel").waitFor({ state: "visible" });
  await sleep(300);
  return page.evaluate(() =>
    [...document.querySelectorAll(".markers-panel .monaco-list-row")].map((row) => ({
      text: row.textContent.replace(/\u00a0/g, " "),
      label: row.getAttribute("aria-label") || "",
    })),
  );
}

async function waitForProblem(page, needle) {
  const deadline = Date.now() + TIMEOUT;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await problems(page);
    if (rows.some((row) => row.text.includes(needle))) return rows;
    await sleep(500);
  }
  throw new Error(`no Problems row with ${JSON.stringify(needle)}; saw ${JSON.stringify(rows)}`);
}

async function closePanel(page) {
  // Toggle the panel off, so the editor gets the whole height back.
  await page.keyboard.press("Control+J");
  await sleep(300);
}

async function hoverOver(page, squiggle) {
  await page.mouse.move(squiggle.x - 40, squiggle.y + 120);
  await sleep(200);
  await page.mouse.move(squiggle.x, squiggle.y, { steps: 5 });
  const hover = page.locator(".monaco-hover:not(.hidden)").filter({ hasText: "dlRepro" }).first();
  await hover.waitFor({ state: "visible" });
  await sleep(400);
  return hover.evaluate((element) => element.innerText);
}

// Scrolls the open hover to the paragraph that starts with `text` (the hover keeps its size).
async function showHoverSection(page, text) {
  await page.evaluate((needle) => {
    const hover = [...document.querySelectorAll(".monaco-hover:not(.hidden)")].find((element) =>
      element.textContent.includes(needle),
    );
    const target = hover && [...hover.querySelectorAll("p, strong")].find((element) => element.textContent.startsWith(needle));
    if (target) target.scrollIntoView({ block: "start" });
  }, text);
  await sleep(300);
}

async function lightbulbMenu(page, squiggle) {
  // Put the cursor on the flagged token, then open the lightbulb next to the line.
  await page.mouse.move(squiggle.x, squiggle.y + 300);
  await page.keyboard.press("Escape");
  await page.mouse.click(squiggle.left, squiggle.y);
  // The lightbulb: a widget beside the text, or (when text is in the way) in the gutter.
  const bulb = page
    .locator(
      [
        ".monaco-editor .lightBulbWidget .codicon:visible",
        ".monaco-editor [class*='codicon-gutter-lightbulb']:visible",
        ".monaco-editor [class*='gutter-lightbulb']:visible",
      ].join(", "),
    )
    .first();
  let opened = "lightbulb";
  try {
    await bulb.waitFor({ state: "visible", timeout: 15000 });
    await bulb.click();
  } catch {
    opened = "keyboard";
    await page.keyboard.press("Control+.");
  }
  const rows = page.locator(".action-widget .monaco-list-row");
  await rows.first().waitFor({ state: "visible" });
  await sleep(300);
  const titles = await rows.evaluateAll((elements) =>
    elements.map((element) => element.textContent.replace(/\u00a0/g, " ").trim()),
  );
  return { opened, titles };
}

async function applyQuickFix(page, title) {
  await page.locator(".action-widget .monaco-list-row", { hasText: title }).first().click();
}

// -- scenarios ------------------------------------------------------------------------------

async function checkProgram(page, program) {
  const name = program.file;
  await openFile(page, name);
  const squiggle = await waitForSquiggle(page, program.line, program.token);
  const step = { squiggle, lines: await editorLines(page) };
  step.squigglesBefore = await squiggles(page);
  step.screenshotSquiggle = await screenshot(page, `${program.id}-squiggle`);

  step.problems = await waitForProblem(page, program.code);
  step.screenshotProblems = await screenshot(page, `${program.id}-problems`);
  await closePanel(page);

  const again = await waitForSquiggle(page, program.line, program.token);
  step.hover = await hoverOver(page, again);
  step.screenshotHover = await screenshot(page, `${program.id}-hover`);
  await showHoverSection(page, "Reproducing a");
  step.screenshotHoverGuidance = await screenshot(page, `${program.id}-hover-dlrepro`);

  const menu = await lightbulbMenu(page, again);
  step.menu = menu;
  step.screenshotMenu = await screenshot(page, `${program.id}-lightbulb`);
  const chosen = menu.titles.find((title) => title.includes(program.fixTitle));
  if (!chosen) throw new Error(`no quick fix titled like ${program.fixTitle}: ${menu.titles}`);
  await applyQuickFix(page, program.fixTitle);
  step.squigglesAfter = await waitUntilNoSquiggle(page, program.line, program.token);
  await sleep(500);
  step.linesAfter = await editorLines(page);
  step.squigglesAfter = await squiggles(page);
  step.screenshotFixed = await screenshot(page, `${program.id}-fixed`);
  step.problemsAfter = await problems(page);
  await closePanel(page);
  return step;
}

async function statusItem(page) {
  const item = page.locator(".statusbar-item", { hasText: "dl-lsp" }).first();
  await item.waitFor({ state: "visible" });
  const deadline = Date.now() + TIMEOUT;
  let label = "";
  while (Date.now() < deadline) {
    label = (await item.getAttribute("aria-label")) || (await item.textContent()) || "";
    if (!label.includes("loading")) break;
    await sleep(250);
  }
  return { label, html: await item.innerHTML() };
}

async function serverLog(page) {
  await page.locator(".statusbar-item", { hasText: "dl-lsp" }).first().click();
  const output = page.locator(".output-view, .panel .monaco-editor").first();
  await output.waitFor({ state: "visible" });
  const deadline = Date.now() + TIMEOUT;
  let text = "";
  while (Date.now() < deadline) {
    text = await page.evaluate(() => {
      const editor = document.querySelector(".panel .monaco-editor .view-lines");
      return editor ? editor.textContent.replace(/\u00a0/g, " ") : "";
    });
    if (text.includes("dl-lsp")) break;
    await sleep(250);
  }
  return text;
}

const scenarios = {
  // Two buggy programs: squiggle, Problems row, hover, lightbulb, fix, squiggle gone; then a
  // setting changed in .vscode/settings.json reaches the server without a reload.
  async programs(browser) {
    const page = await openWorkbench(browser, args.workspace);
    for (const program of args.programs) {
      record(program.id, await checkProgram(page, program));
    }
    record("status", await statusItem(page));
    const change = args.settingChange;
    await openFile(page, change.file);
    await waitForSquiggle(page, change.line, change.token);
    fs.mkdirSync(path.join(args.workspace, ".vscode"), { recursive: true });
    fs.writeFileSync(
      path.join(args.workspace, ".vscode", "settings.json"),
      JSON.stringify(change.settings, null, 2),
    );
    const remaining = await waitUntilNoSquiggle(page, change.line, change.token);
    record("settingChange", { remaining, screenshot: await screenshot(page, "setting-applied") });
    record("log", { text: await serverLog(page), screenshot: await screenshot(page, "server-log") });
  },

  // "Add missing imports" from the command palette on an incomplete snippet.
  async imports(browser) {
    const page = await openWorkbench(browser, args.workspace);
    await openFile(page, args.file);
    await waitForSquiggle(page, args.waitLine);
    const before = await editorLines(page);
    await runCommand(page, "dl-lsp: Add missing imports");
    const deadline = Date.now() + TIMEOUT;
    let after = before;
    while (Date.now() < deadline) {
      after = await editorLines(page);
      if (JSON.stringify(after) !== JSON.stringify(before)) break;
      await sleep(250);
    }
    await sleep(1000);
    after = await editorLines(page);
    record("imports", { before, after, screenshot: await screenshot(page, "imports-added") });
  },

  // A notebook's Python cells get diagnostics (the server's notebook document support): the
  // Problems row, and the squiggle in the cell after clicking that row.
  async notebook(browser) {
    const page = await openWorkbench(browser, args.workspace);
    await openFile(page, args.file);
    await page.locator(NOTEBOOK_CELL_EDITORS).first().waitFor({ state: "visible" });
    const rows = await waitForProblem(page, args.code);
    await page.locator(".markers-panel .monaco-list-row", { hasText: args.code }).first().click();
    const deadline = Date.now() + TIMEOUT;
    let seen = [];
    while (Date.now() < deadline) {
      seen = await squiggles(page, NOTEBOOK_CELL_EDITORS);
      if (seen.some((squiggle) => squiggle.text === args.token)) break;
      await sleep(250);
    }
    await sleep(500);
    record("notebook", {
      squiggles: seen,
      problems: rows,
      screenshot: await screenshot(page, "notebook"),
    });
  },

  // A palette command that calls a server command: its report opens beside the code, or a
  // message says what went wrong (a server without that command, say).
  async command(browser) {
    const page = await openWorkbench(browser, args.workspace);
    await openFile(page, args.file);
    await waitForSquiggle(page, args.waitLine);
    await runCommand(page, args.title);
    const deadline = Date.now() + TIMEOUT;
    let seen = { toasts: [], tabs: [] };
    while (Date.now() < deadline) {
      seen = await page.evaluate(() => ({
        toasts: [...document.querySelectorAll(".notifications-toasts .notification-toast")].map(
          (toast) => toast.textContent,
        ),
        tabs: [...document.querySelectorAll(".tabs-container .tab")].map((tab) => tab.textContent),
      }));
      const report = seen.tabs.some((tab) => tab.includes(args.reportTitle));
      if (report || seen.toasts.some((toast) => toast.includes("dl-lsp"))) break;
      await sleep(250);
    }
    await sleep(1000);
    record("command", { ...seen, screenshot: await screenshot(page, "command") });
  },

  // The interpreter lacks dl-lsp: the extension says so and offers to install it.
  async missing(browser) {
    const page = await openWorkbench(browser, args.workspace);
    await openFile(page, args.file);
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "not installed" }).first();
    await toast.waitFor({ state: "visible" });
    await sleep(500);
    record("missing", {
      message: await toast.innerText(),
      status: await statusItem(page),
      screenshot: await screenshot(page, "missing"),
    });
  },
};

async function main() {
  fs.mkdirSync(args.out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: args.chromium,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  try {
    await scenarios[args.scenario](browser);
  } catch (error) {
    result.error = String(error && error.stack ? error.stack : error);
    for (const context of browser.contexts()) {
      for (const page of context.pages()) {
        await screenshot(page, "failure").catch(() => {});
      }
    }
  } finally {
    fs.writeFileSync(path.join(args.out, "result.json"), JSON.stringify(result, null, 2));
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
