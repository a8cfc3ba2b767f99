// The main() of every test binary: doctest's, plus a non-zero exit when a run selects no test case
// (Note [Every ctest entry is one doctest case]).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <iostream>

// Note [Every ctest entry is one doctest case]
// tests/CMakeLists.txt registers each doctest case as its own ctest entry (doctest_discover_tests),
// which runs `test_X --test-case=<name>`. Two things could let a case silently never run:
//   1. A run whose filters select no case passes in plain doctest. Here it exits 1, so a ctest entry
//      that runs nothing fails (a name with ';' is split by CMake's list handling into two entries
//      whose filters match nothing, for example).
//   2. A case could have no entry at all. The ctest entry "tests: the ctest entries are the doctest
//      cases" (tests/check_ctest_cases.sh) compares the ctest list with `test_X --list-test-cases`
//      for every suite and fails on any difference. ctest entries that are not doctest cases carry
//      the label `standalone` and are left out of that comparison.
// Listing (--list-test-cases, --count, ...) and --no-run select nothing on purpose and exit 0.

namespace {

// Records how many test cases the run selected; doctest calls test_run_end only for a real run.
struct SelectedCases : doctest::IReporter {
  static inline bool run_ended = false;
  static inline unsigned selected = 0;

  explicit SelectedCases(const doctest::ContextOptions&) {}
  void test_run_end(const doctest::TestRunStats& stats) override {
    run_ended = true;
    selected = stats.numTestCasesPassingFilters;
  }
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("selected_cases", 1, SelectedCases);

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int status = context.run();
  if (status == 0 && SelectedCases::run_ended && SelectedCases::selected == 0) {
    std::cerr << "no test case matches the filters, so nothing ran (see Note [Every ctest entry is one "
                 "doctest case] in tests/support/main.cpp)\n";
    return 1;
  }
  return status;
}
