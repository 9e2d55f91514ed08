// dl-lsp for VS Code: the language server for Python files and notebook cells, its settings,
// palette commands, a status bar item and an output channel.
import * as vscode from "vscode";
import { Commands } from "./commands";
import { onInterpreterChange } from "./interpreter";
import { REPORT_SCHEME, Reports } from "./reports";
import { RuleCatalog } from "./rules";
import { DlLspServer } from "./server";
import { RESTART_KEYS, SECTION, SERVER_KEYS } from "./settings";
import { StatusItem } from "./status";

let server: DlLspServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("dl-lsp", { log: true });
  const trace = vscode.window.createOutputChannel("dl-lsp trace");
  const status = new StatusItem("dlLsp.showLog");
  const reports = new Reports();
  server = new DlLspServer(log, trace, status);
  const current = server;
  context.subscriptions.push(
    log,
    trace,
    status,
    reports,
    current,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.commands.registerCommand("dlLsp.showLog", () => log.show()),
  );
  new Commands(current, reports, new RuleCatalog()).register(context);

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`))) {
        log.info("the interpreter setting changed: restarting the server");
        void current.restart();
      } else if (SERVER_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`))) {
        log.info("settings changed: sending them to the server");
      }
    }),
    // Trust changes what the server may do (probe on save) and which interpreter is allowed.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void current.restart()),
    await onInterpreterChange(() => {
      log.info("the Python extension selected another interpreter: restarting the server");
      void current.restart();
    }),
  );
  void current.start(); // not awaited: a missing dl-lsp waits for the user's answer
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
