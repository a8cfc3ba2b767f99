// synapse command-line tool. For now: `synapse demo`, a small model fitted with the engine on a
// series it generates (the forecasting issue replaces this with the full train/eval/predict CLI).
#include <cstdio>
#include <cstring>
#include <exception>

#include "demo.hpp"

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && std::strcmp(argv[1], "demo") == 0) return syn::apps::run_demo();
    std::fprintf(stderr, "usage: synapse demo\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "synapse: %s\n", e.what());
    return 2;
  }
}
