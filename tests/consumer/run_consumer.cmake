# Run by the ctest test "consumer" (see CMakeLists.txt) with cmake -P.
cmake_minimum_required(VERSION 3.21)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
  message(STATUS "${what}: ok")
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install into a temporary prefix.
if(SSPF_CONFIG)
  set(config_args --config ${SSPF_CONFIG})
endif()
run("install" ${CMAKE_COMMAND} --install ${SSPF_BUILD_DIR} --prefix ${prefix}
    ${config_args})
foreach(f include/sspf/sspf.h include/sspf/store.h
          ${SSPF_LIBDIR}/cmake/sspf/sspfConfig.cmake
          ${SSPF_LIBDIR}/cmake/sspf/sspfConfigVersion.cmake
          ${SSPF_LIBDIR}/cmake/sspf/sspfTargets.cmake
          ${SSPF_LIBDIR}/pkgconfig/sspf.pc
          bin/sspf-tool libexec/sspf/sspf-tool-core bin/sspf-verify-export
          share/man/man1/sspf-tool.1
          share/bash-completion/completions/sspf-tool)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
# The installed tool runs as installed: no LD_LIBRARY_PATH, no ldconfig
# (the README's `cmake --install`, into any prefix).
run("installed sspf-tool --version" ${CMAKE_COMMAND} -E env --unset=LD_LIBRARY_PATH
    ${prefix}/bin/sspf-tool --version)
if(NOT run_output MATCHES "^sspf-tool [0-9]")
  message(FATAL_ERROR "the installed sspf-tool --version said: ${run_output}")
endif()
run("installed sspf-verify-export --help" ${CMAKE_COMMAND} -E env --unset=LD_LIBRARY_PATH
    ${prefix}/bin/sspf-verify-export --help)
# Private headers must not be installed.
file(GLOB_RECURSE private_headers ${prefix}/include/*session_impl.h ${prefix}/include/*db.h)
if(private_headers)
  message(FATAL_ERROR "private headers installed: ${private_headers}")
endif()

# 2. find_package(sspf) consumer (C++ and C), built and run by ctest.
run("find_package consumer" ${CTEST_COMMAND}
    --build-and-test ${CONSUMER_SOURCE_DIR} ${WORK_DIR}/find_package
    --build-generator ${GENERATOR}
    --build-options -DCMAKE_PREFIX_PATH=${prefix}
                    -DCMAKE_C_COMPILER=${C_COMPILER}
                    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
                    -DCMAKE_BUILD_TYPE=Release
    --test-command ${CTEST_COMMAND} --output-on-failure)

# 3. pkg-config consumer: cc + `pkg-config --cflags --libs sspf`.
find_program(PKG_CONFIG_EXECUTABLE NAMES pkg-config pkgconf REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/${SSPF_LIBDIR}/pkgconfig)
set(static_arg)
if(SSPF_STATIC)
  set(static_arg --static)
endif()
run("pkg-config" ${PKG_CONFIG_EXECUTABLE} ${static_arg} --cflags --libs sspf)
string(STRIP "${run_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
if(NOT "${flags}" MATCHES "-I${prefix}/")
  message(FATAL_ERROR "pkg-config did not point into the prefix: ${flags}")
endif()
run("cc with pkg-config" ${C_COMPILER} -std=c11 -Wall -Wextra -Werror
    ${CONSUMER_SOURCE_DIR}/main.c -o ${WORK_DIR}/pc_app ${flags}
    -Wl,-rpath,${prefix}/${SSPF_LIBDIR})
run("pkg-config consumer" ${WORK_DIR}/pc_app)
file(REMOVE_RECURSE ${WORK_DIR})
