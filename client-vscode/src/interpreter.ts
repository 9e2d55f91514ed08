// Which Python runs `dl-lsp serve`: the Python extension's selected interpreter when that
// extension is installed, else the `dl-lsp.interpreter` setting, else `python3`.
import * as path from "path";
import * as vscode from "vscode";

export type InterpreterSource = "python-extension" | "setting" | "default";

export interface Interpreter {
  readonly path: string;
  readonly source: InterpreterSource;
}

export const DEFAULT_INTERPRETER = "python3";
const PYTHON_EXTENSION = "ms-python.python";

// The part of the Python extension's API used here (its `environments` API, 2023 and later).
interface PythonEnvironmentsApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(
      environment: { path: string } | string,
    ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
}

export function describe(interpreter: Interpreter): string {
  switch (interpreter.source) {
    case "python-extension":
      return `${interpreter.path} (the Python extension's selected interpreter)`;
    case "setting":
      return `${interpreter.path} (the dl-lsp.interpreter setting)`;
    default:
      return `${interpreter.path} (default: no Python extension, no dl-lsp.interpreter setting)`;
  }
}

async function pythonApi(): Promise<PythonEnvironmentsApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonEnvironmentsApi>(PYTHON_EXTENSION);
  if (extension === undefined) {
    return undefined;
  }
  try {
    return extension.isActive ? extension.exports : await extension.activate();
  } catch {
    return undefined;
  }
}

function insideWorkspace(file: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((folder) => {
    const relative = path.relative(folder.uri.fsPath, file);
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  });
}

async function fromPythonExtension(
  resource: vscode.Uri | undefined,
  log: vscode.LogOutputChannel,
): Promise<string | undefined> {
  const environments = (await pythonApi())?.environments;
  if (environments === undefined) {
    return undefined;
  }
  try {
    const active = environments.getActiveEnvironmentPath(resource);
    const resolved = await environments.resolveEnvironment(active);
    const executable = resolved?.executable.uri?.fsPath ?? active.path;
    // An interpreter inside an untrusted folder is that folder's code: do not run it.
    if (!vscode.workspace.isTrusted && insideWorkspace(executable)) {
      log.warn(`not using ${executable}: it is inside this untrusted workspace`);
      return undefined;
    }
    return executable || undefined;
  } catch (error) {
    log.warn(`the Python extension did not say which interpreter is selected: ${String(error)}`);
    return undefined;
  }
}

export async function chooseInterpreter(
  resource: vscode.Uri | undefined,
  log: vscode.LogOutputChannel,
): Promise<Interpreter> {
  const selected = await fromPythonExtension(resource, log);
  if (selected !== undefined) {
    return { path: selected, source: "python-extension" };
  }
  // A restricted setting: in an untrusted workspace VS Code returns the user's value only.
  const configured = vscode.workspace
    .getConfiguration("dl-lsp", resource)
    .get<string>("interpreter", "")
    .trim();
  if (configured !== "") {
    return { path: expandHome(configured), source: "setting" };
  }
  return { path: DEFAULT_INTERPRETER, source: "default" };
}

function expandHome(file: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE;
  return home !== undefined && (file === "~" || file.startsWith("~/"))
    ? path.join(home, file.slice(1))
    : file;
}

/** Calls `listener` when the user selects another interpreter in the Python extension. */
export async function onInterpreterChange(listener: () => void): Promise<vscode.Disposable> {
  const environments = (await pythonApi())?.environments;
  if (environments === undefined) {
    return new vscode.Disposable(() => undefined);
  }
  return environments.onDidChangeActiveEnvironmentPath(() => listener());
}
