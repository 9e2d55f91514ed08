// The palette commands: each calls a server command (workspace/executeCommand, one JSON object
// argument) and opens what comes back.
import * as path from "path";
import * as vscode from "vscode";
import { Reports } from "./reports";
import { RuleCatalog, ruleMarkdown } from "./rules";
import { DlLspServer, ServerCommandError } from "./server";

interface Report {
  markdown: string;
}

interface Reproducible {
  text: string;
  markdown: string;
  uri?: string;
}

interface ImportsResult {
  applied: boolean;
  imports: string[];
}

interface MigrationResult {
  applied: boolean;
  changes: string[];
}

const DEVICES: ReadonlyArray<vscode.QuickPickItem & { device: "all" | "cpu" | "cuda" }> = [
  { label: "All devices", description: "CPU, then CUDA when there is a GPU", device: "all" },
  { label: "CPU", device: "cpu" },
  { label: "CUDA", description: "needs a GPU and a CUDA build of the framework", device: "cuda" },
];

const STYLES: ReadonlyArray<vscode.QuickPickItem & { style: "minimal" | "idiomatic" }> = [
  {
    label: "Minimal",
    description: "tf.compat.v1 where needed: the smallest change that runs on TF2",
    style: "minimal",
  },
  { label: "Idiomatic", description: "eager TF2 and Keras APIs", style: "idiomatic" },
];

function pythonEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== "python") {
    void vscode.window.showWarningMessage("dl-lsp: open a Python file (or a notebook cell) first.");
    return undefined;
  }
  return editor;
}

function fileName(document: vscode.TextDocument): string {
  return path.basename(document.uri.path) || document.uri.toString();
}

async function showFailure(error: unknown): Promise<void> {
  const message = error instanceof ServerCommandError ? error.message : `dl-lsp: ${String(error)}`;
  await vscode.window.showErrorMessage(message);
}

export class Commands {
  constructor(
    private readonly server: DlLspServer,
    private readonly reports: Reports,
    private readonly rules: RuleCatalog,
  ) {}

  register(context: vscode.ExtensionContext): void {
    const commands: Record<string, () => Promise<unknown>> = {
      "dlLsp.triage": () => this.triage(),
      "dlLsp.probe": () => this.probe(),
      "dlLsp.makeReproducible": () => this.makeReproducible(),
      "dlLsp.migrateToTF2": () => this.migrateToTF2(),
      "dlLsp.addMissingImports": () => this.addMissingImports(),
      "dlLsp.showRuleDocumentation": () => this.showRuleDocumentation(),
      "dlLsp.restartServer": () => this.server.restart(),
    };
    for (const [name, handler] of Object.entries(commands)) {
      context.subscriptions.push(
        vscode.commands.registerCommand(name, async () => {
          try {
            await handler();
          } catch (error) {
            await showFailure(error);
          }
        }),
      );
    }
  }

