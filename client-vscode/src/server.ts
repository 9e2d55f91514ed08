// The language client: finds the interpreter, checks dl-lsp is installed there, starts
// `python -m dl_lsp serve`, keeps the status bar item in step, restarts on demand.
import * as vscode from "vscode";
import {
  DocumentSelector,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  Middleware,
  ResponseError,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  vsdiag,
} from "vscode-languageclient/node";
import { checkInstallation, reportMissing } from "./installation";
import { chooseInterpreter, describe, Interpreter } from "./interpreter";
import { SECTION, serverSection } from "./settings";
import { StatusItem } from "./status";

export const CLIENT_ID = "dl-lsp";
const CELL_SCHEME = "vscode-notebook-cell";

// Python files on disk and unsaved ones, and the Python cells of Jupyter notebooks.
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: "file", language: "python" },
  { scheme: "untitled", language: "python" },
  { notebook: { notebookType: "jupyter-notebook" }, language: "python" },
];

/** A server command failed, or the server does not have it: the message says which. */
export class ServerCommandError extends Error {}

export class DlLspServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private interpreter: Interpreter | undefined;
  private version: string | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly trace: vscode.OutputChannel,
    private readonly status: StatusItem,
  ) {}

  /** The interpreter the server was (last) started with. */
  get interpreterPath(): string | undefined {
    return this.interpreter?.path;
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  /** Starts the server (once at a time); a failure is shown to the user, never thrown. */
  start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      try {
        await client.stop(5000);
      } catch (error) {
        this.log.warn(`stopping the server: ${String(error)}`);
      }
      await client.dispose();
    }
    this.status.stopped();
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  /** Whether the running server offers `command` (workspace/executeCommand). */
  supports(command: string): boolean {
    const commands = this.client?.initializeResult?.capabilities.executeCommandProvider?.commands;
    return commands?.includes(command) ?? false;
  }

  /** Whether the running server offers code actions of `kind`. */
  offersCodeActionKind(kind: string): boolean {
    const provider = this.client?.initializeResult?.capabilities.codeActionProvider;
    return typeof provider === "object" && (provider.codeActionKinds ?? []).includes(kind);
  }

  /** Runs a server command with one JSON object argument; explains every way it can fail. */
  async execute<T>(command: string, argument: object, token?: vscode.CancellationToken): Promise<T> {
    if (this.starting !== undefined) {
      await this.starting;
    }
    const client = this.client;
    if (client === undefined || !this.running) {
      throw new ServerCommandError(
        "dl-lsp: the server is not running (see the dl-lsp output, or run 'dl-lsp: Restart server').",
      );
    }
    if (!this.supports(command)) {
      throw new ServerCommandError(
        `dl-lsp: this server (dl-lsp ${this.version ?? "?"} in ${this.interpreter?.path ?? "?"}) ` +
          `does not provide ${command} yet; update dl-lsp in that interpreter.`,
      );
    }
    try {
      return (await client.sendRequest(
        ExecuteCommandRequest.type,
        { command, arguments: [argument] },
        token,
      )) as T;
    } catch (error) {
      if (error instanceof ResponseError) {
        throw new ServerCommandError(`dl-lsp: ${command} failed: ${error.message}`);
      }
      throw error;
    }
  }

  asProtocolRange(range: vscode.Range): object | undefined {
    return this.client?.code2ProtocolConverter.asRange(range);
  }

  private async doStart(): Promise<void> {
    await this.stop();
    const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    this.status.starting();
    const interpreter = await chooseInterpreter(resource, this.log);
    this.interpreter = interpreter;
    this.log.info(`interpreter: ${describe(interpreter)}`);
    const installation = await checkInstallation(interpreter);
    if (installation.kind !== "ready") {
      this.status.missing(interpreter, installation.kind);
      if (await reportMissing(interpreter, installation, this.log)) {
        setTimeout(() => void this.start(), 0); // installed now: start for real
      }
      return;
    }
    this.version = installation.version;
    const client = this.createClient(interpreter);
    this.client = client;
    client.onDidChangeState((event) => {
      if (event.newState === State.Running) {
        this.status.running(interpreter, this.version ?? "?");
      } else if (event.newState === State.Starting) {
        this.status.starting();
      } else if (this.client === client) {
        this.status.stopped();
      }
    });
    try {
      await client.start();
    } catch (error) {
      this.log.error(`the server did not start: ${String(error)}`);
      this.status.stopped();
      void vscode.window
        .showErrorMessage(`dl-lsp: the server did not start (${String(error)}).`, "Show Output")
        .then((choice) => choice && this.log.show());
    }
  }

  private createClient(interpreter: Interpreter): LanguageClient {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const serverOptions: ServerOptions = {
      command: interpreter.path,
      args: ["-m", "dl_lsp", "serve"],
      options: { cwd: folder, env: { ...process.env, PYTHONUNBUFFERED: "1" } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.log,
      traceOutputChannel: this.trace,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: { [SECTION]: serverSection(undefined, vscode.workspace.isTrusted) },
      synchronize: { configurationSection: SECTION },
      middleware: this.middleware(),
    };
    return new LanguageClient(CLIENT_ID, "dl-lsp", serverOptions, clientOptions);
  }

  private middleware(): Middleware {
    // Without notebook support in the server, each cell would arrive as a file of its own (no
    // imports, no model): better not to analyse cells at all, nor ask about them.
    const cellWithoutNotebookSync = (uri: vscode.Uri): boolean =>
      uri.scheme === CELL_SCHEME &&
      this.client?.initializeResult?.capabilities.notebookDocumentSync === undefined;
    const uriOf = (document: vscode.TextDocument | vscode.Uri): vscode.Uri =>
      document instanceof vscode.Uri ? document : document.uri;
    return {
      didOpen: (document, next) => (cellWithoutNotebookSync(document.uri) ? Promise.resolve() : next(document)),
      didChange: (event, next) => (cellWithoutNotebookSync(event.document.uri) ? Promise.resolve() : next(event)),
      didClose: (document, next) => (cellWithoutNotebookSync(document.uri) ? Promise.resolve() : next(document)),
      provideDiagnostics: (document, previousResultId, token, next) =>
        cellWithoutNotebookSync(uriOf(document))
          ? { kind: vsdiag.DocumentDiagnosticReportKind.full, items: [] }
          : next(document, previousResultId, token),
      provideHover: (document, position, token, next) =>
        cellWithoutNotebookSync(document.uri) ? undefined : next(document, position, token),
      provideCodeActions: (document, range, context, token, next) =>
        cellWithoutNotebookSync(document.uri) ? [] : next(document, range, context, token),
      workspace: {
        // The `dl-lsp` section holds only what the user set (see settings.ts).
        configuration: async (params, token, next) => {
          const answer = await next(params, token);
          if (!Array.isArray(answer)) {
            return answer;
          }
          return params.items.map((item, index) =>
            item.section === SECTION
              ? serverSection(
                  item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined,
                  vscode.workspace.isTrusted,
                )
              : answer[index],
          );
        },
      },
    };
  }
}
