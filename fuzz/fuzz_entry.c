/* SPDX-License-Identifier: MIT */
/* fuzz_entry.c - libFuzzer target for format_*_entry() and valid_name() */

#include <stdint.h>

#include "fuzz.h"

/* Input: uid and gid (4 bytes each), a size byte, then NAME\0HOME\0SHELL. */
#define HEAD	9

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static uint32_t
read_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static size_t
count_byte(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* Nothing in a field may end the line or start another field. */
static int
fits_field(const char *s)
{
	return strchr(s, ':') == NULL && !ref_has_control(s, strlen(s));
}

static void
check_names(const char *s)
{
	CHECK(valid_name(s, 0) == ref_name(s, 0));
	CHECK(valid_name(s, NAME_LOOKUP) == ref_name(s, 1));
}

/* An accepted entry is one whole line that parses back to its parts. */
static void
check_pw_line(const char *buf, int n, size_t size, const char *name,
    uint32_t uid, uint32_t gid, const char *home, const char *shell)
{
	char *copy;
	struct pw_ent e;

	CHECK(n > 0 && (size_t)n < size && strlen(buf) == (size_t)n);
	CHECK(strchr(buf, '\n') == NULL && count_byte(buf, ':') == 6);
	copy = strdup(buf);
	CHECK(copy != NULL);
	CHECK(parse_pw_line(copy, (size_t)n, &e) == 0);
	CHECK(strcmp(e.name, name) == 0 && e.uid == uid && e.gid == gid);
	CHECK(strcmp(e.home, home) == 0 && strcmp(e.shell, shell) == 0);
	free(copy);
}

static void
check_pw(const char *name, uint32_t uid, uint32_t gid, const char *home,
    const char *shell, size_t size)
{
	char *buf = malloc(size ? size : 1);
	int ok, n;

	CHECK(buf != NULL);
	ok = ref_name(name, 0) && uid <= ID_MAX && gid <= ID_MAX &&
	    fits_field(home) && fits_field(shell);
	n = format_pw_entry(buf, size, name, uid, gid, home, shell);
	if (n != -1) {
		CHECK(ok);
		check_pw_line(buf, n, size, name, uid, gid, home, shell);
	} else {
		CHECK(!ok || strlen(name) + strlen(home) + strlen(shell) + 32 >
		    size);
	}
	free(buf);
}

static void
check_gr(const char *name, uint32_t gid, size_t size)
{
	char *buf = malloc(size ? size : 1), *copy;
	struct gr_ent e;
	int ok = ref_name(name, 0) && gid <= ID_MAX, n;

	CHECK(buf != NULL);
	n = format_gr_entry(buf, size, name, gid);
	if (n != -1) {
		CHECK(ok && n > 0 && (size_t)n < size);
		CHECK(strlen(buf) == (size_t)n && count_byte(buf, ':') == 3);
		CHECK(strchr(buf, '\n') == NULL);
		copy = strdup(buf);
		CHECK(copy != NULL);
		CHECK(parse_gr_line(copy, (size_t)n, &e) == 0);
		CHECK(strcmp(e.name, name) == 0 && e.gid == gid);
		CHECK(*e.members == '\0');
		free(copy);
	} else {
		CHECK(!ok || strlen(name) + 16 > size);
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text, *name, *home, *shell;
	uint32_t uid, gid;
	size_t room;

	if (size < HEAD)
		return 0;
	uid = read_u32(data);
	gid = read_u32(data + 4);
	/* Mostly the size su-step gives; sometimes one that is too small. */
	room = data[8] == 0xff ? ENTRY_MAX : data[8];
	text = malloc(size - HEAD + 3);
	CHECK(text != NULL);
	memcpy(text, data + HEAD, size - HEAD);
	memset(text + size - HEAD, 0, 3);
	/* Three NULs at the end: a missing part reads as an empty one. */
	name = text;
	home = name + strlen(name) + 1;
	shell = home + strlen(home) + 1;
	check_names(name);
	check_names(home);
	check_pw(name, uid, gid, home, shell, room);
	check_gr(name, gid, room);
	free(text);
	return 0;
}
