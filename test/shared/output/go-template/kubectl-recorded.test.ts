/**
 * Our Go templates against kubectl's, without a cluster: kubectl-recorded.json holds what
 * kubectl v1.36.3 printed (stdout, stderr, exit status) for each template of its corpus run on
 * one object (`kubectl create -f probe.json --dry-run=client -o go-template=…`, which prints
 * through the same GoTemplatePrinter as `kubectl get`): numbers of every kind, nil, missing keys,
 * lists of 0–7 elements, nested maps, Unicode; every builtin, fmt verb and error. Where the
 * template failed, stdout holds kubectl's debugging dump (cut before it after the first 8).
 */
import test from 'ava';
import fs from 'node:fs';
import { createGoTemplatePrinter } from '../../../../shared/output/go-template/print.ts';
import { TemplateParseError } from '../../../../shared/output/go-template/template.ts';

interface Recorded {
  template: string;
  allowMissingKeys?: boolean;
  stdout: string;
  stdoutCut?: boolean;
  stderr: string;
  code: number;
}

const recording = JSON.parse(fs.readFileSync(new URL('kubectl-recorded.json', import.meta.url), 'utf8')) as { object: unknown; cases: Recorded[] };

function ours(c: Recorded): { stdout: string; stderr: string; code: number } {
  let printer;
  try {
    printer = createGoTemplatePrinter(c.template, { allowMissingKeys: c.allowMissingKeys ?? true });
  } catch (error) {
    if (error instanceof TemplateParseError) return { stdout: '', stderr: `error: error parsing template ${c.template}, ${error.message}\n`, code: 1 };
    throw error;
  }
  const { text, error } = printer.print(recording.object);
  return { stdout: text, stderr: error ? `error: ${error}\n` : '', code: error ? 1 : 0 };
}

test(`${recording.cases.length} templates print what kubectl printed`, (t) => {
  for (const c of recording.cases) {
    const got = ours(c);
    const stdout = c.stdoutCut ? got.stdout.slice(0, Math.max(0, got.stdout.indexOf('Error executing template: '))) : got.stdout;
    t.deepEqual({ stdout, stderr: got.stderr, code: got.code }, { stdout: c.stdout, stderr: c.stderr, code: c.code }, c.template);
  }
});
