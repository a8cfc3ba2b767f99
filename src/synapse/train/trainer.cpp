#include "synapse/train/trainer.hpp"

#include <algorithm>

#include <chrono>
#include <cstring>
#include <cmath>
#include <limits>
#include <memory>
#include <span>
#include <sstream>

#include "synapse/core/error.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/clip.hpp"
#include "synapse/nn/sgd.hpp"
#include "synapse/ops/loss.hpp"
#include "synapse/train/batches.hpp"
#include "synapse/train/crc32.hpp"
#include "synapse/train/epoch_log.hpp"
#include "synapse/train/prediction.hpp"
#include "synapse/train/progress_bar.hpp"
#include "synapse/train/train_state.hpp"

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

// "a gradient of 'rnn.weight_hh_l0' holds nan" for the first parameter whose gradient is not finite;
// empty when all are.
// Runs after every step: the common all-finite case is one branch-free pass (an exponent of all ones
// is inf or nan) that the compiler vectorises, and the names are looked up only for a finding.
std::string nonfinite_gradient(const nn::Module& model, const std::vector<Tensor>& params) {
  const auto finite = [](const Tensor& g) {
    const float* d = g.data();
    const int64_t n = g.numel();
    uint32_t bad = 0;
    for (int64_t i = 0; i < n; ++i) {
      uint32_t bits;
      std::memcpy(&bits, d + i, sizeof bits);
      bad |= static_cast<uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
    }
    return bad == 0;
  };
  if (std::all_of(params.begin(), params.end(), [&](const Tensor& p) { return !p.grad().defined() || finite(p.grad()); }))
    return {};
  for (const auto& [name, p] : model.named_parameters()) {
    const Tensor& g = p.grad();
    if (!g.defined()) continue;
    const float* d = g.data();
    for (int64_t i = 0, n = g.numel(); i < n; ++i)
      if (!std::isfinite(d[i])) return detail::concat("a gradient of '", name, "' holds ", d[i]);
  }
  return {};
}

// The model's random streams from a training state, by name: the same names as the model's, in order.
void restore_random_streams(nn::Module& model, const std::vector<std::pair<std::string, Generator::State>>& saved) {
  const auto streams = model.named_random_streams();
  auto names = [](const auto& list) {
    std::string out;
    for (const auto& [name, _] : list) out += (out.empty() ? "" : ", ") + name;
    return out.empty() ? std::string("none") : out;
  };
  bool same = streams.size() == saved.size();
  for (size_t i = 0; same && i < streams.size(); ++i) same = streams[i].first == saved[i].first;
  SYN_CHECK_T(ValueError, same, "resume: the state's random streams (", names(saved), ") are not the model's (",
              names(streams), ")");
  for (size_t i = 0; i < streams.size(); ++i) streams[i].second->set_state(saved[i].second);
}

uint32_t crc_of(const Tensor& t) {
  return crc32(std::span(reinterpret_cast<const char*>(t.data()), static_cast<size_t>(t.numel()) * sizeof(float)));
}

// The first line where two fingerprints differ, as "key: A (state) vs B (this run)".
std::string first_difference(const std::string& saved, const std::string& now) {
  std::istringstream a(saved), b(now);
  std::string x, y;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, x)), more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a && !more_b) break;
    if (!more_a) x = "(nothing)";
    if (!more_b) y = "(nothing)";
    if (x != y) return detail::concat("'", x, "' in the state, '", y, "' in this run");
  }
  return "none";
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
    case StopReason::interrupted:
      return "interrupted";
    case StopReason::completed:
      break;
  }
  return "completed";
}

Trainer::Trainer(nn::Forecaster& model, TrainerOptions options)
    : model_(model), options_(std::move(options)) {
  options_.validate();
}

