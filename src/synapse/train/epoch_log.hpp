#pragma once
// The per-epoch JSON line of the training log (JSON Lines, one object per line):
//   {"epoch":3,"train_loss":0.0123,"val_loss":0.0150,"seconds":1.25,"lr":0.001,"improved":true}
// Non-finite numbers are written as null (JSON has no NaN).
#include <iosfwd>

#include "synapse/train/trainer_callback.hpp"

namespace syn::train {

void write_epoch_line(std::ostream& out, const EpochInfo& info);

}  // namespace syn::train
