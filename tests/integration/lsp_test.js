// End-to-end test of `coldstart-lint lsp` with a real LSP client library
// (vscode-jsonrpc from npm, installed by setup.sh under build/npm).
//   node lsp_test.js <coldstart-lint> <fixtures-dir> <npm-prefix>
// Timings are relative to one analysis measured here, never absolute.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawn } = require('child_process');
const [tool, fixtures, npmPrefix] = process.argv.slice(2);
const rpc = require(path.join(npmPrefix, 'node_modules', 'vscode-jsonrpc', 'node'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstart-lsp-'));
let child = null;
function cleanup() {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
}
function fail(msg) { console.error('FAIL: ' + msg); cleanup(); process.exit(1); }
let step = 'start';
const timer = setTimeout(() => fail(`timed out (${step}); published: ${JSON.stringify(published.slice(-3))}`), 300000);

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

child = spawn(tool, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') } });
const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
const published = []; // every publishDiagnostics, with the time it arrived
let waiters = [];
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  published.push({ ...p, at: Date.now() });
  waiters = waiters.filter((w) => !w());
});
const logged = [];
conn.onNotification('window/logMessage', (p) => logged.push(p.message));
conn.listen();
// The first diagnostics published from now on for `u` (at version `version`, if given).
const diagnosticsFor = (u, version) => new Promise((resolve) => {
  const from = published.length;
  const check = () => {
    const d = published.slice(from).find((p) => p.uri === u && (version === undefined || p.version === version));
    if (d) resolve(d);
    return !!d;
  };
  waiters.push(check);
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const open = (u, text, version = 1) =>
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'cpp', version, text } });
const change = (u, text, version) =>
  conn.sendNotification('textDocument/didChange', { textDocument: { uri: u, version }, contentChanges: [{ text }] });
const lines = (d) => d.diagnostics.map((x) => x.range.start.line);

