// The safetensors reader: every offset and field checked (Note [Safetensors format]).
#include <doctest/doctest.h>

#include <cstring>

#include "synapse/core/error.hpp"
#include "synapse/interop/safetensors.hpp"

using namespace syn;
using namespace syn::interop;

namespace {

// An 8-byte size, then `header`, then `data`.
std::string file_bytes(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  const uint64_t n = header.size();
  std::memcpy(out.data(), &n, 8);
  return out + header + data;
}

std::string refusal(const std::string& bytes) {
  try {
    parse_safetensors(bytes, "t.safetensors");
  } catch (const ValueError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("safetensors: write then read gives the same tensors and metadata") {
  const float v[6] = {1, -2, 3.5f, 0, 1e-30f, 7};
  SafetensorsFile f;
  f.tensors = {f32_tensor("a.weight", {2, 3}, v), f32_tensor("s", {}, v + 5)};
  f.metadata = {{"format", "pt"}};
  const std::string bytes = serialize_safetensors(f);
  CHECK((bytes.size() - 8 - 6 * 4 - 4) % 8 == 0);  // the header is padded to 8 bytes
  const SafetensorsFile g = parse_safetensors(bytes, "t");
  REQUIRE(g.tensors.size() == 2);
  CHECK(g.tensors[0].name == "a.weight");
  CHECK(g.tensors[0].shape == std::vector<int64_t>{2, 3});
  CHECK(f32_values(g.tensors[0]) == std::vector<float>(v, v + 6));
  CHECK(g.tensors[1].shape.empty());
  CHECK(f32_values(*g.find("s")) == std::vector<float>{7});
  CHECK(g.metadata.at("format") == "pt");
}

TEST_CASE("safetensors: damaged files are refused with the tensor or field named") {
  const std::string four(4, '\0'), eight(8, '\0');
  CHECK(refusal("1234").find("too short") != std::string::npos);
  CHECK(refusal(file_bytes("{}", "").substr(0, 9)).find("runs past the end") != std::string::npos);
  CHECK(refusal(file_bytes("{\"a\":", "")).find("not valid JSON") != std::string::npos);
  CHECK(refusal(file_bytes("[]", "")).find("not a JSON object") != std::string::npos);
  CHECK(refusal(file_bytes(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}})", eight))
            .find("tensor 'w': data_offsets [0, 12] are out of range") != std::string::npos);
  CHECK(refusal(file_bytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}})", eight))
            .find("tensor 'w': data_offsets [0, 8] span 8 bytes, but F32 of this shape needs 4") != std::string::npos);
  CHECK(refusal(file_bytes(R"({"w":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}})", four))
            .find("tensor 'w': unknown dtype 'Q7'") != std::string::npos);
  CHECK(refusal(file_bytes(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", four))
            .find("tensor 'w' has a negative dimension") != std::string::npos);
  CHECK(refusal(file_bytes(R"({"w":{"dtype":"F32","shape":[1]}})", four))
            .find("tensor 'w' must have exactly the keys") != std::string::npos);
  CHECK(refusal(file_bytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", eight))
            .find("tensor 'w' starts at byte 4") != std::string::npos);
  CHECK(refusal(file_bytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                           R"("v":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                           four))
            .find("(overlap)") != std::string::npos);
  CHECK(refusal(file_bytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", eight))
            .find("cover 4 bytes of the 8-byte data buffer") != std::string::npos);
  CHECK(refusal(file_bytes(R"({"__metadata__":{"k":1}})", "")).find("__metadata__ 'k' is not a string") !=
        std::string::npos);
  CHECK_THROWS_AS(read_safetensors("no/such/file.safetensors"), ValueError);
}
