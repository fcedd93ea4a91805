# SPDX-License-Identifier: MIT
# package.cmake - what `cpack -G DEB` puts into the Debian package
#
# The package is meant to be made from the static preset, whose binary
# needs no shared library:
#   cmake --preset static && cmake --build --preset static
#   (cd build-static && cpack -G DEB)
# A package made from a dynamically linked build gets its library
# dependencies from dpkg-shlibdeps instead.

set(SU_STEP_MAINTAINER "su-step developers <su-step@example.org>"
	CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME su-step)
set(CPACK_PACKAGE_VENDOR "su-step developers")
set(CPACK_PACKAGE_CONTACT "${SU_STEP_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SU_STEP_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
	"step down from root to an unprivileged user and run a command")
# CPack puts the summary on the Description line itself; this is the rest.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
	"su-step is the last step of a container entrypoint: run as root, it
resolves a user and group spec with its own strict reader of /etc/passwd
and /etc/group, adds the entries that are missing, can hand data
directories over to the user, drops every privilege and executes the
command in its own place.")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

find_program(DPKG_EXECUTABLE dpkg)
if(DPKG_EXECUTABLE)
	execute_process(COMMAND "${DPKG_EXECUTABLE}" --print-architecture
		OUTPUT_VARIABLE CPACK_DEBIAN_PACKAGE_ARCHITECTURE
		OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()

# A static binary depends on nothing; asking dpkg-shlibdeps about it
# would only fail.
if(CMAKE_EXE_LINKER_FLAGS MATCHES "(^| )-static( |$)")
	set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
else()
	set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
endif()

include(CPack)
