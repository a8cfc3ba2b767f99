#pragma once
// Note [Kernel dispatch]
// Each kernel family is written once as a template on the xsimd architecture tag and compiled once
// per instruction set in its own translation unit (*_sse2.cpp, *_avx2.cpp, *_avx512.cpp), with only
// that ISA's compiler flags (cmake/SynapseTargets.cmake). Everything those units compile is a
// template on the arch tag (elementwise_impl.hpp, simd_math.hpp, xsimd_compat.hpp), so each ISA's
// instantiations are distinct symbols, and they call no non-template inline function (no std::exp
// and the like, only builtins): the linker can never pick a copy built with wide instructions for
// baseline code. A baseline-compiled selector chooses one table at first use: the widest
// ISA the CPU supports, or the one named by the environment variable SYN_ISA
// (scalar|sse2|avx2|avx512). Naming an ISA the CPU lacks is an error, never a crash.
#include "synapse/core/cpu_features.hpp"
#include "synapse/ops/kernels/kernel_table.hpp"

namespace syn::kernels {

// The table every op uses (chosen once, thread-safe): select_table(getenv("SYN_ISA")).
const KernelTable& active();
// The table a SYN_ISA value selects: the named ISA's, or the widest supported one when the value is
// null or empty. Throws ValueError for an unknown name or an ISA this CPU cannot run.
const KernelTable& select_table(const char* syn_isa);
// The table for one ISA, or nullptr if it is not compiled in or this CPU cannot run it.
const KernelTable* table_for(Isa isa);
// The ISA of active().
Isa active_isa();

}  // namespace syn::kernels
