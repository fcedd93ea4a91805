# SPDX-License-Identifier: MIT
# package.cmake - what `cpack -G DEB` puts into the Debian package
#
# The package is meant to be made from the static preset, whose binary
# needs no shared library:
#   cmake --preset static && cmake --build --preset static
#   (cd build-static && cpack -G DEB)
# A package made from a dynamically linked build gets its library
# dependencies from dpkg-shlibdeps instead.

# Whoever builds and hands out the package names themselves here:
#   cmake --preset static -DSU_STEP_MAINTAINER="Name <address>"
# The default address is under .invalid, so it can never reach anyone.
set(SU_STEP_MAINTAINER "su-step developers <su-step@su-step.invalid>"
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
# would only fail. It is static on purpose, which lintian is told.
if(CMAKE_EXE_LINKER_FLAGS MATCHES "(^| )-static( |$)")
	set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
	set(su_step_overrides
		"su-step: statically-linked-binary [usr/bin/su-step]\n")
else()
	set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
	set(su_step_overrides "")
endif()

# The copyright file is made from LICENSE, so the two cannot drift apart.
file(READ "${PROJECT_SOURCE_DIR}/LICENSE" license)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
	"${PROJECT_SOURCE_DIR}/LICENSE")
if(NOT license MATCHES "\nCopyright \\(c\\) ([^\n]+)\n\n(.*)$")
	message(FATAL_ERROR "LICENSE: no copyright line followed by the terms")
endif()
set(holder "${CMAKE_MATCH_1}")
string(STRIP "${CMAKE_MATCH_2}" terms)
# In a Debian control-style field every line starts with a space, and an
# empty line is written as " .".
string(REPLACE "\n\n" "\n.\n" terms "${terms}")
string(REPLACE "\n" "\n " terms "${terms}")
set(su_step_package_dir "${PROJECT_BINARY_DIR}/package")
file(CONFIGURE OUTPUT "${su_step_package_dir}/copyright" CONTENT
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: su-step

Files: *
Copyright: ${holder}
License: Expat
 ${terms}
")
file(CONFIGURE OUTPUT "${su_step_package_dir}/lintian-overrides"
	CONTENT "${su_step_overrides}")

# What only the package holds: Debian's copyright file, lintian's
# override, and the manual compressed as Debian's policy asks. CPack runs
# the install rules with SU_STEP_PACKAGE set; a plain `cmake --install`
# leaves the manual as it is and installs no Debian files.
set(CPACK_CUSTOM_INSTALL_VARIABLES SU_STEP_PACKAGE=ON)
find_program(GZIP_EXECUTABLE gzip)
install(CODE "
	set(su_step_from \"${su_step_package_dir}\")
	set(su_step_share \"${CMAKE_INSTALL_DATAROOTDIR}\")
	set(su_step_page \"${CMAKE_INSTALL_MANDIR}/man1/su-step.1\")
	set(su_step_gzip \"${GZIP_EXECUTABLE}\")
")
install(CODE [[
if(SU_STEP_PACKAGE)
	set(share "${CMAKE_INSTALL_PREFIX}/${su_step_share}")
	file(INSTALL DESTINATION "${share}/doc/su-step" TYPE FILE
		FILES "${su_step_from}/copyright")
	file(READ "${su_step_from}/lintian-overrides" overrides)
	if(overrides)
		file(INSTALL DESTINATION "${share}/lintian/overrides"
			TYPE FILE RENAME su-step
			FILES "${su_step_from}/lintian-overrides")
	endif()
	if(NOT su_step_gzip)
		message(FATAL_ERROR "cannot compress the manual: no gzip")
	endif()
	# -n keeps the name and time out of the header, so the same page
	# always gives the same bytes.
	execute_process(COMMAND "${su_step_gzip}" -9nf
		"$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/${su_step_page}"
		RESULT_VARIABLE status)
	if(NOT status EQUAL 0)
		message(FATAL_ERROR "gzip ${su_step_page}: ${status}")
	endif()
endif()
]])

include(CPack)
