/* SPDX-License-Identifier: MIT */
/* asan_defaults.c - sanitizer settings built into su-step's asan build */

const char *__asan_default_options(void);

/*
 * su-step may exit from a setgid process (it refuses to run so), and
 * LeakSanitizer cannot inspect such a process: it fails the run instead.
 * The settings are built in because the integration suite gives each
 * case a clean environment, so ASAN_OPTIONS would not reach su-step.
 * su-step allocates nothing, so there is no leak to miss; the unit suites
 * keep leak checking.
 */
const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}
