// The status bar item: is the server starting, running, stopped, or missing from the interpreter?
import * as vscode from "vscode";
import { describe, Interpreter } from "./interpreter";

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(showLogCommand: string) {
    this.item = vscode.window.createStatusBarItem("dl-lsp.status", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "dl-lsp";
    this.item.command = showLogCommand;
    this.item.show();
  }

  starting(): void {
    this.set("$(loading~spin) dl-lsp", "dl-lsp: starting the server…");
  }

  running(interpreter: Interpreter, version: string): void {
    const probe = vscode.workspace.isTrusted ? "" : "\n\nUntrusted workspace: the device probe is disabled.";
    this.set(
      vscode.workspace.isTrusted ? "$(check) dl-lsp" : "$(shield) dl-lsp",
      `dl-lsp ${version}: running\n\nInterpreter: ${describe(interpreter)}${probe}\n\nClick for the server log.`,
    );
  }

  missing(interpreter: Interpreter, kind: "no-interpreter" | "not-installed"): void {
    const what =
      kind === "no-interpreter" ? "cannot run the interpreter" : "dl-lsp is not installed in";
    this.set("$(warning) dl-lsp", `dl-lsp: ${what} ${describe(interpreter)}`, true);
  }

  stopped(): void {
    this.set("$(circle-slash) dl-lsp", "dl-lsp: the server is not running (click for its log)", true);
  }

  private set(text: string, tooltip: string, warning = false): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = warning ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
