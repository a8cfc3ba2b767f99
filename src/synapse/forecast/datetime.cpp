#include "synapse/forecast/datetime.hpp"

#include <cstdio>

namespace syn::forecast {
namespace {

// Reads exactly `width` digits at `pos` (width 0: one or two digits) and advances past them.
bool read_int(std::string_view s, size_t& pos, int width, int& out) {
  const size_t max_width = width == 0 ? 2 : static_cast<size_t>(width);
  size_t n = 0;
  int value = 0;
  while (n < max_width && pos + n < s.size() && s[pos + n] >= '0' && s[pos + n] <= '9') {
    value = value * 10 + (s[pos + n] - '0');
    ++n;
  }
  if (n == 0 || (width != 0 && n != max_width)) return false;
  pos += n;
  out = value;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool valid_date(int year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

// Reads a time h:mm[:ss[.fff]] with separator `sep` (':' or '.') starting at `pos`.
bool read_time(std::string_view s, size_t& pos, char sep, bool seconds_required, TimeOfDay& out) {
  int hour = 0, minute = 0, whole_seconds = 0;
  if (!read_int(s, pos, 0, hour) || !expect(s, pos, sep) || !read_int(s, pos, 2, minute)) return false;
  double fraction = 0.0;
  if (pos < s.size() && s[pos] == sep) {
    ++pos;
    if (!read_int(s, pos, 2, whole_seconds)) return false;
    if (pos < s.size() && s[pos] == '.' && sep == ':') {
      ++pos;
      double scale = 0.1;
      const size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        fraction += scale * (s[pos] - '0');
        scale /= 10;
        ++pos;
      }
      if (pos == start) return false;
    }
  } else if (seconds_required) {
    return false;
  }
  if (hour > 23 || minute > 59 || whole_seconds > 60) return false;
  out = TimeOfDay{hour, minute, whole_seconds + fraction};
  return true;
}

}  // namespace

std::optional<DateTime> parse_date(std::string_view s) {
  DateTime d;
  size_t pos = 0;
  if (s.size() >= 10 && s[4] == '-') {  // ISO yyyy-mm-dd
    if (!read_int(s, pos, 4, d.year) || !expect(s, pos, '-') || !read_int(s, pos, 2, d.month) ||
        !expect(s, pos, '-') || !read_int(s, pos, 2, d.day))
      return std::nullopt;
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
      ++pos;
      TimeOfDay t;
      if (!read_time(s, pos, ':', false, t)) return std::nullopt;
      d.hour = t.hour;
      d.minute = t.minute;
      d.second = t.second;
      d.has_time = true;
      if (pos < s.size() && s[pos] == 'Z') ++pos;
    }
  } else {  // dd/mm/yyyy
    if (!read_int(s, pos, 2, d.day) || !expect(s, pos, '/') || !read_int(s, pos, 2, d.month) ||
        !expect(s, pos, '/') || !read_int(s, pos, 4, d.year))
      return std::nullopt;
  }
  if (pos != s.size() || !valid_date(d.year, d.month, d.day)) return std::nullopt;
  return d;
}

std::optional<TimeOfDay> parse_time_of_day(std::string_view s) {
  TimeOfDay t;
  size_t pos = 0;
  // hh.mm.ss needs its seconds: "18.00" is a number, not a time.
  const char sep = s.find(':') != std::string_view::npos ? ':' : '.';
  if (!read_time(s, pos, sep, sep == '.', t) || pos != s.size()) return std::nullopt;
  return t;
}

// Days from civil and back: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms".
int64_t DateTime::days_since_epoch() const {
  const int64_t y = year - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

DateTime DateTime::from_days(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  DateTime d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
  return d;
}

int DateTime::day_of_week() const {
  const int64_t days = days_since_epoch();  // 1970-01-01 was a Thursday (3)
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

double DateTime::hour_of_day() const { return hour + minute / 60.0 + second / 3600.0; }

std::string DateTime::iso() const {
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute,
                static_cast<int>(second));
  return buffer;
}

}  // namespace syn::forecast
