# Builds one compile-fail or compile-ok target and judges what the compiler printed.
# Usage: cmake -DBUILD_DIR=<dir> -DTARGET=<target> -DSOURCE=<file> [-DCONFIG=<config>] [-DNINJA=<ninja>]
#        -P compile_fail.cmake
#
# A source whose first line is "// EXPECT: <regex>" must fail to compile with exactly one
# "error:" line, and that line must match <regex> (one readable message per mistake, no
# cascade). Any other source is a twin that must compile, with no error at all.
foreach(var BUILD_DIR TARGET SOURCE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "compile_fail.cmake: -D${var}=... is required")
  endif()
endforeach()

file(READ "${SOURCE}" head LIMIT 4096)
set(expect "")
if(head MATCHES "^// EXPECT: ([^\r\n]+)")
  set(expect "${CMAKE_MATCH_1}")
endif()
# An optional second line "// CONTEXT: <regex>" must match somewhere in the compiler's output:
# the diagnostic's instantiation context, where the offending extents are spelled out.
set(context "")
if(head MATCHES "^// EXPECT: [^\r\n]+\r?\n// CONTEXT: ([^\r\n]+)")
  set(context "${CMAKE_MATCH_1}")
endif()

set(config_args "")
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()
if(NINJA)
  # Ninja: run the target's compile command directly. A build through the tree would take
  # Ninja's lock on the build log, and the tests could only run one at a time.
  execute_process(COMMAND "${NINJA}" -C "${BUILD_DIR}" -t commands "${TARGET}"
                  OUTPUT_VARIABLE commands RESULT_VARIABLE query_result)
  string(STRIP "${commands}" commands)
  if(NOT query_result EQUAL 0 OR commands STREQUAL "" OR commands MATCHES "\n")
    message(FATAL_ERROR "compile_fail.cmake: expected one compile command for ${TARGET}, got:\n${commands}")
  endif()
  separate_arguments(command UNIX_COMMAND "${commands}")
  list(FIND command "-o" o)
  if(o GREATER -1)
    math(EXPR o "${o} + 1")
    list(GET command ${o} object)
    get_filename_component(object_dir "${BUILD_DIR}/${object}" DIRECTORY)
    file(MAKE_DIRECTORY "${object_dir}")
  endif()
  execute_process(COMMAND ${command} WORKING_DIRECTORY "${BUILD_DIR}"
                  OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE build_result)
else()
  execute_process(
    COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target "${TARGET}" ${config_args}
    OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE build_result)
endif()

# Count the errors by their "error:" marker alone: compiler lines hold ';' and brackets, which a
# CMake list would split or join.
string(REGEX MATCHALL "error:" markers "${output}")
list(LENGTH markers error_count)
string(REGEX MATCH "[^\n]*error:[^\n]*" first_error "${output}")

if(expect STREQUAL "")
  if(NOT build_result EQUAL 0 OR error_count GREATER 0)
    message(FATAL_ERROR "${SOURCE} must compile, but the build failed:\n${output}")
  endif()
  message(STATUS "compiled: ${SOURCE}")
  return()
endif()

if(build_result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} must not compile, but it did.\n${output}")
endif()
if(NOT error_count EQUAL 1)
  message(FATAL_ERROR "${SOURCE}: expected one error, the compiler printed ${error_count}.\n\n${output}")
endif()
if(NOT first_error MATCHES "${expect}")
  message(FATAL_ERROR "${SOURCE}: the error does not match the expected message.\n"
                      "expected: ${expect}\nerror: ${first_error}\n\n${output}")
endif()
if(NOT context STREQUAL "" AND NOT output MATCHES "${context}")
  message(FATAL_ERROR "${SOURCE}: the diagnostic does not show the expected context.\n"
                      "expected somewhere: ${context}\n\n${output}")
endif()
message(STATUS "rejected as expected: ${first_error}")
