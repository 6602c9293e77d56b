# Installs tapeless from a build tree into a fresh prefix, then configures, builds and runs the
# consumer project against that prefix alone.
# Usage: cmake -DTAPELESS_BUILD_DIR=<dir> -DWORK_DIR=<dir> -DCONSUMER_SOURCE_DIR=<dir>
#              -DGENERATOR=<name> -DCXX_COMPILER=<path> [-DCONFIG=<config>] -P run_consumer.cmake
set(prefix "${WORK_DIR}/prefix")
set(consumer_build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${prefix}" "${consumer_build}")

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  message("-- ${step}\n${output}")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "consumer: ${step} failed (${result})")
  endif()
endfunction()

set(config_args "")
set(build_type "Release")
if(CONFIG)
  set(config_args --config "${CONFIG}")
  set(build_type "${CONFIG}")
endif()

run(install "${CMAKE_COMMAND}" --install "${TAPELESS_BUILD_DIR}" --prefix "${prefix}" ${config_args})
# Only the prefix may provide tapeless: no package registries, no hint at the source or build tree.
run(configure "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE_DIR}" -B "${consumer_build}" -G "${GENERATOR}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_BUILD_TYPE=${build_type}"
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)

# The package and its dependencies were found where they should be.
load_cache("${consumer_build}" READ_WITH_PREFIX consumer_ tapeless_DIR Boost_DIR xtensor_DIR)
file(REAL_PATH "${prefix}" real_prefix)
file(REAL_PATH "${consumer_tapeless_DIR}" real_tapeless_dir)
string(FIND "${real_tapeless_dir}" "${real_prefix}/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "consumer: tapeless was found in ${consumer_tapeless_DIR}, not under ${prefix}")
endif()
foreach(dependency Boost xtensor)
  if(NOT consumer_${dependency}_DIR OR consumer_${dependency}_DIR MATCHES "NOTFOUND$")
    message(FATAL_ERROR "consumer: the tapeless package config did not find ${dependency}")
  endif()
  message(STATUS "${dependency} found by the package config: ${consumer_${dependency}_DIR}")
endforeach()

run(build "${CMAKE_COMMAND}" --build "${consumer_build}" ${config_args})
set(executable "${consumer_build}/consumer")
if(CONFIG AND EXISTS "${consumer_build}/${CONFIG}/consumer")
  set(executable "${consumer_build}/${CONFIG}/consumer")
endif()
run(run "${executable}")
