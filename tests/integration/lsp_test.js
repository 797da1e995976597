// End-to-end test of `coldstart-lint lsp` with a real LSP client library
// (vscode-jsonrpc from npm, installed by setup.sh under build/npm).
//   node lsp_test.js <coldstart-lint> <fixtures-dir> <npm-prefix>
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawn } = require('child_process');
const [tool, fixtures, npmPrefix] = process.argv.slice(2);
const rpc = require(path.join(npmPrefix, 'node_modules', 'vscode-jsonrpc', 'node'));

function fail(msg) { console.error('FAIL: ' + msg); process.exit(1); }
const timer = setTimeout(() => fail('timed out'), 120000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstart-lsp-'));
fs.writeFileSync(path.join(dir, 'compile_flags.txt'), `-std=c++20\n-I${fixtures}/include\n`);
const file = path.join(dir, 'handler.cpp');
const uri = 'file://' + file;
// A non-ASCII character before the finding on its line: positions must be UTF-16.
const bad = `#include <aws/lambda-runtime/runtime.h>
#include <aws/s3/S3Client.h>
using namespace aws::lambda_runtime;
static invocation_response handler(invocation_request const&) {
  /* é𝄞 */ Aws::S3::S3Client s3;
  return invocation_response::success("ok", "text/plain");
}
int main() { run_handler(handler); }
`;
const good = bad.replace('/* é𝄞 */ Aws::S3::S3Client s3;', '/* é𝄞 */ static Aws::S3::S3Client& s3 = *new Aws::S3::S3Client;');
fs.writeFileSync(file, '// not what the editor has\n'); // the unsaved buffer is what counts

const child = spawn(tool, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') } });
const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
const published = [];
let waiter = null;
conn.onNotification('textDocument/publishDiagnostics', (p) => { published.push(p); if (waiter) waiter(); });
const logged = [];
conn.onNotification('window/logMessage', (p) => logged.push(p.message));
conn.listen();
const nextDiagnostics = () => new Promise((resolve) => {
  const n = published.length;
  waiter = () => { if (published.length > n) { waiter = null; resolve(published[published.length - 1]); } };
});

(async () => {
  const init = await conn.sendRequest('initialize', { processId: process.pid, rootUri: 'file://' + dir, capabilities: {} });
  if (init.capabilities.textDocumentSync.change !== 1) fail('no full text sync');
  if (!init.capabilities.codeActionProvider) fail('no code actions');
  conn.sendNotification('initialized', {});

  let p = nextDiagnostics();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cpp', version: 1, text: bad } });
  let d = await p;
  if (d.uri !== uri) fail('diagnostics for ' + d.uri);
  if (d.diagnostics.length !== 1) fail('expected 1 diagnostic, got ' + JSON.stringify(d.diagnostics));
  const diag = d.diagnostics[0];
  if (diag.code !== 'coldstart-client-per-invocation' || diag.source !== 'coldstart-lint') fail('code/source: ' + JSON.stringify(diag));
  if (!diag.message.includes("'Aws::S3::S3Client' is constructed on every invocation")) fail('message: ' + diag.message);
  // "  /* é𝄞 */ " is 12 UTF-16 code units (é is 1, 𝄞 is 2) but 15 bytes.
  if (diag.range.start.line !== 4 || diag.range.start.character !== 12) fail('range not in UTF-16: ' + JSON.stringify(diag.range));
  if (!diag.relatedInformation || !diag.relatedInformation.some((r) => r.message.includes('runs on every invocation'))) fail('no handler note');

  const actions = await conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
  if (actions.length !== 1 || actions[0].kind !== 'quickfix') fail('code actions: ' + JSON.stringify(actions));
  const edit = actions[0].edit.changes[uri][0];
  if (edit.newText !== 'static Aws::S3::S3Client& s3 = *new Aws::S3::S3Client') fail('edit: ' + JSON.stringify(edit));
  if (edit.range.start.line !== 4 || edit.range.start.character !== 12 || edit.range.end.character !== 32) fail('edit range: ' + JSON.stringify(edit.range));

  p = nextDiagnostics();
  conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: good }] });
  d = await p;
  if (d.diagnostics.length !== 0) fail('diagnostics after the fix: ' + JSON.stringify(d.diagnostics));

  p = nextDiagnostics();
  conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  d = await p;
  if (d.diagnostics.length !== 0) fail('diagnostics not cleared on close');

  // A config the server finds for a newly opened file is validated as the CLI's is.
  const sub = path.join(dir, 'sub');
  fs.mkdirSync(sub);
  fs.writeFileSync(path.join(sub, '.coldstart-lint.yaml'), 'Severity: { coldstart-no-such-check: error }\n');
  const subUri = 'file://' + path.join(sub, 'handler.cpp');
  p = nextDiagnostics();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: subUri, languageId: 'cpp', version: 1, text: bad } });
  d = await p;
  if (d.diagnostics.length !== 0) fail('diagnostics under an invalid config: ' + JSON.stringify(d.diagnostics));
  if (!logged.some((m) => m.includes(".coldstart-lint.yaml: Severity names unknown check 'coldstart-no-such-check'")))
    fail('invalid config not reported: ' + JSON.stringify(logged));

  await conn.sendRequest('shutdown');
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  conn.sendNotification('exit');
  const code = await exited;
  if (code !== 0) fail('exit code ' + code);
  clearTimeout(timer);
  console.log('ok: LSP diagnostics, UTF-16 positions, quick fix, change, close, config validation, shutdown');
  process.exit(0);
})().catch((e) => fail(e.stack || String(e)));
