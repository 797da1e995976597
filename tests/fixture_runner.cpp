// The fixture runner: runs coldstart-lint on a fixture and compares its findings with
// the expectations written next to the code.
//
// Expectations (in a // comment on the line they describe):
//   // EXPECT: <check-id> "<message fragment>" [col=N] [handler="NAME"] [path="A>B"] [fix] [nofix] [severity=S]
//   // EXPECT@+1: ...   (the line below; @-1 the line above)
// Several EXPECT: on one line expect several findings there. Every finding must be
// expected and every expectation met, exactly once.
//
// File directives (anywhere in a comment):
//   // FLAGS: <compiler flags>        replaces the default flags (-std=c++20 / -std=c11, -I fixtures/include)
//   // ARGS: <tool arguments>         extra arguments for coldstart-lint (%S is the fixture's directory)
//   // EXPECT-ERROR: <fragment>       the run must report an error containing <fragment> (exit 2)
//   // EXPECT-NOTE: <fragment>        the run must say the analysis may be incomplete (a JSON
//                                     "notes" entry containing <fragment>); without one, it must not
//   // OK: <why>                      documents a negative case: no finding may be on this line
//
// A fixture that must stay free of test comments (the README's examples) may keep its
// expectations in <name>.expect instead, one per line: `<line>: <check> "<fragment>" ...`.
//
// Every fixture is also analysed without -I to fixtures/include (the built-in fallback
// headers must give the same findings), and with --no-skip-bodies: the findings must be identical
// (skipping function bodies in system headers must not lose anything).
//
// When findings carry fixes, <name>.fixed.<ext> must exist next to the fixture: the
// runner applies every fix, compares the result with it byte for byte, then analyses
// the fixed file: it must compile, and report exactly the findings that had no fix
// (at their lines after fixing; those inside multi-line text a fix replaced, moved
// with it, must be gone), none of them with a fix: fixing twice gives the same file.
//
// Usage: fixture_runner <coldstart-lint> <fixtures-root> <fixture file | project dir> <work dir>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Expectation {
  std::string file; // relative to the fixture directory
  unsigned line = 0;
  std::string check;
  std::string fragment;
  int col = -1;
  std::string handler;
  std::string path;
  int fix = -1; // 1 must have a fix, 0 must not, -1 don't care
  std::string severity;
  bool met = false;
  std::string text() const { return file + ":" + std::to_string(line) + ": " + check + " \"" + fragment + "\""; }
};

struct Directives {
  std::string flags;
  bool haveFlags = false;
  std::string args;
  std::vector<std::string> errors;
  std::vector<std::string> notes;
};

/// A run's JSON without its "notes" (which name the stand-ins used, so they differ
/// between a run with fixtures/include and one with the built-in fallback headers).
std::string withoutNotes(const std::string &out) {
  try {
    json doc = json::parse(out);
    doc.erase("notes");
    return doc.dump();
  } catch (const std::exception &) {
    return out;
  }
}

