include(GoogleTest)

# The environment of every test that runs a model (LibTorch's or Python torch's OpenMP workers).
# CTest runs such a test beside others, and OpenMP's idle workers spin by default: they take the
# core the other test needs and wait on each other. Passive workers sleep instead: two pipeline
# tests beside one busy core took 50 s, not 247 s (alone: 32 s, not 30 s; docs/testing.md).
set(SN44_MODEL_TEST_ENVIRONMENT ENVIRONMENT_MODIFICATION OMP_WAIT_POLICY=set:PASSIVE)

# sn44_module(<name> [SOURCES ...] [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Defines the library target sn44_<name> (alias sn44::<name>) for src/<name>/. Headers are included
# as "<name>/header.h" relative to src/. A module without sources is an interface (header-only) target.
function(sn44_module name)
  cmake_parse_arguments(M "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  set(target sn44_${name})
  if(M_SOURCES)
    add_library(${target} STATIC ${M_SOURCES})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_PRIVATE_DEPS} sn44_build_flags)
    target_compile_features(${target} PUBLIC cxx_std_20)
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} INTERFACE ${M_PUBLIC_DEPS})
    target_compile_features(${target} INTERFACE cxx_std_20)
  endif()
  add_library(sn44::${name} ALIAS ${target})
endfunction()

# sn44_test(<name> SOURCES ... [DEPS ...] [LABELS ...] [ENVIRONMENT ...] [FIXTURES ...] [WHOLE_SUITES])
# A GoogleTest executable whose cases CTest discovers one by one. FIXTURES names CTest fixtures the
# cases require (for example generated models); cases that share a fixture run one at a time. Tests that need the shared test data read its folder
# from SN44_TEST_DATA, which is passed through to them. WHOLE_SUITES makes each suite one CTest test
# (one process) instead: for executables that load LibTorch, whose start takes about 0.7 s (1.5 s
# under the sanitizers), more than most of their cases.
function(sn44_test name)
  cmake_parse_arguments(T "WHOLE_SUITES" "" "SOURCES;DEPS;LABELS;ENVIRONMENT;FIXTURES" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  if(T_WHOLE_SUITES)
    set(main sn44_test_suite_main)
  else()
    set(main GTest::gtest_main)
  endif()
  target_link_libraries(${name} PRIVATE ${T_DEPS} sn44_test_support GTest::gtest GTest::gmock ${main} sn44_build_flags)
  set(props LABELS "${T_LABELS}")
  if(T_ENVIRONMENT)
    list(APPEND props ENVIRONMENT "${T_ENVIRONMENT}")
  endif()
  if(T_FIXTURES)
    # The fixtures are the generated models; tests that run them take every core, and two LibTorch
    # processes competing for the cores slow each other down many times over (spinning OpenMP
    # workers), so they run one at a time.
    list(APPEND props FIXTURES_REQUIRED "${T_FIXTURES}" RESOURCE_LOCK "${T_FIXTURES}" ${SN44_MODEL_TEST_ENVIRONMENT})
  endif()
  if(T_WHOLE_SUITES)
    set(suites_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_suites.cmake")
    file(GENERATE OUTPUT "${suites_file}" CONTENT "set(executable [==[$<TARGET_FILE:${name}>]==])
set(properties [==[${props}]==])
include([==[${PROJECT_SOURCE_DIR}/cmake/GTestSuites.cmake]==])
")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${suites_file}")
  else()
    gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 120 PROPERTIES ${props})
  endif()
endfunction()
