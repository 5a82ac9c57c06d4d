// Running the `ledger` binary from tests.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace ledger::testing {

struct RunResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
};

// Runs `args` (args[0] is the program) with `input` on stdin; waits.
RunResult Run(const std::vector<std::string>& args, const std::string& input = "");

// A child with pipes to its stdin and stdout (stderr goes to /dev/null).
class Child {
 public:
  explicit Child(const std::vector<std::string>& args);
  ~Child();  // kills (SIGKILL) and reaps if still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Writes to the child's stdin; false once the child has gone.
  bool Write(const std::string& data);
  void CloseInput();
  // Reads one line from the child's stdout; false at end of output.
  bool ReadLine(std::string* line);
  void Kill();  // SIGKILL, then reap
  int Wait();   // exit code, -1 if signalled

 private:
  pid_t pid_ = -1;
  int in_fd_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
};

}  // namespace ledger::testing
