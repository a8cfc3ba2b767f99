#include "synapse/train/trainer.hpp"

#include <algorithm>

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <span>

#include "synapse/core/error.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/clip.hpp"
#include "synapse/nn/sgd.hpp"
#include "synapse/ops/loss.hpp"
#include "synapse/train/batches.hpp"
#include "synapse/train/epoch_log.hpp"
#include "synapse/train/prediction.hpp"
#include "synapse/train/progress_bar.hpp"

namespace syn::train {
namespace {

constexpr uint64_t kShuffleStream = 0x5348;  // Generator(seed, kShuffleStream) orders the epochs
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::unique_ptr<nn::Optimizer> make_optimizer(const TrainerOptions& o, std::vector<Tensor> params) {
  switch (o.optimizer) {
    case OptimizerKind::sgd:
      return std::make_unique<nn::Sgd>(std::move(params), o.lr,
                                       nn::SgdOptions{o.momentum, 0.0, o.weight_decay});
    case OptimizerKind::adamw: {
      nn::AdamWOptions options;
      options.weight_decay = o.weight_decay;
      return std::make_unique<nn::AdamW>(std::move(params), o.lr, options);
    }
    case OptimizerKind::adam:
      break;
  }
  nn::AdamOptions options;
  options.weight_decay = o.weight_decay;
  return std::make_unique<nn::Adam>(std::move(params), o.lr, options);
}

// pred, target: (N, H) -> ()
Tensor loss_of(LossKind kind, const Tensor& pred, const Tensor& target) {
  return kind == LossKind::mae ? mae_loss(pred, target) : mse_loss(pred, target);
}

// Independent copies of every parameter and buffer, with their masks.
nn::StateDict snapshot(const nn::Module& model) {
  nn::StateDict out = model.state_dict();
  for (auto& [_, t] : out) t = t.clone();
  return out;
}

void check_windows(const nn::ModelConfig& c, const forecast::Windows& w, const char* which) {
  SYN_CHECK_T(ShapeError,
              w.inputs.rank() == 3 && w.targets.rank() == 2 && w.inputs.size(0) == w.targets.size(0) &&
                  w.lookback() == c.lookback && w.inputs.size(2) == c.input_size && w.horizon() == c.horizon,
              "Trainer: ", which, " windows have inputs ", w.inputs.shape(), " and targets ",
              w.targets.shape(), "; the model expects (N, ", c.lookback, ", ", c.input_size, ") and (N, ",
              c.horizon, ")");
  SYN_CHECK_T(ValueError, w.count() > 0, "Trainer: no ", which, " windows");
}

bool should_stop(const EarlyStopping& es, const std::vector<EpochInfo>& history, int64_t best_epoch) {
  const int64_t epoch = static_cast<int64_t>(history.size());
  if (es.rule == StopRule::no_improvement) return epoch - best_epoch >= es.patience;
  if (epoch < es.patience + 1) return false;
  for (int64_t i = 0; i < es.patience; ++i) {
    const size_t last = static_cast<size_t>(epoch - 1 - i);
    if (history[last].val_loss < history[last - 1].val_loss) return false;
  }
  return true;
}

}  // namespace

std::string_view stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::early_stopping:
      return "early_stopping";
    case StopReason::nan:
      return "nan";
    case StopReason::completed:
      break;
  }
  return "completed";
}

Trainer::Trainer(nn::Forecaster& model, TrainerOptions options)
    : model_(model), options_(std::move(options)) {
  options_.validate();
}

