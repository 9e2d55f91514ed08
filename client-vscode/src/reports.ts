// Markdown reports (triage, probe, reproducibility, rule pages) as read-only documents shown in
// the Markdown preview beside the code: nothing to save, nothing written to the workspace.
import * as vscode from "vscode";

export const REPORT_SCHEME = "dl-lsp-report";

export class Reports implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? "";
  }

  /** Shows `markdown` rendered beside the active editor, under a title like "Triage of train.py". */
  async show(title: string, markdown: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${safeName(title)}.md` });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    try {
      await vscode.commands.executeCommand("markdown.showPreviewToSide", uri);
    } catch {
      // No Markdown extension (it is built in, but can be disabled): show the source.
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, {
        viewColumn: vscode.ViewColumn.Beside,
        preview: true,
      });
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function safeName(title: string): string {
  return title.replace(/[\\/:*?"<>|#%]+/g, "-");
}