std::string Trainer::fingerprint(const forecast::Windows& train, const forecast::Windows* val) const {
  const TrainerOptions& o = options_;
  const EarlyStopping& es = o.early_stopping;
  std::ostringstream out;
  out.precision(17);
  out << "epochs=" << o.epochs << "\nbatch_size=" << o.batch_size << "\nlr=" << o.lr
      << "\noptimizer=" << optimizer_name(o.optimizer) << "\nweight_decay=" << o.weight_decay
      << "\nmomentum=" << o.momentum << "\nloss=" << loss_name(o.loss) << "\nclip_norm=" << o.clip_norm
      << "\nshuffle=" << o.shuffle << "\nseed=" << o.seed << "\nearly_stopping=" << es.enabled << ','
      << static_cast<int>(es.rule) << ',' << es.patience << ',' << es.restore_best
      << "\nskip_nonfinite=" << o.skip_nonfinite << "\ncallbacks=" << o.callbacks.size() << '\n';
  for (const auto& [key, value] : model_.config().to_map()) out << "config." << key << '=' << value << '\n';
  out << "training windows=" << train.count() << ',' << crc_of(train.inputs) << ',' << crc_of(train.targets) << '\n';
  if (val) out << "validation windows=" << val->count() << ',' << crc_of(val->inputs) << ',' << crc_of(val->targets) << '\n';
  return out.str();
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
  const std::string run_fingerprint = o.resume || o.checkpoint_every > 0 ? fingerprint(train, val) : "";

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
  bool stopped = false;
  auto stop = [&](StopReason reason, std::string message) {
    result.stop_reason = reason;
    result.message = std::move(message);
    stopped = true;
  };

  int64_t step = 0, first_epoch = 1;
  if (o.resume) {  // Note [Resumable training]
    const TrainState& s = *o.resume;
    SYN_CHECK_T(ValueError, s.fingerprint == run_fingerprint,
                "resume: the training state belongs to another run (settings, model or data differ; first "
                "difference: ",
                first_difference(s.fingerprint, run_fingerprint), ")");
    SYN_CHECK_T(ValueError, s.callbacks.size() == o.callbacks.size(), "resume: the state has ",
                s.callbacks.size(), " callback states for ", o.callbacks.size(), " callbacks");
    SYN_CHECK_T(ValueError, s.epoch < o.epochs, "resume: the state is after epoch ", s.epoch,
                ", the run has ", o.epochs, " epochs");
    model_.load_state_dict(s.weights);
    kept = s.kept;
    optimizer->import_state(s.optimizer);
    optimizer->set_lr(s.lr);
    for (int64_t e = 0; e < s.epoch; ++e) epoch_order(n, o.shuffle, shuffle_gen);
    for (size_t i = 0; i < s.callbacks.size(); ++i) o.callbacks[i]->restore_state(s.callbacks[i]);
    restore_random_streams(model_, s.random_streams);
    result.history = s.history;
    result.best_epoch = s.best_epoch;
    result.best_val_loss = s.best_val_loss;
    result.kept_epoch = s.kept_epoch;
    result.skipped_batches = s.skipped_batches;
    result.resumed_after = s.epoch;
    step = s.step;
    first_epoch = s.epoch + 1;
  }
  auto save_state = [&](int64_t epoch) {
    TrainState s;
    s.fingerprint = run_fingerprint;
    s.epoch = epoch;
    s.step = step;
    s.lr = optimizer->lr();
    s.history = result.history;
    s.best_epoch = result.best_epoch;
    s.best_val_loss = result.best_val_loss;
    s.kept_epoch = result.kept_epoch;
    s.skipped_batches = result.skipped_batches;
    for (const TrainerCallback* cb : o.callbacks) s.callbacks.push_back(cb->save_state());
    for (const auto& [name, gen] : model_.named_random_streams()) s.random_streams.emplace_back(name, gen->state());
    s.weights = model_.state_dict();
    s.kept = kept;
    s.optimizer = optimizer->export_state();
    save_train_state(o.checkpoint_path, s);
  };
  auto interrupted = [&](int64_t epoch, int64_t batch) {
    if (!o.interrupt || *o.interrupt == 0) return false;
    stop(StopReason::interrupted, detail::concat("interrupted after batch ", batch, " of ", batches, " of epoch ",
                                                 epoch, "; keeping the weights of epoch ", result.kept_epoch));
    return true;
  };

  model_.train();
  for (int64_t epoch = first_epoch; epoch <= o.epochs && !stopped; ++epoch) {
    const auto epoch_start = Clock::now();
    const std::vector<int64_t> order = epoch_order(n, o.shuffle, shuffle_gen);
    double loss_sum = 0;
    int64_t counted = 0;
    for (int64_t b = 0; b < batches && !stopped; ++b) {
      const int64_t begin = b * o.batch_size, size = std::min(o.batch_size, n - begin);
      const Batch batch = gather_batch(
          train, std::span(order).subspan(static_cast<size_t>(begin), static_cast<size_t>(size)));
      optimizer->zero_grad();
      const Tensor loss = loss_of(o.loss, model_.forward(batch.inputs), batch.targets);
      const double value = loss.item();
      std::string fault;  // Note [Non-finite batches]
      if (!std::isfinite(value)) {
        Tape::current().clear();  // the abandoned batch's graph (no backward will consume it)
        fault = detail::concat("the training loss became ", value);
      } else {
        loss.backward();
        if (o.clip_norm > 0) nn::clip_grad_norm_(optimizer->params(), o.clip_norm);
        fault = nonfinite_gradient(model_, optimizer->params());
      }
      if (!fault.empty() && !o.skip_nonfinite) {
        stop(StopReason::nan, detail::concat(fault, " at epoch ", epoch, ", batch ", b + 1,
                                             "; keeping the weights of epoch ", result.kept_epoch));
        break;
      }
      if (!fault.empty()) {
        optimizer->zero_grad();
        ++result.skipped_batches;
      } else {
        optimizer->step();
        loss_sum += value * static_cast<double>(size);
        counted += size;
        ++step;
        const StepInfo info{epoch, b + 1, batches, step, value, optimizer->lr()};
        for (TrainerCallback* cb : o.callbacks) cb->on_step(info, model_);
        progress.step(epoch, b + 1, loss_sum / static_cast<double>(counted));
      }
      interrupted(epoch, b + 1);
    }
    if (stopped) break;

    EpochInfo info{epoch, counted ? loss_sum / static_cast<double>(counted) : kNaN, kNaN, 0, optimizer->lr(), true};
    if (val) {
      model_.eval();
      info.val_loss = loss_of(o.loss, forward_all(model_, val->inputs), val->targets).item();
      model_.train();
      if (!std::isfinite(info.val_loss)) {
        stop(StopReason::nan, detail::concat("the validation loss became ", info.val_loss, " at epoch ", epoch,
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
        should_stop(es, result.history, result.best_epoch))
      stop(StopReason::early_stopping,
           detail::concat("early stopping after epoch ", epoch, " (patience ", es.patience, ")"));
    else if (o.checkpoint_every > 0 && epoch % o.checkpoint_every == 0 && epoch < o.epochs)
      save_state(epoch);
  }
  if (result.stop_reason == StopReason::completed)
    result.message = detail::concat("completed ", result.history.size(), " epochs");
  if (result.skipped_batches > 0)
    result.message += detail::concat("; ", result.skipped_batches, " non-finite batches skipped");
  model_.load_state_dict(kept);
  model_.zero_grad();
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace syn::train
