// Process isolation: each translation unit is parsed in a forked child, so that a TU
// that crashes clang, exhausts memory or hangs is reported as an error while every
// other TU is still analysed. The children run N at a time (-j), each with a memory
// limit and a deadline; results come back over a pipe as text (the facts, as JSON).
//
// Why processes rather than llvm::CrashRecoveryContext: recovery contexts cannot
// recover from stack exhaustion or from corrupted heap state, they leave clang's
// global state unknown after a crash, and they do not bound memory; a child process
// gives all three, and -j parallelism with one parse per process for free. The parent
// never parses, so it stays small.
#pragma once

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <poll.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace coldstart {

struct IsolationLimits {
  unsigned jobs = 1;
  unsigned timeoutSeconds = 600;   ///< per TU; 0: none
  unsigned long memoryLimitMB = 0; ///< address-space limit per child; 0: none
  bool keepStderr = false;         ///< let children write to stderr (debugging)
};

struct IsolatedResult {
  bool ok = false;
  std::string output;
  std::string failure; ///< why not ok: "crashed (SIGSEGV)", "timed out after 600 s", ...
};

inline std::string signalName(int sig) {
  switch (sig) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGABRT:
    return "SIGABRT";
  case SIGBUS:
    return "SIGBUS";
  case SIGFPE:
    return "SIGFPE";
  case SIGILL:
    return "SIGILL";
  case SIGKILL:
    return "SIGKILL";
  default:
    return "signal " + std::to_string(sig);
  }
}

/// In a forked child: limits applied, `work(index)` run, its output written to `fd`.
[[noreturn]] inline void runChild(const IsolationLimits &limits, const std::function<std::string(size_t)> &work,
                                  size_t index, int fd, pid_t parent) {
  // A parent that ends (the LSP server told to exit mid-parse) takes its parses with it.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(3);
  if (!limits.keepStderr) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDERR_FILENO);
  }
  if (limits.memoryLimitMB) {
    rlimit rl{};
    rl.rlim_cur = rl.rlim_max = static_cast<rlim_t>(limits.memoryLimitMB) * 1024 * 1024;
    setrlimit(RLIMIT_AS, &rl);
  }
  std::string out = work(index);
  const char *p = out.data();
  size_t left = out.size();
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) _exit(3);
    p += w;
    left -= size_t(w);
  }
  close(fd);
  _exit(0);
}

/// What a child's wait status says: its output when it exited cleanly, else why not.
inline void describeExit(int status, bool killed, const IsolationLimits &limits, std::string out, IsolatedResult &r) {
  if (killed) {
    r.failure = "timed out after " + std::to_string(limits.timeoutSeconds) + " s";
  } else if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    r.failure = "crashed (" + signalName(sig) + ")";
    if (limits.memoryLimitMB && (sig == SIGABRT || sig == SIGKILL))
      r.failure = "crashed or ran out of memory (" + signalName(sig) + ", limit " +
                  std::to_string(limits.memoryLimitMB) + " MB)";
  } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    r.failure = "failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
  } else {
    r.ok = true;
    r.output = std::move(out);
  }
}

/// Reads what a non-blocking pipe has; true at end of file.
inline bool readAvailable(int fd, std::string &out) {
  char buf[65536];
  while (true) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) out.append(buf, size_t(n));
    else if (n == 0) return true;
    else if (errno == EINTR) continue;
    else return false; // EAGAIN: more later
  }
}

/// Runs `work(i)` for i in [0, count) in child processes, at most `limits.jobs` at a
/// time, and returns each child's output. `work` runs in the child only; whatever it
/// returns is its result. `done(i, result)` is called in the parent as each finishes.
inline std::vector<IsolatedResult> runIsolated(size_t count, const IsolationLimits &limits,
                                               const std::function<std::string(size_t)> &work,
                                               const std::function<void(size_t, const IsolatedResult &)> &done = {}) {
  std::vector<IsolatedResult> results(count);
  struct Child {
    size_t index;
    pid_t pid;
    int fd;
    std::string out;
    std::chrono::steady_clock::time_point start;
    bool killed = false;
  };
  std::vector<Child> running;
  size_t next = 0;
  unsigned jobs = limits.jobs == 0 ? 1 : limits.jobs;

  auto finish = [&](Child &c) {
    int status = 0;
    while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
    IsolatedResult &r = results[c.index];
    describeExit(status, c.killed, limits, std::move(c.out), r);
    close(c.fd);
    if (done) done(c.index, r);
  };

  while (next < count || !running.empty()) {
    while (next < count && running.size() < jobs) {
      int fds[2];
      if (pipe(fds) != 0) {
        results[next].failure = std::string("cannot start a worker: ") + std::strerror(errno);
        if (done) done(next, results[next]);
        ++next;
        continue;
      }
      std::fflush(nullptr);
      pid_t parent = getpid();
      pid_t pid = fork();
      if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        results[next].failure = std::string("cannot start a worker: ") + std::strerror(errno);
        if (done) done(next, results[next]);
        ++next;
        continue;
      }
      if (pid == 0) { // child
        close(fds[0]);
        runChild(limits, work, next, fds[1], parent);
      }
      close(fds[1]);
      fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
      running.push_back(Child{next, pid, fds[0], {}, std::chrono::steady_clock::now()});
      ++next;
    }

    std::vector<pollfd> pfds;
    for (const Child &c : running) pfds.push_back(pollfd{c.fd, POLLIN, 0});
    int waitMs = 200;
    int rc = poll(pfds.data(), pfds.size(), waitMs);
    if (rc < 0 && errno != EINTR) break;
    auto now = std::chrono::steady_clock::now();
    for (size_t i = 0; i < running.size();) {
      Child &c = running[i];
      bool eof = (pfds[i].revents & (POLLIN | POLLHUP | POLLERR)) && readAvailable(c.fd, c.out);
      if (!eof && limits.timeoutSeconds && !c.killed && now - c.start > std::chrono::seconds(limits.timeoutSeconds)) {
        kill(c.pid, SIGKILL);
        c.killed = true;
        eof = true;
      }
      if (eof) {
        finish(c);
        running.erase(running.begin() + long(i));
        pfds.erase(pfds.begin() + long(i));
      } else {
        ++i;
      }
    }
  }
  return results;
}

} // namespace coldstart
