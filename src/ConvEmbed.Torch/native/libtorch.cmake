# Shared by the CMake projects that link libtorch (the shim here, the engine benchmark in ConvEmbed.Cli/native):
# C++17, Release with -O2 unless told otherwise, and find_package(Torch) honouring LIBTORCH_DIR.
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)
endif()
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG")

if(DEFINED ENV{LIBTORCH_DIR})
  list(PREPEND CMAKE_PREFIX_PATH "$ENV{LIBTORCH_DIR}")
endif()
find_package(Torch REQUIRED)
