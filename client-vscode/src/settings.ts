// The `dl-lsp` section sent to the server: only the keys the user set, so that the project's
// `[tool.dl-lsp]` table in pyproject.toml keeps every key the editor leaves alone (the server
// lets a key the client sends win over the project's value).
import * as vscode from "vscode";

export const SECTION = "dl-lsp";

/** Settings the server reads (it accepts camelCase for its kebab-case keys). */
export const SERVER_KEYS = [
  "select",
  "ignore",
  "severity",
  "thresholds",
  "problemType",
  "inputType",
  "probeOnSave",
  "debounceMs",
  "maxFileSize",
  "logLevel",
] as const;

/** Settings that need a new server process when they change. */
export const RESTART_KEYS = ["interpreter"] as const;

export type Section = Record<string, unknown>;

function explicitValue(configuration: vscode.WorkspaceConfiguration, key: string): unknown {
  const inspected = configuration.inspect(key);
  if (inspected === undefined) {
    return undefined;
  }
  const value = inspected.workspaceFolderValue ?? inspected.workspaceValue ?? inspected.globalValue;
  // An empty problem or input type means "not known", as when unset.
  return value === "" ? undefined : value;
}

/** The keys of the `dl-lsp` section that the user set for `scope` (a file or folder). */
export function serverSection(scope: vscode.Uri | undefined, trusted: boolean): Section {
  const configuration = vscode.workspace.getConfiguration(SECTION, scope ?? null);
  const section: Section = {};
  for (const key of SERVER_KEYS) {
    const value = explicitValue(configuration, key);
    if (value !== undefined) {
      section[key] = value;
    }
  }
  if (!trusted) {
    section.probeOnSave = false; // the probe runs the user's program
  }
  return section;
}
