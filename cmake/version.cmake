# SPDX-License-Identifier: MIT
# Writes OUT, a header defining SU_STEP_VERSION: VERSION, and the git
# description of SRC where it is a checkout. Run at every build, so that a
# new commit shows without configuring again; OUT is rewritten only when
# its text changes, so nothing is rebuilt for nothing.
set(text "${VERSION}")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SRC}/.git")
	execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty
		WORKING_DIRECTORY "${SRC}"
		OUTPUT_VARIABLE described OUTPUT_STRIP_TRAILING_WHITESPACE
		ERROR_QUIET)
	if(described)
		string(APPEND text " (${described})")
	endif()
endif()
set(header "#define SU_STEP_VERSION \"${text}\"\n")
if(EXISTS "${OUT}")
	file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL header)
	file(WRITE "${OUT}" "${header}")
endif()
