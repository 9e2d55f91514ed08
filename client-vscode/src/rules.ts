// The rule catalogue (`python -m dl_lsp rules --format json`) and a rule's page as Markdown.
import { execFile } from "child_process";

export interface RuleDoc {
  what?: string;
  why?: string;
  example?: string;
  example_fixed?: string;
  fix?: string;
  when?: string;
}

export interface Rule {
  code: string;
  name: string;
  bug_type: string;
  severity: string;
  summary: string;
  url: string;
  frameworks?: string[];
  thresholds?: Record<string, number>;
  doc?: RuleDoc | null;
}

export class RuleCatalog {
  private cached: { interpreter: string; rules: Promise<Rule[]> } | undefined;

  /** Every rule, from the interpreter that runs the server (read once per interpreter). */
  load(interpreter: string | undefined): Promise<Rule[]> {
    if (interpreter === undefined) {
      return Promise.reject(new Error("the server has no interpreter yet (see the dl-lsp output)"));
    }
    if (this.cached?.interpreter !== interpreter) {
      const rules = listRules(interpreter);
      rules.catch(() => {
        this.cached = undefined; // try again next time
      });
      this.cached = { interpreter, rules };
    }
    return this.cached.rules;
  }
}

function listRules(interpreter: string): Promise<Rule[]> {
  return new Promise((resolve, reject) => {
    execFile(
      interpreter,
      ["-m", "dl_lsp", "rules", "--format", "json"],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(new Error(`cannot list the rules: ${String(stderr).trim() || error.message}`));
          return;
        }
        try {
          resolve(JSON.parse(String(stdout)) as Rule[]);
        } catch (parseError) {
          reject(new Error(`dl-lsp rules printed something that is not JSON: ${String(parseError)}`));
        }
      },
    );
  });
}

function codeBlock(code: string): string {
  return ["```python", code.trimEnd(), "```"].join("\n");
}

export function ruleMarkdown(rule: Rule): string {
  const lines = [
    `# ${rule.code} · ${rule.name}`,
    "",
    `*${rule.severity}* · ${rule.bug_type} bug${rule.frameworks?.length ? ` · ${rule.frameworks.join(", ")}` : ""}`,
    "",
    rule.summary,
  ];
  const doc = rule.doc ?? {};
  const sections: Array<[string, string | undefined]> = [
    ["What it checks", doc.what],
    ["Why it matters", doc.why],
    ["How to fix it", doc.fix],
    ["When it stays silent", doc.when],
  ];
  for (const [title, text] of sections) {
    if (text) {
      lines.push("", `## ${title}`, "", text);
    }
  }
  if (doc.example) {
    lines.push("", "## Example", "", codeBlock(doc.example));
  }
  if (doc.example_fixed) {
    lines.push("", "Fixed:", "", codeBlock(doc.example_fixed));
  }
  const thresholds = Object.entries(rule.thresholds ?? {});
  if (thresholds.length > 0) {
    lines.push("", "## Thresholds", "", ...thresholds.map(([name, value]) => `- \`${name}\` = ${value}`));
    lines.push("", `Change them with the \`dl-lsp.thresholds\` setting, e.g. \`{"${rule.code}": {"${thresholds[0][0]}": ${thresholds[0][1]}}}\`.`);
  }
  lines.push("", `[Online documentation](${rule.url})`, "");
  return lines.join("\n");
}
