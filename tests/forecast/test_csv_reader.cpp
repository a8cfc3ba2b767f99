#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "synapse/core/error.hpp"
#include "synapse/core/random.hpp"
#include "synapse/forecast/csv_reader.hpp"
#include "synapse/forecast/csv_tokenizer.hpp"
#include "synapse/forecast/number.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Contains;

namespace {
std::vector<double> numbers(const Table& t, const std::string& name) { return t.column(name).numbers; }
}  // namespace

TEST_CASE("parse_number: signs, exponents, decimal comma and rejections") {
  CHECK(parse_number("2.5", false) == 2.5);
  CHECK(parse_number("-1.5e3", false) == -1500.0);
  CHECK(parse_number("+7", false) == 7.0);
  CHECK(parse_number(".5", false) == 0.5);
  CHECK(parse_number("2,6", true) == 2.6);
  CHECK(parse_number("2.6", true) == 2.6);
  CHECK_FALSE(parse_number("2,6", false));
  CHECK_FALSE(parse_number("1.234,5", true));
  for (const char* bad :
       {"", "+", "-", ".", "e5", "inf", "nan", "NaN", "0x10", "1e999", "12abc", "1 2", "--1", "++1", "1.2.3"})
    CHECK_MESSAGE(!parse_number(bad, false), bad);
}

TEST_CASE("csv: header, numeric columns and line numbers") {
  Table t = parse_csv("a,b\n1,2\n3,4.5\n", {}, "mem.csv");
  CHECK(t.source() == "mem.csv");
  CHECK(t.rows() == 2);
  CHECK(t.names() == std::vector<std::string>{"a", "b"});
  CHECK(numbers(t, "a") == std::vector<double>{1, 3});
  CHECK(numbers(t, "b") == std::vector<double>{2, 4.5});
  CHECK(t.lines() == std::vector<int64_t>{2, 3});
  CHECK(t.where(1) == "mem.csv line 3");
  CHECK(t.timestamps().empty());
}

TEST_CASE("csv: delimiter detection for comma, semicolon and tab") {
  CHECK(detect_delimiter("a,b,c\n", "x") == ',');
  CHECK(detect_delimiter("a;b;c\n1,5;2;3\n", "x") == ';');
  CHECK(detect_delimiter("a\tb\n", "x") == '\t');
  CHECK(detect_delimiter("\"x,y\";b\n", "x") == ';');  // the comma is quoted
  CHECK(detect_delimiter("single\n1\n", "x") == ',');
  CHECK_THROWS_WITH_AS(detect_delimiter("a,b;c\n", "x"), Contains("cannot tell the delimiter"), ValueError);
  Table tab = parse_csv("x\ty\n1\t2\n");
  CHECK(numbers(tab, "y") == std::vector<double>{2});
  Table one = parse_csv("only\n5\n6\n");
  CHECK(numbers(one, "only") == std::vector<double>{5, 6});
  CsvOptions forced;
  forced.delimiter = '|';
  CHECK(numbers(parse_csv("p|q\n1|2\n", forced), "q") == std::vector<double>{2});
  forced.delimiter = ' ';
  CHECK(numbers(parse_csv("p q\n1 2\n", forced), "q") == std::vector<double>{2});
}

TEST_CASE("csv: decimal comma with the semicolon delimiter") {
  Table t = parse_csv("x;y\n2,6;1360\n-0,5;7\n");
  CHECK(numbers(t, "x") == std::vector<double>{2.6, -0.5});
  CHECK(numbers(t, "y") == std::vector<double>{1360, 7});
  CsvOptions point;
  point.decimal = DecimalSeparator::point;
  CHECK_THROWS_WITH_AS(parse_csv("x;y\n1;1\n2,6;1\n", point, "p.csv"),
                       Contains("p.csv line 3: column 'x' (column 1) has '2,6' (expected a number like"),
                       ValueError);
  CsvOptions comma;
  comma.decimal = DecimalSeparator::comma;
  comma.delimiter = '\t';
  CHECK(numbers(parse_csv("x\n3,25\n", comma), "x") == std::vector<double>{3.25});
}

