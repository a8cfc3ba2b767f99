# Install rules: `cmake --install` puts the headers, the libraries, synapseConfig.cmake (with a version
# file) and synapse.pc under the prefix, so that applications use
#   find_package(synapse CONFIG REQUIRED)  +  target_link_libraries(app PRIVATE synapse::synapse)
# or `pkg-config --cflags --libs synapse`. xsimd and the per-ISA flags are private to the library
# (nothing installed includes xsimd); OpenMP is public because synapse/core/parallel.hpp uses it.
#
# SYN_BUILD_SHARED=ON adds libsynapse.so, which holds the library (the engine as far as the API uses
# it) but exports only the public API of synapse/synapse.hpp (cmake/synapse.map); synapse::synapse is then that shared library and
# the engine's static libraries are not installed.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

configure_file(${PROJECT_SOURCE_DIR}/cmake/version.hpp.in ${PROJECT_BINARY_DIR}/generated/synapse/version.hpp @ONLY)
set(_syn_engine syn_api syn_interop syn_train syn_forecast syn_pruning syn_nn syn_ops syn_kernels syn_core)

if(SYN_BUILD_SHARED)
  # The API's sources again (position-independent like everything in this mode), the engine's static
  # libraries linked in as far as the API needs them.
  file(GLOB _syn_api_sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/src/synapse/api/*.cpp")
  add_library(syn_shared SHARED ${_syn_api_sources})
  target_link_libraries(syn_shared PRIVATE syn_train $<BUILD_INTERFACE:syn_warnings>)
  target_link_options(syn_shared PRIVATE "LINKER:--version-script=${PROJECT_SOURCE_DIR}/cmake/synapse.map"
                                         "LINKER:--no-undefined")
  set_target_properties(syn_shared PROPERTIES OUTPUT_NAME synapse EXPORT_NAME synapse
                        VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}
                        LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/synapse.map)
  target_include_directories(syn_shared INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  set(_syn_installed syn_shared)
  set(_syn_pc_libs "-L\${libdir} -lsynapse")
  set(_syn_pc_cflags "-I\${includedir}")
else()
  set_target_properties(synapse PROPERTIES EXPORT_NAME synapse)
  foreach(_lib IN LISTS _syn_engine)
    string(REPLACE "syn_" "" _short ${_lib})
    set_target_properties(${_lib} PROPERTIES EXPORT_NAME ${_short})
    string(APPEND _syn_pc_libs " -l${_lib}")
  endforeach()
  set(_syn_installed synapse ${_syn_engine})
  set(_syn_pc_libs "-L\${libdir}${_syn_pc_libs}")
  set(_syn_pc_cflags "-I\${includedir}")
  if(SYN_OPENMP)
    string(APPEND _syn_pc_libs " -fopenmp")
    string(APPEND _syn_pc_cflags " -DSYN_HAVE_OPENMP=1 -fopenmp")
  endif()
endif()

install(TARGETS ${_syn_installed} EXPORT synapseTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Every header except the kernels' SIMD implementation headers (the only ones that include xsimd).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/synapse DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp"
        PATTERN "*_impl.hpp" EXCLUDE PATTERN "xsimd_compat.hpp" EXCLUDE PATTERN "simd_math.hpp" EXCLUDE)
install(FILES ${PROJECT_BINARY_DIR}/generated/synapse/version.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/synapse)

set(_syn_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/synapse)
install(EXPORT synapseTargets NAMESPACE synapse:: DESTINATION ${_syn_cmake_dir})
set(SYN_CONFIG_NEEDS_OPENMP OFF)
if(SYN_OPENMP AND NOT SYN_BUILD_SHARED)
  set(SYN_CONFIG_NEEDS_OPENMP ON)
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/synapseConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/synapseConfig.cmake INSTALL_DESTINATION ${_syn_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/synapseConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/synapseConfig.cmake ${PROJECT_BINARY_DIR}/synapseConfigVersion.cmake
        DESTINATION ${_syn_cmake_dir})

# Relocatable: the prefix is found from the .pc file's own folder, so `cmake --install --prefix` works.
file(RELATIVE_PATH _syn_pc_to_prefix "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(${PROJECT_SOURCE_DIR}/cmake/synapse.pc.in ${PROJECT_BINARY_DIR}/synapse.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/synapse.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(SYN_BUILD_APPS)
  install(TARGETS synapse_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
