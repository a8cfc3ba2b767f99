#include "synapse/train/progress_bar.hpp"

#include <unistd.h>

#include <cmath>
#include <string>

namespace syn::train {
namespace {
constexpr int kBarWidth = 24;
constexpr double kRedrawSeconds = 0.1;

std::string clock_text(double seconds) {
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}
}  // namespace

ProgressBar::ProgressBar(Style style, int64_t epochs, int64_t batches_per_epoch, std::FILE* stream)
    : style_(style),
      epochs_(epochs),
      batches_(batches_per_epoch),
      out_(stream),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  if (line_open_) clear_line();
}

bool ProgressBar::stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

void ProgressBar::clear_line() {
  std::fprintf(out_, "\r\033[K");
  std::fflush(out_);
  line_open_ = false;
}

void ProgressBar::step(int64_t epoch, int64_t batch, double running_loss) {
  if (style_ != Style::bar) return;
  const auto now = std::chrono::steady_clock::now();
  if (batch != batches_ && std::chrono::duration<double>(now - last_draw_).count() < kRedrawSeconds) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const int64_t done = (epoch - 1) * batches_ + batch, total = epochs_ * batches_;
  const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : 0;
  const int filled = static_cast<int>(kBarWidth * batch / std::max<int64_t>(batches_, 1));
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kBarWidth, '.');
  std::fprintf(out_, "\r\033[Kepoch %lld/%lld [%s] %lld/%lld  loss %.5g  ETA %s",
               static_cast<long long>(epoch), static_cast<long long>(epochs_), bar.c_str(),
               static_cast<long long>(batch), static_cast<long long>(batches_), running_loss,
               clock_text(eta).c_str());
  std::fflush(out_);
  line_open_ = true;
}

void ProgressBar::epoch_done(const EpochInfo& info) {
  if (style_ == Style::off) return;
  if (line_open_) clear_line();
  std::fprintf(out_, "epoch %lld/%lld  train %.5g  val %.5g  %.2fs%s\n", static_cast<long long>(info.epoch),
               static_cast<long long>(epochs_), info.train_loss, info.val_loss, info.seconds,
               info.improved ? "  *" : "");
  std::fflush(out_);
}

}  // namespace syn::train
