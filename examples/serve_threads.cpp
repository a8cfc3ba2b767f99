// Serve predictions from several threads with one loaded model (Note [Model thread safety] in
// synapse/synapse.hpp: predict is safe to call concurrently; no locks are needed).
//   serve_threads MODEL.syn [THREADS]
// Each thread answers 200 requests, each a window of a slowly rising sine in every input column,
// and checks its answers against the single-threaded ones.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include <synapse/synapse.hpp>

int main(int argc, char** argv) {
  if (argc < 2) return std::fprintf(stderr, "usage: serve_threads MODEL.syn [THREADS]\n"), 2;
  const syn::Model model = syn::Model::load(argv[1]);
  const int threads = argc > 2 ? std::atoi(argv[2]) : 8, requests = 200;
  const auto request = [&](int i) {  // the window of request i, in raw units
    std::vector<double> w;
    for (int64_t r = 0; r < model.lookback(); ++r)
      for (int64_t c = 0; c < model.num_features(); ++c)
        w.push_back(model.scaler().offset[c] + model.scaler().scale[c] * std::sin(0.1 * (r + i)));
    return w;
  };
  std::vector<std::vector<double>> expected;
  for (int i = 0; i < requests; ++i) expected.push_back(model.predict(request(i)));
  std::vector<int> wrong(threads, 0);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < requests; ++i) wrong[t] += model.predict(request(i)) != expected[i];
    });
  for (std::thread& th : pool) th.join();
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  int mismatches = 0;
  for (int w : wrong) mismatches += w;
  std::printf("%d threads x %d predictions in %.1f ms (%.3f ms each), %d differ from the single-threaded ones\n",
              threads, requests, ms, ms / (threads * requests), mismatches);
  return mismatches == 0 ? 0 : 1;
}