std::string readFile(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

int failures = 0;
void fail(const std::string &msg) {
  std::cerr << "FAIL: " << msg << "\n";
  ++failures;
}

/// Parses `key=value` / `key="value"` / bare flags after the fragment.
bool parseExpectation(const std::string &spec, Expectation &e, std::string &err) {
  static const std::regex head(R"re(^\s*(\S+)\s+"((?:[^"\\]|\\.)*)"(.*)$)re");
  std::smatch m;
  if (!std::regex_match(spec, m, head)) {
    err = "malformed EXPECT (want: <check> \"<fragment>\" [options]): " + spec;
    return false;
  }
  e.check = m[1];
  e.fragment = std::regex_replace(std::string(m[2]), std::regex(R"(\\(.))"), "$1");
  std::string rest = m[3];
  static const std::regex opt(R"re(\s*([a-z]+)(?:=(?:"([^"]*)"|(\S+)))?)re");
  auto begin = std::sregex_iterator(rest.begin(), rest.end(), opt);
  size_t consumed = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    if (size_t(it->position()) != consumed) break;
    consumed += it->length();
    std::string key = (*it)[1];
    std::string value = (*it)[2].matched ? std::string((*it)[2]) : std::string((*it)[3]);
    if (key == "col") e.col = std::stoi(value);
    else if (key == "handler") e.handler = value;
    else if (key == "path") e.path = value;
    else if (key == "fix") e.fix = 1;
    else if (key == "nofix") e.fix = 0;
    else if (key == "severity") e.severity = value;
    else {
      err = "unknown EXPECT option '" + key + "'";
      return false;
    }
  }
  if (!trim(rest.substr(consumed)).empty()) {
    err = "unparsed EXPECT text: '" + rest.substr(consumed) + "'";
    return false;
  }
  return true;
}

void scanFile(const fs::path &file, const std::string &rel, std::vector<Expectation> &exps, Directives &d,
              std::set<std::pair<std::string, unsigned>> &okLines) {
  std::istringstream in(readFile(file));
  std::string line;
  unsigned n = 0;
  static const std::regex expectRe(R"(EXPECT(?:@([+-]\d+))?:\s*)");
  while (std::getline(in, line)) {
    ++n;
    size_t c = line.find("//");
    if (c == std::string::npos) continue;
    std::string comment = line.substr(c + 2);
    auto directive = [&](const std::string &name, std::string &out) {
      size_t p = comment.find(name);
      if (p == std::string::npos) return false;
      out = trim(comment.substr(p + name.size()));
      return true;
    };
    std::string v;
    if (directive("FLAGS:", v)) {
      d.flags = v;
      d.haveFlags = true;
      continue;
    }
    if (directive("ARGS:", v) && comment.find("EXPECT") == std::string::npos) {
      d.args = v;
      continue;
    }
    if (directive("EXPECT-ERROR:", v)) {
      d.errors.push_back(v);
      continue;
    }
    if (directive("EXPECT-NOTE:", v)) {
      d.notes.push_back(v);
      continue;
    }
    if (comment.find("OK:") != std::string::npos && comment.find("EXPECT") == std::string::npos)
      okLines.insert({rel, n});
    // Split the comment at each EXPECT marker.
    std::vector<std::pair<int, std::string>> specs;
    auto it = std::sregex_iterator(comment.begin(), comment.end(), expectRe);
    std::vector<std::smatch> marks(it, std::sregex_iterator());
    for (size_t i = 0; i < marks.size(); ++i) {
      size_t start = marks[i].position() + marks[i].length();
      size_t end = i + 1 < marks.size() ? size_t(marks[i + 1].position()) : comment.size();
      int offset = marks[i][1].matched ? std::stoi(marks[i][1]) : 0;
      specs.push_back({offset, comment.substr(start, end - start)});
    }
    for (auto &[offset, spec] : specs) {
      Expectation e;
      e.file = rel;
      e.line = unsigned(int(n) + offset);
      std::string err;
      if (!parseExpectation(trim(spec), e, err)) fail(rel + ":" + std::to_string(n) + ": " + err);
      else exps.push_back(e);
    }
  }
  fs::path sidecar = file.string() + ".expect";
  if (fs::exists(sidecar)) {
    std::istringstream side(readFile(sidecar));
    unsigned sn = 0;
    while (std::getline(side, line)) {
      ++sn;
      if (trim(line).empty() || trim(line)[0] == '#') continue;
      size_t colon = line.find(':');
      Expectation e;
      e.file = rel;
      std::string err;
      try {
        e.line = unsigned(std::stoul(line.substr(0, colon)));
      } catch (...) {
        fail(sidecar.filename().string() + ":" + std::to_string(sn) + ": want '<line>: <expectation>'");
        continue;
      }
      if (colon == std::string::npos || !parseExpectation(trim(line.substr(colon + 1)), e, err))
        fail(sidecar.filename().string() + ":" + std::to_string(sn) + ": " + err);
      else exps.push_back(e);
    }
  }
}

struct RunOutput {
  int exit = -1;
  std::string out;
  std::string err;
};

std::string quote(const std::string &s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

RunOutput run(const std::string &cmd, const fs::path &cwd, const fs::path &work) {
  fs::path errFile = work / "stderr.txt";
  std::string full = "cd " + quote(cwd.string()) + " && " + cmd + " 2>" + quote(errFile.string());
  RunOutput r;
  FILE *p = popen(full.c_str(), "r");
  if (!p) return r;
  std::array<char, 65536> buf;
  size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), got);
  int status = pclose(p);
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  r.err = readFile(errFile);
  return r;
}

std::string pathString(const json &finding) {
  std::string s;
  for (const json &step : finding["path"]) {
    if (!s.empty()) s += ">";
    s += step["function"].get<std::string>();
  }
  return s;
}

bool matches(const Expectation &e, const json &f) {
  if (f["file"].get<std::string>() != e.file || f["line"].get<unsigned>() != e.line) return false;
  if (f["check"].get<std::string>() != e.check) return false;
  if (f["message"].get<std::string>().find(e.fragment) == std::string::npos) return false;
  if (e.col >= 0 && f["column"].get<int>() != e.col) return false;
  if (!e.handler.empty() && (f["handler"].is_null() || f["handler"]["name"].get<std::string>() != e.handler))
    return false;
  if (!e.path.empty() && pathString(f) != e.path) return false;
  if (e.fix == 1 && f["fixes"].empty()) return false;
  if (e.fix == 0 && !f["fixes"].empty()) return false;
  if (!e.severity.empty() && f["severity"].get<std::string>() != e.severity) return false;
  return true;
}

std::string describe(const json &f) {
  std::string s = f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<unsigned>()) + ":" +
                  std::to_string(f["column"].get<unsigned>()) + ": " + f["check"].get<std::string>() + ": " +
                  f["message"].get<std::string>();
  if (!f["handler"].is_null()) s += "\n      handler=\"" + f["handler"]["name"].get<std::string>() + "\"";
  std::string p = pathString(f);
  if (!p.empty()) s += " path=\"" + p + "\"";
  if (!f["fixes"].empty()) s += " fix";
  return s;
}

bool parseJson(const RunOutput &r, json &doc, const std::string &what) {
  try {
    doc = json::parse(r.out);
  } catch (const std::exception &ex) {
    fail(what + ": output is not JSON (" + ex.what() + "); exit " + std::to_string(r.exit) + "; stderr:\n" + r.err);
    return false;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 5) {
    std::cerr << "usage: fixture_runner <coldstart-lint> <fixtures-root> <fixture> <work-dir>\n";
    return 2;
  }
  fs::path tool = fs::absolute(argv[1]);
  fs::path root = fs::absolute(argv[2]);
  fs::path target = fs::absolute(argv[3]);
  fs::path work = fs::absolute(argv[4]);
  fs::create_directories(work);
  bool project = fs::is_directory(target);
  fs::path dir = project ? target : target.parent_path();

  std::vector<Expectation> exps;
  Directives d;
  std::set<std::pair<std::string, unsigned>> okLines;
  std::vector<fs::path> sources;
  if (project) {
    for (const auto &entry : fs::recursive_directory_iterator(dir)) {
      std::string ext = entry.path().extension().string();
      bool golden = entry.path().stem().extension() == ".fixed";
      if (!golden && (ext == ".cpp" || ext == ".cc" || ext == ".c" || ext == ".h" || ext == ".hpp"))
        sources.push_back(entry.path());
    }
    std::sort(sources.begin(), sources.end());
  } else {
    sources.push_back(target);
  }
  for (const fs::path &s : sources) scanFile(s, fs::relative(s, dir).string(), exps, d, okLines);

  std::string args = std::regex_replace(d.args, std::regex("%S"), dir.string());
  std::string cmd = quote(tool.string()) + " --format=json --quiet " + args;
  if (project) {
    // compile_commands.json.in names files relative to @DIR@.
    fs::path db = work / "build";
    fs::create_directories(db);
    std::string in = readFile(dir / "compile_commands.json.in");
    in = std::regex_replace(in, std::regex("@DIR@"), dir.string());
    in = std::regex_replace(in, std::regex("@FIXTURES@"), root.string());
    std::ofstream(db / "compile_commands.json") << in;
    cmd += " -p " + quote(db.string());
  } else {
    std::string flags = d.haveFlags ? d.flags
                                    : (target.extension() == ".c" ? "-std=c11" : "-std=c++20") + std::string(" -I") +
                                          (root / "include").string();
    flags = std::regex_replace(flags, std::regex("%S"), dir.string());
    flags = std::regex_replace(flags, std::regex("%FIXTURES"), root.string());
    cmd += " " + quote(target.filename().string()) + " -- " + flags;
  }

  RunOutput r = run(cmd, dir, work);
  json doc;
  if (!parseJson(r, doc, "run")) return 1;

  // Without -I to the stub headers the built-in fallback declarations stand in: the
  // findings must be the same (issue: pre-commit on machines without the AWS SDK).
  {
    std::string inc = " -I" + (root / "include").string();
    if (!project && cmd.find(inc) != std::string::npos) {
      std::string bare = std::regex_replace(
          cmd, std::regex(std::regex_replace(inc, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)")), "");
      bare = std::regex_replace(bare, std::regex(" --format=json "), " --format=json --no-cache ");
      RunOutput r3 = run(bare, dir, work);
      if (withoutNotes(r3.out) != withoutNotes(r.out) || r3.exit != r.exit)
        fail("findings differ when the built-in fallback headers stand in for fixtures/include (exit " +
             std::to_string(r3.exit) + "); stderr:\n" + r3.err);
    }
  }

  // Skipping system-header function bodies (the fast path) must change nothing.
  {
    std::string full =
        std::regex_replace(cmd, std::regex(" --format=json "), " --format=json --no-skip-bodies --no-cache ");
    RunOutput r2 = run(full, dir, work);
    if (withoutNotes(r2.out) != withoutNotes(r.out) || r2.exit != r.exit)
      fail("findings differ between the default run and --no-skip-bodies (body skipping lost something)");
  }

  // Errors.
  std::vector<std::string> errors;
  for (const json &e : doc["errors"]) errors.push_back(e["message"].get<std::string>());
  for (const std::string &frag : d.errors) {
    bool found = false;
    for (const std::string &e : errors) found = found || e.find(frag) != std::string::npos;
    if (!found) fail("expected an error containing \"" + frag + "\"");
  }
  if (d.errors.empty())
    for (const std::string &e : errors) fail("unexpected error: " + e);
  // Notes: a run that could not see everything says so, and only then.
  std::vector<std::string> notes;
  for (const json &n : doc.value("notes", json::array())) notes.push_back(n["message"].get<std::string>());
  for (const std::string &frag : d.notes) {
    bool found = false;
    for (const std::string &n : notes) found = found || n.find(frag) != std::string::npos;
    if (!found) fail("expected a note containing \"" + frag + "\"");
  }
  if (d.notes.empty())
    for (const std::string &n : notes) fail("unexpected note: " + n);
  int wantExit = !d.errors.empty() ? 2 : (exps.empty() ? 0 : 1);
  if (r.exit != wantExit) fail("exit code " + std::to_string(r.exit) + ", expected " + std::to_string(wantExit));
  if (r.exit >= 128) fail("killed by signal; stderr:\n" + r.err);

  // Findings against expectations.
  std::vector<bool> used(doc["findings"].size(), false);
  for (Expectation &e : exps) {
    for (size_t i = 0; i < doc["findings"].size(); ++i)
      if (!used[i] && matches(e, doc["findings"][i])) {
        used[i] = e.met = true;
        break;
      }
  }
  for (const Expectation &e : exps)
    if (!e.met) fail("expected finding not reported: " + e.text());
  for (size_t i = 0; i < used.size(); ++i)
    if (!used[i]) {
      const json &f = doc["findings"][i];
      std::string where = f["file"].get<std::string>();
      bool onOk = okLines.count({where, f["line"].get<unsigned>()}) != 0;
      fail(std::string(onOk ? "finding on an OK line: " : "unexpected finding: ") + describe(f));
    }

  // Fixes: golden file, compiles, re-analyses clean.
  std::map<std::string, std::vector<json>> fixesByFile;
  for (const json &f : doc["findings"])
    for (const json &fx : f["fixes"]) fixesByFile[fx["file"].get<std::string>()].push_back(fx);
  for (auto &[file, reps] : fixesByFile) {
    fs::path src = dir / file;
    fs::path golden = src.parent_path() / (src.stem().string() + ".fixed" + src.extension().string());
    if (!fs::exists(golden)) {
      fail("findings carry fixes but " + fs::relative(golden, dir).string() + " does not exist");
      continue;
    }
    std::sort(reps.begin(), reps.end(), [](const json &a, const json &b) { return a["offset"] > b["offset"]; });
    std::string text = readFile(src);
    for (const json &rep : reps)
      text.replace(rep["offset"].get<size_t>(), rep["length"].get<size_t>(), rep["replacement"].get<std::string>());
    std::string want = readFile(golden);
    if (text != want) {
      fs::path got = work / (src.stem().string() + ".got" + src.extension().string());
      std::ofstream(got) << text;
      fail("fixed text differs from " + golden.filename().string() + " (got: " + got.string() + ")");
      continue;
    }
    if (project) continue;
    // Re-analyse the golden file in place of the original.
    std::string cmd2 =
        std::regex_replace(cmd, std::regex(quote(target.filename().string())), quote(golden.filename().string()));
    RunOutput r2 = run(cmd2, dir, work);
    json doc2;
    if (!parseJson(r2, doc2, "re-analysis of " + golden.filename().string())) continue;
    if (!doc2["errors"].empty()) fail("fixed file does not analyse cleanly: " + doc2["errors"].dump());
    // Fixes may add lines (a hoisted set-up): where each original line is after fixing.
    // A finding without a fix inside text that a fix replaced went with it (a
    // configuration moved into its client's once-only initialiser): it must be gone.
    std::string original = readFile(src);
    auto lineAt = [&](size_t offset) {
      return unsigned(1 +
                      std::count(original.begin(), original.begin() + long(std::min(offset, original.size())), '\n'));
    };
    struct Span {
      unsigned first, last;
      long delta;
    };
    std::vector<Span> spans;
    for (const json &rep : reps) {
      size_t off = rep["offset"].get<size_t>(), len = rep["length"].get<size_t>();
      std::string by = rep["replacement"].get<std::string>();
      long removed = long(std::count(original.begin() + long(off), original.begin() + long(off + len), '\n'));
      spans.push_back({lineAt(off), lineAt(off + len), long(std::count(by.begin(), by.end(), '\n')) - removed});
    }
    auto fixedLine = [&](unsigned line) -> long {
      long delta = 0;
      for (const Span &sp : spans) {
        if (line >= sp.first && line <= sp.last && sp.first != sp.last) return -1; // replaced
        if (sp.last < line) delta += sp.delta;
      }
      return long(line) + delta;
    };
    std::multiset<std::string> remaining, expected;
    for (const json &f : doc2["findings"]) {
      remaining.insert(f["check"].get<std::string>() + "@" + std::to_string(f["line"].get<unsigned>()));
      // Applying the fixes again must change nothing.
      if (!f["fixes"].empty())
        fail("the fixed file still has findings with fixes (fixing twice differs): " + describe(f));
    }
    for (const json &f : doc["findings"])
      if (f["fixes"].empty())
        if (long line = fixedLine(f["line"].get<unsigned>()); line > 0)
          expected.insert(f["check"].get<std::string>() + "@" + std::to_string(line));
    if (remaining != expected) {
      std::string got, exp;
      for (auto &s : remaining) got += " " + s;
      for (auto &s : expected) exp += " " + s;
      fail("after fixing, findings are [" + got + " ] but the unfixed ones were [" + exp + " ]");
    }
  }

  if (failures) {
    std::cerr << failures << " problem(s) in " << target.string() << "\nstderr of the run:\n" << r.err;
    return 1;
  }
  std::cout << "ok: " << exps.size() << " expected finding(s), " << okLines.size() << " OK line(s)\n";
  return 0;
}