TrainResult Trainer::fit(const forecast::Windows& train, const forecast::Windows* val) {
  const nn::ModelConfig& config = model_.config();
  check_windows(config, train, "training");
  if (val) check_windows(config, *val, "validation");
  const auto start = Clock::now();
  const TrainerOptions& o = options_;
  const EarlyStopping& es = o.early_stopping;
  const int64_t n = train.count();
  const int64_t batches = (n + o.batch_size - 1) / o.batch_size;

  auto optimizer = make_optimizer(o, model_.parameters());
  Generator shuffle_gen(o.seed, kShuffleStream);
  const bool terminal = o.progress == ProgressMode::always || ProgressBar::stderr_is_terminal();
  ProgressBar progress(o.progress == ProgressMode::never ? ProgressBar::Style::off
                       : terminal                        ? ProgressBar::Style::bar
                                                         : ProgressBar::Style::lines,
                       o.epochs, batches);

  TrainResult result;
  result.best_val_loss = val ? std::numeric_limits<double>::infinity() : kNaN;
  nn::StateDict kept = snapshot(model_);
  auto stop = [&](StopReason reason, std::string message) {
    result.stop_reason = reason;
    result.message = std::move(message);
  };

  model_.train();
  int64_t step = 0;
  for (int64_t epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto epoch_start = Clock::now();
    const std::vector<int64_t> order = epoch_order(n, o.shuffle, shuffle_gen);
    double loss_sum = 0;
    for (int64_t b = 0; b < batches; ++b) {
      const int64_t begin = b * o.batch_size, size = std::min(o.batch_size, n - begin);
      const Batch batch = gather_batch(
          train, std::span(order).subspan(static_cast<size_t>(begin), static_cast<size_t>(size)));
      optimizer->zero_grad();
      const Tensor loss = loss_of(o.loss, model_.forward(batch.inputs), batch.targets);
      const double value = loss.item();
      if (!std::isfinite(value)) {
        Tape::current().clear();  // the abandoned batch's graph (no backward will consume it)
        stop(StopReason::nan, detail::concat("training loss became ", value, " at epoch ", epoch, ", batch ",
                                             b + 1, "; keeping the weights of epoch ", result.kept_epoch));
        break;
      }
      loss.backward();
      if (o.clip_norm > 0) nn::clip_grad_norm_(optimizer->params(), o.clip_norm);
      optimizer->step();
      loss_sum += value * static_cast<double>(size);
      ++step;
      const StepInfo info{epoch, b + 1, batches, step, value, optimizer->lr()};
      for (TrainerCallback* cb : o.callbacks) cb->on_step(info, model_);
      progress.step(epoch, b + 1, loss_sum / static_cast<double>(begin + size));
    }
    if (result.stop_reason == StopReason::nan) break;

    EpochInfo info{epoch, loss_sum / static_cast<double>(n), kNaN, 0, optimizer->lr(), true};
    if (val) {
      model_.eval();
      info.val_loss = loss_of(o.loss, forward_all(model_, val->inputs), val->targets).item();
      model_.train();
      if (!std::isfinite(info.val_loss)) {
        stop(StopReason::nan, detail::concat("validation loss became ", info.val_loss, " at epoch ", epoch,
                                             "; keeping the weights of epoch ", result.kept_epoch));
        break;
      }
    }
    const bool settled = std::all_of(o.callbacks.begin(), o.callbacks.end(),
                                     [](const TrainerCallback* cb) { return cb->settled(); });
    if (val) info.improved = settled && info.val_loss < result.best_val_loss;
    info.seconds = seconds_since(epoch_start);
    result.history.push_back(info);
    if (info.improved) {
      result.best_epoch = epoch;
      if (val) result.best_val_loss = info.val_loss;
    }
    if (info.improved || !es.restore_best || !settled) {
      kept = snapshot(model_);
      result.kept_epoch = epoch;
    }
    for (TrainerCallback* cb : o.callbacks) cb->on_epoch_end(info, model_);
    progress.epoch_done(info);
    if (o.log) write_epoch_line(*o.log, info);
    if (val && es.enabled && (settled || es.rule == StopRule::consecutive_rises) &&
        should_stop(es, result.history, result.best_epoch)) {
      stop(StopReason::early_stopping,
           detail::concat("early stopping after epoch ", epoch, " (patience ", es.patience, ")"));
      break;
    }
  }
  if (result.stop_reason == StopReason::completed)
    result.message = detail::concat("completed ", result.history.size(), " epochs");
  model_.load_state_dict(kept);
  model_.zero_grad();
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace syn::train
