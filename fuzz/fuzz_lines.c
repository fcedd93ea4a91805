/* SPDX-License-Identifier: MIT */
/* fuzz_lines.c - libFuzzer target for parse_pw_line() and parse_gr_line() */

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* A copy with room for the NUL the parsers put at line[len], no more. */
static char *
copy_line(const unsigned char *data, size_t size)
{
	char *line = malloc(size + 1);

	CHECK(line != NULL);
	memcpy(line, data, size);
	return line;
}

/* A field the parser handed back must be the one the reference found. */
static void
check_field(const char *got, const char *line, size_t size,
    const struct ref_fields *f, int i)
{
	CHECK(got >= line && got <= line + size);
	CHECK(ref_field_is(f, i, got));
	CHECK(!ref_has_control(got, strlen(got)));
	CHECK(strchr(got, ':') == NULL);
}

static void
check_pw(const unsigned char *data, size_t size)
{
	static const struct pw_ent untouched = { (char *)1, 7, 7, NULL, NULL };
	char *line = copy_line(data, size);
	struct pw_ent e = untouched;
	struct ref_fields f;
	unsigned int uid = 0, gid = 0;
	int ok = ref_pw_line((const char *)data, size, &f, &uid, &gid);

	if (parse_pw_line(line, size, &e) == 0) {
		CHECK(ok);
		CHECK(size <= LINE_MAX_LEN);
		CHECK(memchr(data, ':', size) != NULL && f.n == 7);
		CHECK(e.uid == uid && e.gid == gid);
		CHECK(e.uid <= ID_MAX && e.gid <= ID_MAX);
		CHECK(*e.name != '\0');
		check_field(e.name, line, size, &f, 0);
		check_field(e.home, line, size, &f, 5);
		check_field(e.shell, line, size, &f, 6);
	} else {
		CHECK(!ok);
		CHECK(e.name == untouched.name && e.uid == untouched.uid &&
		    e.gid == untouched.gid && e.home == untouched.home &&
		    e.shell == untouched.shell);
	}
	free(line);
}

static void
check_gr(const unsigned char *data, size_t size)
{
	static const struct gr_ent untouched = { (char *)1, 7, NULL };
	char *line = copy_line(data, size);
	struct gr_ent e = untouched;
	struct ref_fields f;
	unsigned int gid = 0;
	int ok = ref_gr_line((const char *)data, size, &f, &gid);

	if (parse_gr_line(line, size, &e) == 0) {
		CHECK(ok);
		CHECK(size <= LINE_MAX_LEN && f.n == 4);
		CHECK(e.gid == gid && e.gid <= ID_MAX);
		CHECK(*e.name != '\0');
		check_field(e.name, line, size, &f, 0);
		check_field(e.members, line, size, &f, 3);
	} else {
		CHECK(!ok);
		CHECK(e.name == untouched.name && e.gid == untouched.gid &&
		    e.members == untouched.members);
	}
	free(line);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	check_pw(data, size);
	check_gr(data, size);
	return 0;
}
