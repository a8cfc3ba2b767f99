#pragma once
// Note [Kernel dispatch]
// A kernel family (elementwise, gemm, attention, recurrent) is a struct of plain function pointers
// over raw floats, `<Family>Kernels`, with one table per instruction set. Its kernels are written
// once as templates on the arch tag (xsimd's, or simd::ScalarArch: xsimd_compat.hpp, the one SIMD
// vocabulary) and compiled once per ISA in its own translation unit, `<family>_<isa>.cpp`, with only
// that ISA's flags: cmake/SynapseTargets.cmake gives them by file name. Everything those units
// compile is a template on the arch tag or has internal linkage, and calls no non-template inline
// function (no std::exp and the like, only builtins), so each ISA's code has distinct symbols and
// the linker can never hand wide instructions to baseline code.
//
// Which table runs (baseline code, this header): kernel_isa() reads SYN_ISA once
// (scalar|sse2|avx2|avx512) and is that ISA, or the widest the CPU supports when SYN_ISA is unset
// or empty. Naming an ISA the CPU cannot run, or an unknown one, is a ValueError naming the missing
// features, never a crash. Every family uses kernel_isa(), so all run the same ISA.
// A family's KernelRegistry maps each ISA to its table; `<family>_kernels_for(isa)` is the table of
// the widest ISA <= isa that the family has one for (its `isa` field says which), or nullptr when
// this CPU cannot run `isa` or the family has none at or below it (gemm has no scalar table: its
// driver runs a plain loop nest then). `<family>_kernels()` is `<family>_kernels_for(kernel_isa())`.
//
// CPU features: a CPU runs an ISA when it has every feature that ISA's files are compiled for.
//   ISA     -m flags (cmake/SynapseTargets.cmake)              isa_features() (core/cpu_features.cpp)
//   sse2    (none: part of x86-64)                             sse2
//   avx2    -mavx2 -mfma -mbmi2                                sse2 avx2 fma bmi2
//   avx512  -mavx512f -mavx512bw -mavx512dq -mavx512vl         sse2 avx2 fma bmi2 avx512f avx512bw
//           -mavx512cd -mavx2 -mfma -mbmi2                     avx512dq avx512vl avx512cd
// A flag added to one list must be added to the other.
//
// Adding a kernel family `foo`:
// 1. foo_kernels.hpp: the table struct FooKernels { Isa isa; ... function pointers ... } with a shape
//    comment on every entry (`// x: (N, K)  y: (N)`), the contract its kernels keep, and
//    `const FooKernels* foo_kernels_for(Isa isa);  const FooKernels& foo_kernels();`.
// 2. foo_impl.hpp: the kernels as templates on the arch tag, over xsimd_compat.hpp's vocabulary,
//    and `template <class A> FooKernels make_foo_kernels(Isa isa)`.
// 3. foo_scalar.cpp: the plain-loop reference in namespace scalar (the test oracle; or instantiate
//    foo_impl.hpp on simd::ScalarArch).
// 4. foo_sse2.cpp, foo_avx2.cpp, foo_avx512.cpp: each defines `const FooKernels& foo_kernels()` in
//    namespace syn::kernels::<isa> from make_foo_kernels<arch>(Isa::<isa>). An ISA may be left out:
//    the next narrower table stands in.
// 5. foo_kernels.cpp (baseline): declares those functions and registers them in one line,
//    `constexpr KernelRegistry<FooKernels> kFoo{scalar::foo_kernels, sse2::foo_kernels, ...};`,
//    with foo_kernels_for / foo_kernels as one-liners over it (see attention_kernels.cpp).
// 6. tests/kernels/test_foo_kernels.cpp: every table of supported_isas() against the scalar one.
// 7. bench/bench_foo.cpp: each ISA's table on representative shapes.
#include "synapse/core/cpu_features.hpp"

namespace syn::kernels {

// The instruction set SYN_ISA names, or else the widest this CPU supports; read once.
Isa kernel_isa();
// The rule of kernel_isa() for one value of SYN_ISA (null or empty: the widest supported). Throws
// ValueError for an unknown name or an ISA this CPU cannot run, naming the missing features.
Isa select_isa(const char* syn_isa);

// One family's tables, indexed by Isa: each entry returns the table compiled for that ISA, or is
// nullptr where the family has none. Entries run code built for their ISA, so they are called only
// once cpu_supports() said yes.
template <class Kernels>
struct KernelRegistry {
  using Entry = const Kernels& (*)();
  Entry entries[kIsaCount];

  // The table of the widest ISA <= isa that has one; nullptr if none does or this CPU cannot run isa.
  const Kernels* kernels_for(Isa isa) const {
    if (!cpu_supports(isa)) return nullptr;
    for (int i = static_cast<int>(isa); i >= 0; --i)
      if (entries[i] != nullptr) return &entries[i]();
    return nullptr;
  }
};

}  // namespace syn::kernels