(async () => {
  const init = await conn.sendRequest('initialize', { processId: process.pid, rootUri: 'file://' + dir, capabilities: {} });
  if (init.capabilities.textDocumentSync.change !== 1) fail('no full text sync');
  if (!init.capabilities.codeActionProvider) fail('no code actions');
  conn.sendNotification('initialized', {});

  // ---- diagnostics, UTF-16 positions, quick fix ----
  step = 'diagnostics, UTF-16 positions, quick fix';
  let p = diagnosticsFor(uri);
  open(uri, bad);
  let d = await p;
  if (d.version !== 1) fail('publishDiagnostics without the version analysed: ' + JSON.stringify(d));
  if (d.diagnostics.length !== 1) fail('expected 1 diagnostic, got ' + JSON.stringify(d.diagnostics));
  const diag = d.diagnostics[0];
  if (diag.code !== 'coldstart-client-per-invocation' || diag.source !== 'coldstart-lint') fail('code/source: ' + JSON.stringify(diag));
  if (!diag.message.includes("'Aws::S3::S3Client' is constructed on every invocation")) fail('message: ' + diag.message);
  // "  /* é𝄞 */ " is 12 UTF-16 code units (é is 1, 𝄞 is 2) but 15 bytes.
  if (diag.range.start.line !== 4 || diag.range.start.character !== 12) fail('range not in UTF-16: ' + JSON.stringify(diag.range));
  if (!diag.relatedInformation || !diag.relatedInformation.some((r) => r.message.includes('runs on every invocation'))) fail('no handler note');
  // The check's page, when the build has a home URL (coldstart-lint --version says); no dead link otherwise.
  const home = (require('child_process').execFileSync(tool, ['--version']).toString().match(/^Home: (\S+)$/m) || [])[1];
  const href = diag.codeDescription && diag.codeDescription.href;
  if (home ? href !== `${home.replace(/\/+$/, '')}/blob/main/checks/${diag.code}/page.md` : diag.codeDescription !== undefined)
    fail(`codeDescription ${JSON.stringify(diag.codeDescription)} with home URL '${home || ''}'`);

  const actions = await conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
  if (actions.length !== 1 || actions[0].kind !== 'quickfix') fail('code actions: ' + JSON.stringify(actions));
  const edit = actions[0].edit.changes[uri][0];
  if (edit.newText !== 'static Aws::S3::S3Client& s3 = *new Aws::S3::S3Client') fail('edit: ' + JSON.stringify(edit));
  if (edit.range.start.line !== 4 || edit.range.start.character !== 12 || edit.range.end.character !== 32) fail('edit range: ' + JSON.stringify(edit.range));

  // ---- one analysis, timed: the yardstick for what follows ----
  step = 'one analysis, timed: the yardstick for what follows';
  let version = 2;
  p = diagnosticsFor(uri, version);
  let sent = Date.now();
  change(uri, good, version);
  d = await p;
  const oneAnalysis = d.at - sent; // debounce included
  if (d.diagnostics.length !== 0) fail('diagnostics after the fix: ' + JSON.stringify(d.diagnostics));

  // ---- a burst of 200 changes: only the newest text is analysed ----
  step = 'a burst of 200 changes: only the newest text is analysed';
  // Each change adds a comment line at the end; the last one also puts three lines
  // before the handler, so its finding moves from line 4 to line 7.
  const burst = 200;
  const final = '// one\n// two\n// three\n' + bad;
  const firstOfBurst = published.length;
  for (let i = 1; i <= burst; ++i) {
    ++version;
    change(uri, i === burst ? final : bad + `// edit ${i}\n`, version);
  }
  const lastChange = Date.now();
  d = await diagnosticsFor(uri, version);
  const latency = d.at - lastChange;
  if (JSON.stringify(lines(d)) !== '[7]') fail('final diagnostics do not match the final text: ' + JSON.stringify(d.diagnostics));
  await sleep(Math.max(500, oneAnalysis)); // anything published late would be stale
  const burstPublishes = published.slice(firstOfBurst).filter((x) => x.uri === uri);
  if (burstPublishes.some((x) => typeof x.version !== 'number')) fail('a publish without its version');
  const lastPublished = burstPublishes[burstPublishes.length - 1];
  if (lastPublished.version !== version) fail('stale diagnostics after the final ones: version ' + lastPublished.version);
  if (burstPublishes.length > 5) fail(`${burstPublishes.length} publishDiagnostics for a burst of ${burst} changes`);
  if (latency > 3 * oneAnalysis + 2000)
    fail(`final diagnostics ${latency} ms after the last change; one analysis takes ${oneAnalysis} ms`);
  console.log(`burst of ${burst} changes: ${burstPublishes.length} publishDiagnostics, the final one ${latency} ms after the last change; one analysis ${oneAnalysis} ms`);

  // ---- requests are answered while a parse runs ----
  step = 'requests are answered while a parse runs';
  // A parse starts once the debounce delay (well under one analysis) has passed.
  const parseStart = () => sleep(Math.min(600, oneAnalysis / 2));
  ++version;
  p = diagnosticsFor(uri, version);
  change(uri, bad + '// while it parses\n', version);
  await parseStart();
  sent = Date.now();
  const sent0 = sent;
  const during = await conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 7, character: 0 }, end: { line: 7, character: 80 } }, context: { diagnostics: [] } });
  const answered = Date.now();
  if (during.length !== 1) fail('code action during a parse (from the last results): ' + JSON.stringify(during));
  d = await p;
  if (d.at < answered) console.log('note: the parse ended before the code action was sent; answer time not checked');
  else if (answered - sent > Math.max(200, oneAnalysis / 4)) fail(`code action took ${answered - sent} ms during a parse`);

  // ---- a file that does not compile shows why ----
  step = 'a file that does not compile shows why';
  ++version;
  p = diagnosticsFor(uri, version);
  change(uri, bad.replace('  return invocation_response', '  int x = no_such_thing;\n  return invocation_response'), version);
  d = await p;
  const err = d.diagnostics.find((x) => x.severity === 1 && x.message.includes("no_such_thing"));
  if (!err || err.range.start.line !== 5) fail('compile error not shown at its line: ' + JSON.stringify(d.diagnostics));
  if (!err.message.includes('does not compile')) fail('compile error message: ' + err.message);

  // ---- a file whose headers are missing says its findings may be incomplete ----
  step = 'a file whose headers are missing says its findings may be incomplete';
  ++version;
  p = diagnosticsFor(uri, version);
  change(uri, '#include <no/such/header.h>\n' + bad, version);
  d = await p;
  const info = d.diagnostics.filter((x) => x.severity === 3);
  if (info.length !== 1 || info[0].range.start.line !== 0 || !info[0].message.includes('no/such/header.h') ||
      !info[0].message.includes('incomplete'))
    fail('missing header not shown: ' + JSON.stringify(d.diagnostics));
  if (!d.diagnostics.some((x) => x.code === 'coldstart-client-per-invocation' && x.range.start.line === 5))
    fail('findings with a missing header: ' + JSON.stringify(d.diagnostics));

  // ---- close ----
  step = 'close';
  p = diagnosticsFor(uri);
  conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  d = await p;
  if (d.diagnostics.length !== 0) fail('diagnostics not cleared on close');

  // ---- a config the server finds for a newly opened file is validated as the CLI's is ----
  step = "a config the server finds for a newly opened file is validated as the CLI's is";
  const sub = path.join(dir, 'sub');
  fs.mkdirSync(sub);
  fs.writeFileSync(path.join(sub, '.coldstart-lint.yaml'), 'Severity: { coldstart-no-such-check: error }\n');
  const subUri = 'file://' + path.join(sub, 'handler.cpp');
  p = diagnosticsFor(subUri);
  open(subUri, bad);
  d = await p;
  const unknown = ".coldstart-lint.yaml: Severity names unknown check 'coldstart-no-such-check'";
  if (d.diagnostics.length !== 1 || d.diagnostics[0].severity !== 1 || !d.diagnostics[0].message.includes(unknown))
    fail('invalid config not shown: ' + JSON.stringify(d.diagnostics));
  if (!logged.some((m) => m.includes(unknown))) fail('invalid config not logged: ' + JSON.stringify(logged));

  // ---- a project with a compilation database: a helper in another file is reported ----
  // with the handler's path, through the project linked in (build/compile_commands.json
  // found as clangd finds it; main.cpp is parsed once, then comes from the facts cache).
  step = 'project linked in';
  const project = path.join(dir, 'project');
  const projectSrc = path.join(project, 'src');
  fs.mkdirSync(path.join(project, 'build'), { recursive: true });
  fs.mkdirSync(projectSrc);
  const twoTu = path.join(fixtures, 'projects', 'two_tu');
  for (const f of fs.readdirSync(twoTu)) if (/\.(cpp|h)$/.test(f)) fs.copyFileSync(path.join(twoTu, f), path.join(projectSrc, f));
  fs.writeFileSync(path.join(project, 'build', 'compile_commands.json'),
    fs.readFileSync(path.join(twoTu, 'compile_commands.json.in'), 'utf8').replace(/@DIR@/g, projectSrc).replace(/@FIXTURES@/g, fixtures));
  const helpers = path.join(projectSrc, 'helpers.cpp');
  const helpersUri = 'file://' + helpers;
  p = diagnosticsFor(helpersUri);
  open(helpersUri, fs.readFileSync(helpers, 'utf8'));
  d = await p;
  const s3 = d.diagnostics.find((x) => x.range.start.line === 28 && x.message.includes("'Aws::S3::S3Client' is constructed on every invocation"));
  if (!s3) fail('the helper\'s finding (its handler is in main.cpp) is not shown: ' + JSON.stringify(d.diagnostics));
  if (!(s3.relatedInformation || []).some((r) => r.location.uri === 'file://' + path.join(projectSrc, 'main.cpp') && r.message.includes("'handler' runs on every invocation")))
    fail('no path to the handler in main.cpp: ' + JSON.stringify(s3.relatedInformation));
  conn.sendNotification('textDocument/didClose', { textDocument: { uri: helpersUri } });

  // ---- shutdown is answered, and exit obeyed, while a parse runs ----
  step = 'shutdown is answered, and exit obeyed, while a parse runs';
  open(uri, bad); // reopened: version 1 again
  await parseStart();
  sent = Date.now();
  await conn.sendRequest('shutdown');
  const shutdownAt = Date.now();
  const parseEnded = published.some((x) => x.uri === uri && x.version === 1 && x.at >= sent && x.at <= shutdownAt);
  if (parseEnded) console.log('note: the parse ended before shutdown was answered; answer time not checked');
  else if (shutdownAt - sent > Math.max(200, oneAnalysis / 4)) fail(`shutdown answered ${shutdownAt - sent} ms after it was sent, during a parse`);
  conn.sendNotification('exit');
  const code = await Promise.race([exited, sleep(Math.max(1000, oneAnalysis)).then(() => 'still running')]);
  if (code !== 0) fail('after exit: ' + code);
  console.log(`during a parse: codeAction answered in ${answered - sent0} ms, shutdown in ${shutdownAt - sent} ms, exit ended the process in ${Date.now() - shutdownAt} ms`);
  clearTimeout(timer);
  cleanup();
  console.log('ok: LSP diagnostics with versions, UTF-16 positions, quick fix, debounced bursts, requests during a parse, compile errors, missing headers, close, a project linked in, config validation, shutdown and exit during a parse');
  process.exit(0);
})().catch((e) => fail(e.stack || String(e)));
