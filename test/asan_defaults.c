/* SPDX-License-Identifier: MIT */
/* asan_defaults.c - sanitizer settings built into su-step's asan build */

/*
 * The integration suite gives each case a clean environment, so
 * ASAN_OPTIONS and UBSAN_OPTIONS never reach su-step there: the settings
 * tools/test.d/30-sanitizers exports are built in instead, and must be
 * kept the same as there. An option set in the environment still wins.
 *
 * One differs: su-step may exit from a setgid process (it refuses to run
 * so), and LeakSanitizer cannot inspect such a process: it fails the run
 * instead. su-step allocates nothing, so there is no leak to miss; the
 * unit suites, which do not have these built in, keep leak checking.
 */

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *
__asan_default_options(void)
{
	return "detect_leaks=0:detect_stack_use_after_return=1"
	    ":strict_string_checks=1:check_initialization_order=1";
}

const char *
__ubsan_default_options(void)
{
	return "print_stacktrace=1:halt_on_error=1";
}
