# Shared compile settings for every synapse target.
# Warnings are on everywhere; sanitizers come from SYN_SANITIZE. No -march=native and no global
# ISA flags: per-ISA kernels get their flags from syn_add_isa_sources() alone (Note [Kernel dispatch]).

add_library(syn_warnings INTERFACE)
target_compile_options(syn_warnings INTERFACE -Wall -Wextra -Wpedantic)

add_library(syn_sanitize INTERFACE)
if(SYN_SANITIZE)
  string(REPLACE ";" "," _syn_san "${SYN_SANITIZE}")
  target_compile_options(syn_sanitize INTERFACE -fsanitize=${_syn_san} -fno-omit-frame-pointer
                                               -fno-sanitize-recover=undefined)
  target_link_options(syn_sanitize INTERFACE -fsanitize=${_syn_san})
endif()

# syn_isa_sources(SRC...): the instruction-set flags of files named *_avx512.cpp / *_avx2.cpp (for the
# library folders below and for benchmark helpers such as bench/peak_fma_avx512.cpp). Every -m flag
# here has its CPU feature in isa_features() (src/synapse/core/cpu_features.cpp), which cpu_supports()
# checks before any such code runs: change both lists together (Note [Kernel dispatch]).
function(syn_isa_sources)
  foreach(_src IN LISTS ARGN)
    if(_src MATCHES "_avx512\\.cpp$")
      set_source_files_properties(${_src}
        PROPERTIES COMPILE_OPTIONS "-mavx512f;-mavx512bw;-mavx512dq;-mavx512vl;-mavx512cd;-mavx2;-mfma;-mbmi2;-ffp-contract=off")
    elseif(_src MATCHES "_avx2\\.cpp$")
      set_source_files_properties(${_src}
        PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma;-mbmi2;-ffp-contract=off")
    endif()
  endforeach()
endfunction()

# syn_library(NAME DIR DEPS...): one static library per source folder, sources found by glob so that
# adding a file needs no CMake edit. Per-ISA translation units (*_sse2.cpp, *_avx2.cpp, *_avx512.cpp)
# get their instruction-set flags from syn_isa_sources() and nowhere else, plus -ffp-contract=off:
# with FMA available GCC would otherwise fuse a separate multiply and add (even of intrinsics), so
# results would differ from the scalar reference where kernels promise exactness; kernels that want
# FMA ask for it.
function(syn_library name dir)
  file(GLOB _srcs CONFIGURE_DEPENDS "${dir}/*.cpp")
  add_library(syn_${name} STATIC ${_srcs})
  add_library(synapse::${name} ALIAS syn_${name})
  # The generated synapse/version.hpp is in the build tree; installed, both are under include/.
  # Build-only dependencies (warnings, sanitizers, xsimd) stay out of the exported targets.
  target_include_directories(syn_${name} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
                                                $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/generated>
                                                $<INSTALL_INTERFACE:include>)
  target_link_libraries(syn_${name} PUBLIC ${ARGN} PRIVATE $<BUILD_INTERFACE:syn_warnings>)
  target_link_libraries(syn_${name} PUBLIC $<BUILD_INTERFACE:syn_sanitize>)
  syn_isa_sources(${_srcs})
endfunction()
