#include <doctest/doctest.h>

#include <thread>

#include "synapse/core/mask.hpp"

using namespace syn;

TEST_CASE("mask: live_indices lists the live entries in order across word boundaries") {
  std::vector<uint8_t> live(200, 0);
  std::vector<int64_t> expected;
  for (int64_t i : {0, 5, 63, 64, 65, 127, 128, 199}) {
    live[static_cast<size_t>(i)] = 1;
    expected.push_back(i);
  }
  const Mask mask(live);
  CHECK(mask.nnz() == 8);
  CHECK(mask.live_indices() == expected);
  CHECK(&mask.live_indices() == &mask.live_indices());  // built once
  CHECK(Mask(std::vector<uint8_t>(70, 0)).live_indices().empty());
  CHECK(Mask(std::vector<uint8_t>(70, 1)).live_indices().size() == 70);
}

TEST_CASE("mask: live_indices is safe to build from several threads at once") {
  std::vector<uint8_t> live(100000);
  for (size_t i = 0; i < live.size(); ++i) live[i] = i % 7 != 0;
  const Mask mask(live);
  std::vector<size_t> sizes(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t) threads.emplace_back([&, t] { sizes[t] = mask.live_indices().size(); });
  for (auto& t : threads) t.join();
  for (size_t s : sizes) CHECK(s == static_cast<size_t>(mask.nnz()));
}