TEST_CASE("csv: quoted fields with escapes, delimiters and line breaks inside") {
  Table t = parse_csv("\"a,1\",\"b\"\"q\",c\n\"1\",\"2.5\",3\n\"4\" , 5 ,6\n", {}, "q.csv");
  CHECK(t.names() == std::vector<std::string>{"a,1", "b\"q", "c"});
  CHECK(numbers(t, "a,1") == std::vector<double>{1, 4});
  CHECK(t.column("c").numbers == std::vector<double>{3, 6});
  CHECK(numbers(t, "b\"q") == std::vector<double>{2.5, 5});
  // "2,5" is quoted, so with ',' as delimiter it is one field, and not a number with a decimal point.
  CHECK_THROWS_WITH(parse_csv("a,b\n1,1\n\"2,5\",1\n", {}, "q.csv"),
                    Contains("q.csv line 3: column 'a' (column 1) has '2,5'"));

  CsvOptions text;
  text.text_columns = {"note"};
  Table multi = parse_csv("note,v\n\"two\nlines\",1\n\"x\",2\n", text, "m.csv");
  CHECK(multi.column("note").texts == std::vector<std::string>{"two\nlines", "x"});
  CHECK(multi.lines() == std::vector<int64_t>{2, 4});  // the quoted line break counts

  CHECK_THROWS_WITH_AS(parse_csv("a,b\n\"1,2\n", {}, "u.csv"),
                       Contains("u.csv line 2: field 1 opens a quote that is never closed"), ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n\"1\"x,2\n", {}, "u.csv"),
                       Contains("u.csv line 2: field 1 has text after its closing quote"), ValueError);
}

TEST_CASE("csv: CRLF, lone CR, UTF-8 BOM, blank lines and fully empty rows") {
  Table crlf = parse_csv("a,b\r\n1,2\r\n3,4\r\n");
  CHECK(numbers(crlf, "b") == std::vector<double>{2, 4});
  CHECK(crlf.names() == std::vector<std::string>{"a", "b"});
  Table cr = parse_csv("a,b\r1,2\r3,4");
  CHECK(numbers(cr, "a") == std::vector<double>{1, 3});
  Table bom = parse_csv("\xEF\xBB\xBFtime,v\n1,2\n");
  CHECK(bom.names() == std::vector<std::string>{"time", "v"});
  Table gaps = parse_csv("a;b\n\n1;2\n;\n  \n3;4\n;\n");
  CHECK(numbers(gaps, "a") == std::vector<double>{1, 3});
  CHECK(gaps.lines() == std::vector<int64_t>{3, 6});
  CHECK_THROWS_WITH_AS(parse_csv("\xFF\xFE"
                                 "a",
                                 {}, "w.csv"),
                       Contains("w.csv is UTF-16 encoded"), ValueError);
}

TEST_CASE("csv: unnamed empty trailing columns are dropped, unnamed columns with values are not") {
  Table t = parse_csv("a;b;;\n1;2;;\n3;4;;\n;;;\n");
  CHECK(t.names() == std::vector<std::string>{"a", "b"});
  CHECK(t.rows() == 2);
  CHECK_THROWS_WITH_AS(
      parse_csv("a,,c\n1,2,3\n", {}, "n.csv"),
      Contains("n.csv: column 2 has no name in the header (line 1) but holds values, e.g. on line 2"),
      ValueError);
  // Found by fuzz_csv: an unnamed column holding only missing markers read past the last row.
  CHECK_THROWS_WITH_AS(parse_csv(",11.284\nNA,10.4\n", {}, "m.csv"),
                       Contains("m.csv: column 1 has no name in the header (line 1) but holds values, e.g. on line 2"),
                       ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("x,,y\n1,,2\n3,NA,4\n", {}, "m.csv"),
                       Contains("column 2 has no name in the header (line 1) but holds values, e.g. on line 3"),
                       ValueError);
}

TEST_CASE("csv: missing-value markers and numeric sentinels become NaN") {
  CsvOptions options;
  options.missing_values = {-200};
  options.missing_markers = {"?"};
  Table t = parse_csv("a;b\n-200;1\nNA;-200,0\nNaN;?\n;N/A\n5;nan\n-199;3\n", options);
  const std::vector<double> a = numbers(t, "a"), b = numbers(t, "b");
  REQUIRE(a.size() == 6);
  for (int i = 0; i < 4; ++i) CHECK(std::isnan(a[i]));
  CHECK(a[4] == 5);
  CHECK(a[5] == -199);
  CHECK(b[0] == 1);
  for (int i = 1; i < 5; ++i) CHECK(std::isnan(b[i]));
  CHECK(b[5] == 3);
  // A column with nothing but missing values is numeric and all NaN.
  Table empty_col = parse_csv("a,b\n1,\n2,NA\n");
  CHECK(std::isnan(numbers(empty_col, "b")[0]));
  CHECK(std::isnan(numbers(empty_col, "b")[1]));
}

