# Cross-compiles podrunner for linux/arm64 with Debian's aarch64 cross toolchain
# (g++-aarch64-linux-gnu) against an arm64 Debian sysroot holding the -dev packages
# (scripts/cross-build-arm64 makes one with mmdebstrap). Tests run under qemu-user.
#
#   cmake -S . -B build-arm64 -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake -DPODRUNNER_ARM64_SYSROOT=/path/to/sysroot
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# try_compile projects read this file again; pass the sysroot on to them.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PODRUNNER_ARM64_SYSROOT)
if(NOT PODRUNNER_ARM64_SYSROOT)
  message(FATAL_ERROR "set PODRUNNER_ARM64_SYSROOT to an arm64 Debian root with the -dev packages")
endif()
set(CMAKE_SYSROOT "${PODRUNNER_ARM64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${PODRUNNER_ARM64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Test executables (and Catch2's test discovery at build time) run under qemu-user,
# which loads the arm64 dynamic loader and libraries from the sysroot.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L "${PODRUNNER_ARM64_SYSROOT}")
