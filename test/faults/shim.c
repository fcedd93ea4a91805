/* SPDX-License-Identifier: MIT */
/* shim.c - an LD_PRELOAD library that makes su-step's id calls lie */

/*
 * su-step changes ids with syscall(2) and then reads them back, checks
 * that root cannot be had again and clears the capabilities left. A kernel
 * or seccomp filter that fakes success must be caught by those checks;
 * this library fakes it, as SU_STEP_FAULT says:
 *   setgroups   setgroups reports success and does nothing
 *   setresgid   setresgid reports success and does nothing
 *   setresuid   the drop of the uid reports success and does nothing
 *   regain      setresuid(0, -1, -1) after the drop reports success
 *   caps        capget reports an inheritable capability, capset fails
 *               to clear it yet reports success
 * Every other call goes to the C library's syscall().
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef long (*syscall_fn)(long, ...);

struct cap_data {
	uint32_t effective;
	uint32_t permitted;
	uint32_t inheritable;
};

static int
fault_is(const char *name)
{
	const char *f = getenv("SU_STEP_FAULT");

	return f != NULL && strcmp(f, name) == 0;
}

/* Whether a call lies, given its number and first three arguments. */
static int
fake(long n, long a, long b, long c)
{
	if (n == SYS_setgroups)
		return fault_is("setgroups");
	if (n == SYS_setresgid)
		return fault_is("setresgid");
	/* Ids are 32 bits: what the caller passed as int -1 is only that. */
	if (n == SYS_setresuid && (uint32_t)a == 0 &&
	    (uint32_t)b == UINT32_MAX && (uint32_t)c == UINT32_MAX)
		return fault_is("regain");
	if (n == SYS_setresuid)
		return fault_is("setresuid");
	if (n == SYS_capset)
		return fault_is("caps");
	return 0;
}

long
syscall(long n, ...)
{
	static syscall_fn real;
	long a[6];
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (real == NULL)
		real = (syscall_fn)(uintptr_t)dlsym(RTLD_NEXT, "syscall");
	if (fake(n, a[0], a[1], a[2]))
		return 0;
	if (n == SYS_capget && fault_is("caps")) {
		long r = real(n, a[0], a[1]);

		if (r == 0)
			((struct cap_data *)a[1])->inheritable |= 1u << 7;
		return r;
	}
	return real(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}
