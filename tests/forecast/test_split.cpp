#include <doctest/doctest.h>

#include "synapse/core/error.hpp"
#include "synapse/forecast/split.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Contains;

TEST_CASE("split: clean protocol, default 0.7/0.1/0.2, scaler on train") {
  Split s = split_rows(1000, Protocol{});
  CHECK(s.train == RowRange{0, 700});
  CHECK(s.val == RowRange{700, 800});
  CHECK(s.test == RowRange{800, 1000});
  CHECK(s.scaler_fit == s.train);
  CHECK(
      s.describe() ==
      "1000 rows: train 0..699 (700), validation 700..799 (100), test 800..999 (200); scaler fitted on rows "
      "0..699");
  // Rounding: floor for train and validation, the rest to test; parts stay consecutive.
  Split odd = split_rows(17420, Protocol::clean());
  CHECK(odd.train.size() == 12194);
  CHECK(odd.val.size() == 1742);
  CHECK(odd.test.size() == 3484);
  CHECK(odd.val.begin == odd.train.end);
  CHECK(odd.test.begin == odd.val.end);
  CHECK(odd.test.end == 17420);
  Split no_val = split_rows(10, Protocol::clean(0.8, 0.0, 0.2));
  CHECK(no_val.val.size() == 0);
  CHECK(no_val.test == RowRange{8, 10});
}

TEST_CASE("split: paper protocol, 80/20, scaler on the whole series, test doubles as validation") {
  const Protocol p = Protocol::paper();
  CHECK(p.scaler_on_whole_series());
  CHECK(p.early_stopping_on_test());
  CHECK(p.describe().find("reproduces the reference study") != std::string::npos);
  CHECK(p.describe().find("scaler fitted on the whole series") != std::string::npos);
  CHECK(p.describe().find("80% train / 20% test") != std::string::npos);
  CHECK(p.describe().find("early-stopping set") != std::string::npos);
  Split s = split_rows(365, p);
  CHECK(s.train == RowRange{0, 292});
  CHECK(s.test == RowRange{292, 365});
  CHECK(s.val == s.test);
  CHECK(s.scaler_fit == RowRange{0, 365});
  CHECK(s.describe() ==
        "365 rows: train 0..291 (292), test 292..364 (73) (also the early-stopping set); "
        "scaler fitted on rows 0..364");
  CHECK(Protocol::clean().describe() ==
        "protocol clean: chronological split 70% train / 10% validation / 20% test, scaler fitted on the "
        "training part only, early stopping on the validation part");
}

TEST_CASE("split: bad fractions, unknown protocol names and too few rows") {
  CHECK_THROWS_WITH_AS(Protocol::clean(0.7, 0.2, 0.2), Contains("= 1.1, expected 1"), ValueError);
  CHECK_THROWS_WITH_AS(Protocol::clean(0.0, 0.5, 0.5), Contains("train and test > 0"), ValueError);
  CHECK_THROWS_WITH_AS(Protocol::clean(0.9, -0.1, 0.2), Contains("val >= 0"), ValueError);
  CHECK(Protocol::from_name("paper").kind == ProtocolKind::paper);
  CHECK(Protocol::from_name("clean").name() == "clean");
  CHECK_THROWS_WITH_AS(Protocol::from_name("Paper"),
                       Contains("unknown protocol 'Paper' (expected clean or paper)"), ValueError);
  CHECK_THROWS_WITH_AS(split_rows(5, Protocol{}), Contains("the validation part of 5 rows is empty"),
                       ValueError);
  CHECK_THROWS_WITH_AS(split_rows(1, Protocol::paper()), Contains("the train part of 1 rows is empty"),
                       ValueError);
  CHECK_THROWS_WITH_AS(split_rows(0, Protocol{}), Contains("the series has 0 rows"), ValueError);
}