TEST_CASE("csv: text columns are rejected by name unless ignored or kept as text") {
  const std::string text = "date,close,Name\n2013-02-08,67.85,AAPL\n2013-02-11,68.56,AAPL\n";
  CHECK_THROWS_WITH_AS(parse_csv(text, {}, "aapl.csv"),
                       Contains("aapl.csv: column 'Name' (column 3) holds text, e.g. 'AAPL' on line 2"),
                       ValueError);
  CHECK_THROWS_WITH(parse_csv(text, {}, "aapl.csv"), Contains("--ignore"));
  CsvOptions ignore;
  ignore.ignore = {"Name"};
  Table t = parse_csv(text, ignore);
  CHECK(t.names() == std::vector<std::string>{"close"});
  CsvOptions keep;
  keep.text_columns = {"Name"};
  Table k = parse_csv(text, keep);
  CHECK(k.column("Name").kind == ColumnKind::text);
  CHECK(k.column("Name").texts == std::vector<std::string>{"AAPL", "AAPL"});
  CHECK(k.describe_columns() == "close, Name (text)");
  CsvOptions typo;
  typo.ignore = {"name"};
  CHECK_THROWS_WITH_AS(parse_csv(text, typo, "aapl.csv"),
                       Contains("no column 'name' to ignore; the header has: date, close, Name"), ValueError);
}

TEST_CASE("csv: a bad cell in a numeric column names the file, line, column and expectation") {
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,2\n3,x7\n", {}, "bad.csv"),
                       Contains("bad.csv line 3: column 'b' (column 2) has 'x7' (expected a number like the "
                                "rest of the column, or a missing marker"),
                       ValueError);
}

TEST_CASE("csv: ragged rows, duplicate names, empty input and header only are errors") {
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,2\n3\n", {}, "r.csv"),
                       Contains("r.csv line 3: 1 fields, expected 2 as in the header (line 1)"), ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,2,3\n", {}, "r.csv"), Contains("r.csv line 2: 3 fields, expected 2"),
                       ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b,a\n1,2,3\n", {}, "d.csv"),
                       Contains("d.csv line 1: duplicate column name 'a' (columns 1 and 3)"), ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("", {}, "e.csv"), Contains("e.csv is empty (expected a header row"),
                       ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("\xEF\xBB\xBF\r\n\n", {}, "e.csv"), Contains("e.csv is empty"), ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n", {}, "h.csv"),
                       Contains("h.csv has a header (line 1) but no data rows"), ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("a;b\n;\n;\n", {}, "h.csv"), Contains("no data rows"), ValueError);
}

TEST_CASE("csv: read_csv reads a file and names a missing one") {
  const auto path = std::filesystem::temp_directory_path() / "synapse_test_read_csv.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "\xEF\xBB\xBFx;y\r\n1,5;2\r\n";
  }
  Table t = read_csv(path.string());
  CHECK(t.source() == path.string());
  CHECK(numbers(t, "x") == std::vector<double>{1.5});
  std::filesystem::remove(path);
  CHECK_THROWS_WITH_AS(read_csv(path.string()),
                       Contains(("read_csv: cannot read '" + path.string() + "': no such file").c_str()),
                       ValueError);
  CHECK_THROWS_WITH_AS(read_csv(std::filesystem::temp_directory_path().string()),
                       Contains("not a regular file"), ValueError);
}

TEST_CASE("csv: garbage input gives a syn::Error or a table, never a crash") {
  Generator gen(7);
  const char alphabet[] = {',', ';', '\t', '"', '\n', '\r', '1',    '2',    '.',    '-', 'e', 'a',
                           ' ', '/', ':',  'N', 'A',  '\0', '\xEF', '\xBB', '\xBF', 'T', 'Z', '0'};
  // Random bytes, and random edits of a valid file so that the number, date and time paths are reached.
  const std::string valid =
      "Date;Time;CO(GT);T;;\r\n10/03/2004;18.00.00;2,6;13,6;;\r\n10/03/"
      "2004;19.00.00;-200;13,3;;\r\n;;;;;\r\n";
  CsvOptions options;
  options.missing_values = {-200};
  int parsed = 0, rejected = 0;
  for (int trial = 0; trial < 6000; ++trial) {
    std::string text = trial % 2 ? valid : std::string();
    const uint64_t edits = trial % 2 ? 1 + gen.below(4) : gen.below(60);
    for (uint64_t i = 0; i < edits; ++i) {
      const char c = alphabet[gen.below(sizeof alphabet)];
      const size_t at = static_cast<size_t>(gen.below(text.size() + 1));
      if (trial % 2 && gen.bernoulli(0.3f) && at < text.size())
        text.erase(at, 1);
      else
        text.insert(at, 1, c);
    }
    options.dates = trial % 3 ? DateHandling::calendar_cyclic : DateHandling::drop;
    try {
      Table t = parse_csv(text, options, "fuzz");
      CHECK(t.rows() >= 1);
      ++parsed;
    } catch (const syn::Error&) {
      ++rejected;
    }
  }
  CHECK(parsed + rejected == 6000);
  CHECK(parsed > 100);
  CHECK(rejected > 100);
}
