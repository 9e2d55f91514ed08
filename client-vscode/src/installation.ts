// Is dl-lsp (with its server dependencies) importable by the chosen interpreter? If not, say so
// and offer to install it there.
import { execFile } from "child_process";
import * as vscode from "vscode";
import { describe, Interpreter } from "./interpreter";

export const PIP_REQUIREMENT = "dl-lsp[server]";

// Imports what `dl-lsp serve` needs (pygls, lsprotocol) and prints the version.
const PROBE = "import dl_lsp, dl_lsp.lsp.server; print(dl_lsp.__version__)";

export type Installation =
  | { readonly kind: "ready"; readonly version: string }
  | { readonly kind: "no-interpreter"; readonly detail: string }
  | { readonly kind: "not-installed"; readonly detail: string };

interface Run {
  readonly code: number | string | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : ((error as NodeJS.ErrnoException).code ?? 1);
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (error?.message ?? "") });
    });
  });
}

export async function checkInstallation(interpreter: Interpreter): Promise<Installation> {
  const result = await run(interpreter.path, ["-c", PROBE], 60_000);
  if (result.code === "ENOENT" || result.code === "EACCES") {
    return { kind: "no-interpreter", detail: `${result.code}: ${interpreter.path}` };
  }
  if (result.code !== 0) {
    const lines = result.stderr.trim().split("\n");
    return { kind: "not-installed", detail: lines[lines.length - 1] ?? "" };
  }
  return { kind: "ready", version: result.stdout.trim() };
}

/** Tells the user what is missing; resolves true when they installed dl-lsp and want a start. */
export async function reportMissing(
  interpreter: Interpreter,
  installation: Installation,
  log: vscode.LogOutputChannel,
): Promise<boolean> {
  if (installation.kind === "ready") {
    return false;
  }
  const where = describe(interpreter);
  if (installation.kind === "no-interpreter") {
    log.error(`cannot run the interpreter ${where}: ${installation.detail}`);
    const choice = await vscode.window.showErrorMessage(
      `dl-lsp: cannot run the Python interpreter ${where}. Select an interpreter with the ` +
        `Python extension, or set dl-lsp.interpreter.`,
      "Open Settings",
    );
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "dl-lsp.interpreter");
    }
    return false;
  }
  log.error(`dl-lsp is not installed in ${where}: ${installation.detail}`);
  const install = "Install dl-lsp";
  const choice = await vscode.window.showWarningMessage(
    `dl-lsp is not installed in ${where}. Install it there with ` +
      `pip install "${PIP_REQUIREMENT}"?`,
    install,
    "Open Settings",
  );
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "dl-lsp.interpreter");
    return false;
  }
  if (choice !== install) {
    return false;
  }
  return installInto(interpreter, log);
}

async function installInto(interpreter: Interpreter, log: vscode.LogOutputChannel): Promise<boolean> {
  const args = ["-m", "pip", "install", "--upgrade", PIP_REQUIREMENT];
  log.info(`running: ${interpreter.path} ${args.join(" ")}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Installing ${PIP_REQUIREMENT}…` },
    () => run(interpreter.path, args, 15 * 60_000),
  );
  log.info(result.stdout);
  if (result.code !== 0) {
    log.error(result.stderr);
    const choice = await vscode.window.showErrorMessage(
      `dl-lsp: pip could not install ${PIP_REQUIREMENT} into ${interpreter.path} ` +
        `(see the dl-lsp output for pip's message).`,
      "Show Output",
    );
    if (choice === "Show Output") {
      log.show();
    }
    return false;
  }
  void vscode.window.showInformationMessage(`dl-lsp installed into ${interpreter.path}.`);
  return true;
}