  async triage(): Promise<void> {
    const editor = pythonEditor();
    if (editor === undefined) {
      return;
    }
    const argument: { uri: string; range?: object } = { uri: editor.document.uri.toString() };
    if (!editor.selection.isEmpty) {
      argument.range = this.server.asProtocolRange(editor.selection);
    }
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: "dl-lsp: triaging…" },
      () => this.server.execute<Report>("dl-lsp.triage", argument),
    );
    const part = editor.selection.isEmpty ? "" : ` (lines ${editor.selection.start.line + 1}–${editor.selection.end.line + 1})`;
    await this.reports.show(`Triage of ${fileName(editor.document)}${part}`, report.markdown);
  }

  async probe(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      await vscode.window.showWarningMessage(
        "dl-lsp: the device probe runs your program, so it is disabled in an untrusted workspace. " +
          "Trust the workspace to use it; diagnostics work either way.",
      );
      return;
    }
    const editor = pythonEditor();
    if (editor === undefined) {
      return;
    }
    const choice = await vscode.window.showQuickPick(DEVICES, {
      title: "dl-lsp: run the device probe on",
    });
    if (choice === undefined) {
      return;
    }
    const report = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `dl-lsp: probing ${fileName(editor.document)} (${choice.label})…`,
        cancellable: true,
      },
      (_progress, token) =>
        this.server.execute<Report>(
          "dl-lsp.probe",
          { uri: editor.document.uri.toString(), device: choice.device },
          token,
        ),
    );
    await this.reports.show(`Device probe of ${fileName(editor.document)}`, report.markdown);
  }

  async makeReproducible(): Promise<void> {
    const editor = pythonEditor();
    if (editor === undefined) {
      return;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: "dl-lsp: making it reproducible…" },
      () => this.server.execute<Reproducible>("dl-lsp.makeReproducible", { uri: editor.document.uri.toString() }),
    );
    // The server writes the program to a file (and may have shown it already); else it is new.
    const document = result.uri
      ? await vscode.workspace.openTextDocument(vscode.Uri.parse(result.uri))
      : await vscode.workspace.openTextDocument({ language: "python", content: result.text });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
    const choice = await vscode.window.showInformationMessage(
      `dl-lsp: a reproducible version of ${fileName(editor.document)} is open beside it.`,
      "Show Report",
    );
    if (choice === "Show Report") {
      await this.reports.show(`Reproducibility report of ${fileName(editor.document)}`, result.markdown);
    }
  }

  async migrateToTF2(): Promise<void> {
    const editor = pythonEditor();
    if (editor === undefined) {
      return;
    }
    const choice = await vscode.window.showQuickPick(STYLES, { title: "dl-lsp: migrate to TF2" });
    if (choice === undefined) {
      return;
    }
    const result = await this.server.execute<MigrationResult>("dl-lsp.migrateToTF2", {
      uri: editor.document.uri.toString(),
      style: choice.style,
    });
    if (result.changes.length === 0) {
      await vscode.window.showInformationMessage(`dl-lsp: ${fileName(editor.document)} needs no TF2 migration.`);
      return;
    }
    if (!result.applied) {
      await vscode.window.showWarningMessage(
        "dl-lsp: the migration was not applied (the file changed meanwhile?); run it again.",
      );
      return;
    }
    const shown = await vscode.window.showInformationMessage(
      `dl-lsp: migrated ${fileName(editor.document)} to TF2 (${result.changes.length} changes; undo with Ctrl+Z).`,
      "Show Changes",
    );
    if (shown === "Show Changes") {
      const list = result.changes.map((change) => `- ${change}`).join("\n");
      await this.reports.show(`TF2 migration of ${fileName(editor.document)}`, `# TF2 migration\n\n${list}\n`);
    }
  }

  async addMissingImports(): Promise<void> {
    const editor = pythonEditor();
    if (editor === undefined) {
      return;
    }
    const result = await this.server.execute<ImportsResult>("dl-lsp.addMissingImports", {
      uri: editor.document.uri.toString(),
    });
    if (result.imports.length === 0) {
      await vscode.window.showInformationMessage(`dl-lsp: no imports are missing in ${fileName(editor.document)}.`);
    } else if (!result.applied) {
      await vscode.window.showWarningMessage(
        "dl-lsp: the imports were not added (the file changed meanwhile?); run it again.",
      );
    } else {
      const noun = result.imports.length === 1 ? "import" : "imports";
      void vscode.window.showInformationMessage(
        `dl-lsp: added ${result.imports.length} ${noun}: ${result.imports.join("; ")}`,
      );
    }
  }

  async showRuleDocumentation(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const atCursor = editor ? codesAt(editor) : [];
    const rules = await this.rules.load(this.server.interpreterPath);
    let code: string | undefined = atCursor.length === 1 ? atCursor[0] : undefined;
    if (code === undefined) {
      const items = rules
        .map((rule) => ({
          label: rule.code,
          description: rule.name,
          detail: rule.summary,
          picked: atCursor.includes(rule.code),
        }))
        .sort((a, b) => Number(b.picked) - Number(a.picked));
      const choice = await vscode.window.showQuickPick(items, {
        title: "dl-lsp: rule documentation",
        matchOnDescription: true,
        matchOnDetail: true,
      });
      code = choice?.label;
    }
    const rule = rules.find((candidate) => candidate.code === code);
    if (rule !== undefined) {
      await this.reports.show(`${rule.code} ${rule.name}`, ruleMarkdown(rule));
    }
  }
}

/** The rule codes of dl-lsp's diagnostics under the cursor. */
function codesAt(editor: vscode.TextEditor): string[] {
  const position = editor.selection.active;
  const codes = vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((diagnostic) => diagnostic.source === "dl-lsp" && diagnostic.range.contains(position))
    .map((diagnostic) => (typeof diagnostic.code === "object" ? diagnostic.code.value : diagnostic.code))
    .map((code) => String(code ?? ""));
  return [...new Set(codes.filter((code) => code !== ""))];
}
