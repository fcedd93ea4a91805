/* SPDX-License-Identifier: MIT */
/* fuzz.h - what the libFuzzer targets share: checks and reference parsers */

#ifndef SU_STEP_FUZZ_H
#define SU_STEP_FUZZ_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passwd.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/*
 * The reference needs no coverage of its own, which would only guide the
 * fuzzer through the reference: over 64 KiB lines its comparison hooks
 * cost more than the code under test. Kept out of line, since what is
 * inlined into an instrumented caller is instrumented there.
 */
#define REF	__attribute__((noinline, no_sanitize("coverage")))

/* Where a broken invariant is told: stderr as it was at start-up. */
static int fuzz_report_fd = 2;

static void
fuzz_fail(const char *what, const char *file, int line)
{
	char msg[512];
	int n;

	n = snprintf(msg, sizeof(msg), "%s:%d: broken: %s\n", file, line,
	    what);
	if (n > 0)
		(void)!write(fuzz_report_fd, msg,
		    (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	abort();
}

/* An invariant: when it does not hold, the fuzzer stops with the input. */
#define CHECK(cond) \
	do { \
		if (!(cond)) \
			fuzz_fail(#cond, __FILE__, __LINE__); \
	} while (0)

/*
 * su-step says what is wrong with bad input on fd 2, and most fuzzed input
 * is bad: those writes would cost more than the parsing. libFuzzer's
 * -close_fd_mask=2 points fd 2 at /dev/null and keeps its own and the
 * sanitizers' reports on a copy of it. The flag goes first, so that one
 * given on the command line still wins.
 */
static void
fuzz_quiet_stderr(int *argc, char ***argv)
{
	static char flag[] = "-close_fd_mask=2";
	static char *args[256];
	int i;

	fuzz_report_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
	if (fuzz_report_fd == -1)
		fuzz_report_fd = 2;
	if (*argc < 1 || *argc + 2 > (int)(sizeof(args) / sizeof(*args)))
		return;
	args[0] = (*argv)[0];
	args[1] = flag;
	for (i = 1; i < *argc; i++)
		args[i + 1] = (*argv)[i];
	args[++*argc] = NULL;
	*argv = args;
}

/* A copy of the input as a C string: it ends at the first NUL, if any. */
static char *
fuzz_string(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);

	CHECK(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * The id rules written a second way: digits only, at least one, and no more
 * than 4294967294 once leading zeros are gone.
 */
REF static int
ref_id(const char *s, size_t len, unsigned int *id)
{
	size_t i, start = 0;
	unsigned long long v = 0;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	while (start + 1 < len && s[start] == '0')
		start++;
	if (len - start > 10)
		return 0;
	if (len - start == 10 && memcmp(s + start, "4294967294", 10) > 0)
		return 0;
	for (i = start; i < len; i++)
		v = v * 10 + (unsigned long long)(s[i] - '0');
	*id = (unsigned int)v;
	return 1;
}

static int
ref_name_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* The name rules written a second way; dollar: a final '$' may stand. */
REF static int
ref_name(const char *s, int dollar)
{
	size_t len = strlen(s), i;
	unsigned char first = (unsigned char)s[0];

	if (len == 0 || len > NAME_MAX_LEN)
		return 0;
	if (!((first >= 'a' && first <= 'z') ||
	    (first >= 'A' && first <= 'Z') || first == '_'))
		return 0;
	if (dollar && len > 1 && s[len - 1] == '$')
		len--;
	for (i = 1; i < len; i++)
		if (!ref_name_byte((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Says whether len bytes hold a NUL, a control byte or DEL. */
REF static int
ref_has_control(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
			return 1;
	return 0;
}

/* Where the fields of a line start and how long each is. */
struct ref_fields {
	int n;
	const char *at[8];
	size_t len[8];
};

/* Splits at every ':'; more than 8 fields count as 9. */
REF static void
ref_split(const char *line, size_t len, struct ref_fields *f)
{
	size_t i, start = 0;

	f->n = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && line[i] != ':')
			continue;
		if (f->n == 8) {
			f->n = 9;
			return;
		}
		f->at[f->n] = line + start;
		f->len[f->n++] = i - start;
		start = i + 1;
	}
}

REF static int
ref_field_is(const struct ref_fields *f, int i, const char *s)
{
	return strlen(s) == f->len[i] && memcmp(s, f->at[i], f->len[i]) == 0;
}

/* The passwd line rules written a second way. */
REF static int
ref_pw_line(const char *line, size_t len, struct ref_fields *f,
    unsigned int *uid, unsigned int *gid)
{
	if (len > LINE_MAX_LEN || ref_has_control(line, len))
		return 0;
	ref_split(line, len, f);
	return f->n == 7 && f->len[0] > 0 &&
	    ref_id(f->at[2], f->len[2], uid) &&
	    ref_id(f->at[3], f->len[3], gid);
}

REF static int
ref_gr_line(const char *line, size_t len, struct ref_fields *f,
    unsigned int *gid)
{
	if (len > LINE_MAX_LEN || ref_has_control(line, len))
		return 0;
	ref_split(line, len, f);
	return f->n == 4 && f->len[0] > 0 && ref_id(f->at[2], f->len[2], gid);
}

/*
 * The taken-name rule written a second way: the line's bytes up to its
 * first ':' (or all of them) are the name, whatever follows.
 */
REF static int
ref_takes_name(const char *line, size_t len, const char *name)
{
	const char *colon = memchr(line, ':', len);
	size_t n = colon ? (size_t)(colon - line) : len;

	return strlen(name) == n && memcmp(line, name, n) == 0;
}

typedef int (*ref_line_fn)(const char *line, size_t len, void *arg);

/*
 * Calls fn on the lines of text as the scanners must see them: a last line
 * may lack its newline, and longer lines than LINE_MAX_LEN do not count.
 * Stops when fn returns non-zero and passes that on.
 */
REF static int
ref_each_line(const char *text, size_t size, ref_line_fn fn, void *arg)
{
	const char *p = text, *end = text + size, *nl;
	size_t len;
	int r;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len <= LINE_MAX_LEN && (r = fn(p, len, arg)))
			return r;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return 0;
}

#endif
