/* SPDX-License-Identifier: MIT */
/* check_passwd.c - unit tests of the passwd and group parser and appender */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "passwd.h"

#define SENTINEL 12345u

static char tmpdir[] = "/tmp/check_passwd.XXXXXX";

/* Writes len bytes to a fresh file under tmpdir and returns its path. */
static const char *
make_file(const char *name, const char *text, size_t len)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static const char *
make_text(const char *name, const char *text)
{
	return make_file(name, text, strlen(text));
}

static char *
read_all(const char *path, size_t *len)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ne(fd, -1);
	n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	close(fd);
	if (len)
		*len = (size_t)n;
	return buf;
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(tmpdir + strlen(tmpdir) - 6, "XXXXXX");
}

static const struct {
	const char *in;
	int ok;
	unsigned int id;
} id_cases[] = {
	{ "0", 1, 0 },
	{ "1", 1, 1 },
	{ "9031", 1, 9031 },
	{ "0009031", 1, 9031 },
	{ "65534", 1, 65534 },
	{ "4294967294", 1, 4294967294u },
	{ "4294967295", 0, 0 },
	{ "4294967296", 0, 0 },
	{ "18446744073709551616", 0, 0 },
	{ "99999999999999999999999999", 0, 0 },
	{ "", 0, 0 },
	{ " 1000", 0, 0 },
	{ "1000 ", 0, 0 },
	{ "+1000", 0, 0 },
	{ "-1", 0, 0 },
	{ "0x10", 0, 0 },
	{ "1e3", 0, 0 },
	{ "10\n", 0, 0 },
	{ "１", 0, 0 },
};

START_TEST(test_parse_id)
{
	unsigned int id = SENTINEL;
	int r = parse_id(id_cases[_i].in, &id);

	ck_assert_msg((r == 0) == id_cases[_i].ok, "'%s'", id_cases[_i].in);
	/* On error the output is left as it was. */
	ck_assert_uint_eq(id, id_cases[_i].ok ? id_cases[_i].id : SENTINEL);
}
END_TEST

static const struct {
	const char *in;
	int flags;
	int ok;
} name_cases[] = {
	{ "ping", 0, 1 },
	{ "www-data", 0, 1 },
	{ "_apt", 0, 1 },
	{ "a.b", 0, 1 },
	{ "User1", 0, 1 },
	{ "u9031", 0, 1 },
	{ "abcdefghijklmnopqrstuvwxyz012345", 0, 1 },
	{ "abcdefghijklmnopqrstuvwxyz0123456", 0, 0 },
	{ "", 0, 0 },
	{ "-rf", 0, 0 },
	{ ".hidden", 0, 0 },
	{ "..", 0, 0 },
	{ "a:b", 0, 0 },
	{ "a\nroot:x:0:0::/:/bin/sh", 0, 0 },
	{ "a b", 0, 0 },
	{ "a/b", 0, 0 },
	{ "a,b", 0, 0 },
	{ "1000", 0, 0 },
	{ "host$", 0, 0 },
	{ "host$", NAME_LOOKUP, 1 },
	{ "ho$st", NAME_LOOKUP, 0 },
	{ "$", NAME_LOOKUP, 0 },
	{ "é", 0, 0 },
	{ "9lives", 0, 0 },
	{ "0x10", 0, 0 },
	{ "_9", 0, 1 },
	{ "a\tb", 0, 0 },
};

START_TEST(test_valid_name)
{
	ck_assert_msg(valid_name(name_cases[_i].in, name_cases[_i].flags) ==
	    name_cases[_i].ok, "'%s'", name_cases[_i].in);
}
END_TEST

static const struct {
	const char *line;
	size_t len;		/* 0: strlen */
	int ok;
	unsigned int uid, gid;
} pw_cases[] = {
	{ "root:x:0:0:root:/root:/bin/sh", 0, 1, 0, 0 },
	{ "a:x:9031:9999::/home/a:", 0, 1, 9031, 9999 },
	{ "a::1:2:::", 0, 1, 1, 2 },
	{ "evil:x::0:e:/:/bin/sh", 0, 0, 0, 0 },
	{ "evil:x:0::e:/:/bin/sh", 0, 0, 0, 0 },
	{ ":x:1:1::/:/bin/sh", 0, 0, 0, 0 },
	{ "a:x:1:1::/", 0, 0, 0, 0 },
	{ "a:x:1:1::/:/bin/sh:extra", 0, 0, 0, 0 },
	{ "a:x:-1:1::/:/bin/sh", 0, 0, 0, 0 },
	{ "a:x:4294967296:1::/:/bin/sh", 0, 0, 0, 0 },
	{ "a:x:4294967295:1::/:/bin/sh", 0, 0, 0, 0 },
	{ "a:x: 1:1::/:/bin/sh", 0, 0, 0, 0 },
	{ "a:x:1:1::/:/bin/sh\r", 0, 0, 0, 0 },
	{ "a:x:1:1::/\x1b:/bin/sh", 0, 0, 0, 0 },
	{ "a:x:1:1::/\0:/bin/sh", 20, 0, 0, 0 },
	{ "", 0, 0, 0, 0 },
	{ "#a:x:1:1::/:/bin/sh", 0, 1, 1, 1 },
};

START_TEST(test_parse_pw_line)
{
	char line[64];
	size_t len = pw_cases[_i].len ? pw_cases[_i].len :
	    strlen(pw_cases[_i].line);
	struct pw_ent e;
	int r;

	memcpy(line, pw_cases[_i].line, len);
	r = parse_pw_line(line, len, &e);
	ck_assert_msg((r == 0) == pw_cases[_i].ok, "'%s'", pw_cases[_i].line);
	if (r == 0) {
		ck_assert_uint_eq(e.uid, pw_cases[_i].uid);
		ck_assert_uint_eq(e.gid, pw_cases[_i].gid);
	}
}
END_TEST

START_TEST(test_parse_pw_fields)
{
	char line[] = "alice:x:1000:100:Alice:/home/alice:/bin/sh";
	struct pw_ent e;

	ck_assert_int_eq(parse_pw_line(line, strlen(line), &e), 0);
	ck_assert_str_eq(e.name, "alice");
	ck_assert_str_eq(e.home, "/home/alice");
	ck_assert_str_eq(e.shell, "/bin/sh");
}
END_TEST

static const struct {
	const char *line;
	int ok;
	unsigned int gid;
	const char *members;
} gr_cases[] = {
	{ "staff:x:50:a,b", 1, 50, "a,b" },
	{ "g:x:9999:", 1, 9999, "" },
	{ "g::1:", 1, 1, "" },
	{ "g:x::", 0, 0, NULL },
	{ ":x:1:", 0, 0, NULL },
	{ "g:x:1", 0, 0, NULL },
	{ "g:x:1:a:b", 0, 0, NULL },
	{ "g:x:4294967295:", 0, 0, NULL },
	{ "g:x:1:a\r", 0, 0, NULL },
};

START_TEST(test_parse_gr_line)
{
	char line[64];
	size_t len = strlen(gr_cases[_i].line);
	struct gr_ent e;
	int r;

	memcpy(line, gr_cases[_i].line, len);
	r = parse_gr_line(line, len, &e);
	ck_assert_msg((r == 0) == gr_cases[_i].ok, "'%s'", gr_cases[_i].line);
	if (r == 0) {
		ck_assert_uint_eq(e.gid, gr_cases[_i].gid);
		ck_assert_str_eq(e.members, gr_cases[_i].members);
	}
}
END_TEST

static const struct {
	const char *members;
	const char *name;
	int in;
} member_cases[] = {
	{ "a,b,c", "b", 1 },
	{ "a,b,c", "a", 1 },
	{ "a,b,c", "c", 1 },
	{ "ab,bc", "b", 0 },
	{ "alice", "ali", 0 },
	{ "ali", "alice", 0 },
	{ "", "a", 0 },
	{ "a,,b", "b", 1 },
	{ ",", "a", 0 },
};

START_TEST(test_lists_member)
{
	ck_assert_int_eq(lists_member(member_cases[_i].members,
	    member_cases[_i].name), member_cases[_i].in);
}
END_TEST

START_TEST(test_add_group_id)
{
	gid_t g[4];
	size_t n = 0;

	ck_assert_int_eq(add_group_id(g, &n, 4, 50), 0);
	ck_assert_int_eq(add_group_id(g, &n, 4, 10), 0);
	ck_assert_int_eq(add_group_id(g, &n, 4, 50), 0);
	ck_assert_int_eq(add_group_id(g, &n, 4, 30), 0);
	ck_assert_int_eq(add_group_id(g, &n, 4, 4294967294u), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(g[0], 10);
	ck_assert_uint_eq(g[1], 30);
	ck_assert_uint_eq(g[2], 50);
	ck_assert_uint_eq(g[3], 4294967294u);
	ck_assert_int_eq(add_group_id(g, &n, 4, 20), -1);
	ck_assert_int_eq(add_group_id(g, &n, 4, 30), 0);
}
END_TEST

static int
lookup(const char *path, const char *name, uid_t uid, struct user *u)
{
	int fd = open_db(path), r;

	ck_assert_int_ne(fd, -1);
	r = find_user(fd, name, uid, u);
	close(fd);
	return r;
}

static struct user u;

START_TEST(test_find_user_strict)
{
	const char *p = make_text("passwd",
	    "evil:x::0::/:/bin/sh\n"
	    "bob:x:5:5\n"
	    "bob:x:6:6::/home/bob:/bin/sh\n"
	    "bob:x:7:7::/home/bob2:/bin/sh\n"
	    "bo:x:8:8::/:/bin/sh\n"
	    "last:x:9:9::/home/last:/bin/sh");

	ck_assert_int_eq(lookup(p, "evil", 0, &u), 0);
	ck_assert_int_eq(lookup(p, NULL, 0, &u), 0);
	/* The first well-formed line wins; a malformed one is skipped. */
	ck_assert_int_eq(lookup(p, "bob", 0, &u), 1);
	ck_assert_uint_eq(u.ent.uid, 6);
	ck_assert_str_eq(u.ent.home, "/home/bob");
	ck_assert_int_eq(lookup(p, NULL, 7, &u), 1);
	ck_assert_str_eq(u.ent.name, "bob");
	ck_assert_int_eq(lookup(p, "b", 0, &u), 0);
	ck_assert_int_eq(lookup(p, "bo", 0, &u), 1);
	ck_assert_uint_eq(u.ent.uid, 8);
	/* A last line without a newline is read whole. */
	ck_assert_int_eq(lookup(p, "last", 0, &u), 1);
	ck_assert_str_eq(u.ent.shell, "/bin/sh");
}
END_TEST

/*
 * Lookups by uid, which refuse most lines by a glance at the uid field:
 * every line the full parse accepts must still be found.
 */
static const struct {
	const char *text;
	uid_t uid;
	const char *name;	/* the entry found, or NULL for none */
} uid_cases[] = {
	{ "a:x:9031:1::/:/\n", 9031, "a" },
	{ "a:x:0009031:1::/:/\n", 9031, "a" },
	{ "a:x:0:0::/:/\n", 0, "a" },
	{ "a:x:0000:0::/:/\n", 0, "a" },
	{ "a:x:00:0::/:/\nb:x:1:0::/:/\n", 1, "b" },
	{ "a:x:90310:1::/:/\nb:x:9031:1::/:/\n", 9031, "b" },
	{ "a:x:903:1::/:/\nb:x:9031:1::/:/\n", 9031, "b" },
	{ "a:x:1:9031::/:/\n", 9031, NULL },
	{ "a:9031:1:1::/:/\n", 9031, NULL },
	{ "a:a-long-password-field:77:1::/:/\n", 77, "a" },
	{ "a::77:1::/:/\n", 77, "a" },
	{ "a:x:77:1::/:/", 77, "a" },
	{ "a:x:77", 77, NULL },
	{ "a:x", 0, NULL },
	{ "a", 0, NULL },
	{ "a:x:", 0, NULL },
	{ "a:x:077x:1::/:/\nb:x:77:1::/:/\n", 77, "b" },
	{ "a:x:4294967294:1::/:/\n", 4294967294u, "a" },
	{ "a:x:4294967295:1::/:/\n", 4294967295u, NULL },
	{ "a:x:77:1:/:/\n", 77, NULL },
};

START_TEST(test_find_user_by_uid)
{
	const char *p = make_text("passwd", uid_cases[_i].text);
	int r = lookup(p, NULL, uid_cases[_i].uid, &u);

	ck_assert_int_eq(r, uid_cases[_i].name != NULL);
	if (r == 1) {
		ck_assert_str_eq(u.ent.name, uid_cases[_i].name);
		ck_assert_uint_eq(u.ent.uid, uid_cases[_i].uid);
	}
}
END_TEST

START_TEST(test_find_user_long_lines)
{
	size_t big = 1 << 20, n;
	char *text = malloc(big + 200);
	const char *p;

	ck_assert_ptr_nonnull(text);
	/* A 1 MiB line whose start looks like the wanted entry. */
	n = (size_t)sprintf(text, "ann:x:1:1::/:");
	memset(text + n, 'A', big);
	n += big;
	n += (size_t)sprintf(text + n, "\nann:x:2:2::/home/ann:/bin/sh\n");
	p = make_file("passwd", text, n);
	ck_assert_int_eq(lookup(p, "ann", 0, &u), 1);
	ck_assert_uint_eq(u.ent.uid, 2);
	/* The longest line that still counts. */
	n = (size_t)sprintf(text, "max:x:3:3::/:");
	memset(text + n, 's', LINE_MAX_LEN - n);
	p = make_file("passwd", text, LINE_MAX_LEN);
	ck_assert_int_eq(lookup(p, "max", 0, &u), 1);
	p = make_file("passwd", text, LINE_MAX_LEN + 1);
	memset(text + LINE_MAX_LEN, 's', 1);
	ck_assert_int_eq(lookup(p, "max", 0, &u), 0);
	free(text);
}
END_TEST

START_TEST(test_find_user_nul_and_missing)
{
	static const char text[] = "nul:x:1:1::/\0:/bin/sh\nok:x:2:2::/:/\n";
	const char *p = make_file("passwd", text, sizeof(text) - 1);

	ck_assert_int_eq(lookup(p, "nul", 0, &u), 0);
	ck_assert_int_eq(lookup(p, "ok", 0, &u), 1);
	/* A missing file reads as an empty one. */
	ck_assert_int_eq(lookup("/nonexistent/passwd", "ok", 0, &u), 0);
}
END_TEST

START_TEST(test_find_user_name_with_colon)
{
	const char *p = make_text("passwd", "a:x:5:5::/:/bin/sh\n");

	/* Only the whole name field matches, never a prefix of the line. */
	ck_assert_int_eq(lookup(p, "a:x", 0, &u), 0);
	ck_assert_int_eq(lookup(p, "a:x:5", 0, &u), 0);
	ck_assert_int_eq(lookup(p, "a", 0, &u), 1);
}
END_TEST

/* A string literal and its length, NULs and all. */
#define BYTES(s)	s, sizeof(s) - 1

/*
 * A name is taken by every line whose first field it is, well formed or
 * not, though only a well-formed line is found as an entry.
 */
static const struct {
	const char *text;
	size_t len;
	const char *name;
	int taken;
	int found;
} taken_cases[] = {
	{ BYTES("a:x:1:1::/:/\nping:x:7:7::/:/\n"), "ping", 1, 1 },
	{ BYTES("a:x:1:1::/:/\nping:x:7:7::/:/\n"), "pin", 0, 0 },
	{ BYTES("a:x:1:1::/:/\nping:x:7:7::/:/\n"), "pingu", 0, 0 },
	{ BYTES("ping:x:abc:1::/:/bin/sh\n"), "ping", 1, 0 },
	{ BYTES("ping:x::1::/:/bin/sh\n"), "ping", 1, 0 },
	{ BYTES("ping:x:1:1\n"), "ping", 1, 0 },
	{ BYTES("ping:x:1:1::/:/bin/sh:extra\n"), "ping", 1, 0 },
	{ BYTES("ping:\n"), "ping", 1, 0 },
	{ BYTES("ping\n"), "ping", 1, 0 },
	{ BYTES("ping"), "ping", 1, 0 },
	{ BYTES("ping:x:1:1::/\0:/bin/sh\n"), "ping", 1, 0 },
	{ BYTES("ping:x:1:1::/:/bin/sh\r\n"), "ping", 1, 0 },
	{ BYTES("ping\r:x:1:1::/:/bin/sh\n"), "ping", 0, 0 },
	{ BYTES("pi\0ng:x:1:1::/:/bin/sh\n"), "ping", 0, 0 },
	{ BYTES("pin:x:1:1::/:/\nxping:x:2:2::/:/\n"), "ping", 0, 0 },
	{ BYTES(":x:1:1::/:/\n\n"), "ping", 0, 0 },
	{ BYTES("bad:x:\nping:x:7:7::/:/"), "ping", 1, 1 },
	/* A name with a ':' is no line's first field. */
	{ BYTES("a:x:5:5::/:/bin/sh\n"), "a:x", 0, 0 },
	{ BYTES("a:x:5:5::/:/bin/sh\n"), "a", 1, 1 },
	{ BYTES(""), "ping", 0, 0 },
};

START_TEST(test_name_taken)
{
	const char *p = make_file("passwd", taken_cases[_i].text,
	    taken_cases[_i].len);
	int fd = open_db(p);

	ck_assert_int_ne(fd, -1);
	ck_assert_msg(name_taken(fd, taken_cases[_i].name) ==
	    taken_cases[_i].taken, "'%s' in case %d", taken_cases[_i].name,
	    _i);
	close(fd);
	ck_assert_int_eq(lookup(p, taken_cases[_i].name, 0, &u),
	    taken_cases[_i].found);
}
END_TEST

START_TEST(test_name_taken_limits)
{
	size_t n;
	char *text = malloc(LINE_MAX_LEN + 64);
	const char *p;
	int fd;

	ck_assert_ptr_nonnull(text);
	/* The longest line that is read takes its name... */
	n = (size_t)sprintf(text, "max:x:bad:");
	memset(text + n, 's', LINE_MAX_LEN - n);
	text[LINE_MAX_LEN] = '\n';
	p = make_file("passwd", text, LINE_MAX_LEN + 1);
	fd = open_db(p);
	ck_assert_int_eq(name_taken(fd, "max"), 1);
	close(fd);
	/* ...and one byte more is not read at all. */
	memset(text + LINE_MAX_LEN, 's', 1);
	text[LINE_MAX_LEN + 1] = '\n';
	p = make_file("passwd", text, LINE_MAX_LEN + 2);
	fd = open_db(p);
	ck_assert_int_eq(name_taken(fd, "max"), 0);
	close(fd);
	free(text);
	/* A missing file takes no name; one that cannot be read fails. */
	fd = open_db("/nonexistent/passwd");
	ck_assert_int_eq(name_taken(fd, "ping"), 0);
	close(fd);
	fd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(name_taken(fd, "ping"), SCAN_FAILED);
	close(fd);
}
END_TEST

START_TEST(test_query_groups)
{
	const char *p = make_text("group",
	    "root:x:0:\nstaff:x:50:alice,bob\nbad:x::alice\n"
	    "dev:x:60:carol,alice\nalice:x:1000:\nstaff:x:51:alice");
	gid_t groups[8];
	struct group_query q = {
		.name = "dev", .member = "alice",
		.taken_names = { "identity", "alice" },
		.groups = groups, .max_groups = 8,
	};
	int fd = open_db(p);

	ck_assert_int_eq(query_groups(fd, &q), 0);
	ck_assert_int_eq(q.name_found, 1);
	ck_assert_uint_eq(q.gid, 60);
	ck_assert_int_eq(q.taken[0], 0);
	ck_assert_int_eq(q.taken[1], 1);
	ck_assert_uint_eq(q.ngroups, 3);
	ck_assert_uint_eq(groups[0], 50);
	ck_assert_uint_eq(groups[1], 51);
	ck_assert_uint_eq(groups[2], 60);
	q = (struct group_query){ .gid = 1000 };
	ck_assert_int_eq(query_groups(fd, &q), 0);
	ck_assert_int_eq(q.gid_found, 1);
	q = (struct group_query){ .gid = 1001 };
	ck_assert_int_eq(query_groups(fd, &q), 0);
	ck_assert_int_eq(q.gid_found, 0);
	close(fd);
}
END_TEST

/*
 * The same rule for groups, with the rest of the query still answered
 * from well-formed lines only: the group's gid and the member's groups.
 */
static const struct {
	const char *text;
	size_t len;
	const char *name;
	int taken;
	int found;
	size_t ngroups;		/* groups that list "m" */
} group_taken_cases[] = {
	{ BYTES("identity:x:9999:m\n"), "identity", 1, 1, 1 },
	{ BYTES("identity:x:bad:m\n"), "identity", 1, 0, 0 },
	{ BYTES("identity:x::m\n"), "identity", 1, 0, 0 },
	{ BYTES("identity:x:1\n"), "identity", 1, 0, 0 },
	{ BYTES("identity:x:1:m:extra\n"), "identity", 1, 0, 0 },
	{ BYTES("identity\n"), "identity", 1, 0, 0 },
	{ BYTES("identity:x:1:m\r\n"), "identity", 1, 0, 0 },
	{ BYTES("identity:x:1:\0\ng:x:2:m\n"), "identity", 1, 0, 1 },
	{ BYTES("identit:x:1:m\nidentity2:x:2:m\n"), "identity", 0, 0, 2 },
	{ BYTES("identity:x:bad:m\nidentity:x:7:m\n"), "identity", 1, 1, 1 },
	{ BYTES("g:x:1:m\n"), "g:x", 0, 0, 1 },
};

START_TEST(test_query_groups_taken)
{
	const char *p = make_file("group", group_taken_cases[_i].text,
	    group_taken_cases[_i].len);
	gid_t groups[4];
	struct group_query q = {
		.name = group_taken_cases[_i].name, .member = "m",
		.taken_names = { "absent", group_taken_cases[_i].name },
		.groups = groups, .max_groups = 4,
	};
	int fd = open_db(p);

	ck_assert_int_eq(query_groups(fd, &q), 0);
	ck_assert_int_eq(q.taken[0], 0);
	ck_assert_msg(q.taken[1] == group_taken_cases[_i].taken, "case %d",
	    _i);
	ck_assert_int_eq(q.name_found, group_taken_cases[_i].found);
	ck_assert_uint_eq(q.ngroups, group_taken_cases[_i].ngroups);
	close(fd);
}
END_TEST

START_TEST(test_query_groups_full)
{
	const char *p = make_text("group", "a:x:1:u\nb:x:2:u\nc:x:3:u\n");
	gid_t groups[2];
	struct group_query q = { .member = "u", .groups = groups,
	    .max_groups = 2 };
	int fd = open_db(p);

	ck_assert_int_eq(query_groups(fd, &q), SCAN_FAILED);
	close(fd);
}
END_TEST

static const struct {
	const char *name, *home, *shell;
	unsigned int uid, gid;
	const char *want;
} pw_entry_cases[] = {
	{ "ping", "/home/ping", "/sbin/nologin", 9031, 9999,
	    "ping:x:9031:9999::/home/ping:/sbin/nologin" },
	{ "u0", "/", "/sbin/nologin", 0, 0, "u0:x:0:0::/:/sbin/nologin" },
	{ "a", "/", "/", 4294967294u, 4294967294u,
	    "a:x:4294967294:4294967294::/:/" },
	{ "a:0", "/", "/", 1, 1, NULL },
	{ "a\nroot", "/", "/", 1, 1, NULL },
	{ "", "/", "/", 1, 1, NULL },
	{ "a", "/x:0", "/", 1, 1, NULL },
	{ "a", "/x\n", "/", 1, 1, NULL },
	{ "a", "/", "/bin/sh\nroot::0:0::/:/bin/sh", 1, 1, NULL },
	{ "a", "/", "/", 4294967295u, 1, NULL },
};

START_TEST(test_format_pw_entry)
{
	char buf[ENTRY_MAX];
	int r = format_pw_entry(buf, sizeof(buf), pw_entry_cases[_i].name,
	    pw_entry_cases[_i].uid, pw_entry_cases[_i].gid,
	    pw_entry_cases[_i].home, pw_entry_cases[_i].shell);

	if (pw_entry_cases[_i].want == NULL) {
		ck_assert_int_eq(r, -1);
		return;
	}
	ck_assert_int_eq(r, (int)strlen(pw_entry_cases[_i].want));
	ck_assert_str_eq(buf, pw_entry_cases[_i].want);
}
END_TEST

START_TEST(test_format_gr_entry)
{
	char buf[ENTRY_MAX];

	ck_assert_int_eq(format_gr_entry(buf, sizeof(buf), "identity", 9999),
	    16);
	ck_assert_str_eq(buf, "identity:x:9999:");
	ck_assert_int_eq(format_gr_entry(buf, sizeof(buf), "x:1:", 1), -1);
	ck_assert_int_eq(format_gr_entry(buf, sizeof(buf), "x", 4294967295u),
	    -1);
	ck_assert_int_eq(format_gr_entry(buf, 4, "identity", 9999), -1);
}
END_TEST

static enum append_result
always_write(int fd, void *arg)
{
	(void)fd;
	(void)arg;
	return APPEND_DONE;
}

/* Present when the file already has a line with this uid. */
static enum append_result
unless_uid(int fd, void *arg)
{
	static struct user found;
	int r = find_user(fd, NULL, *(uid_t *)arg, &found);

	return r == 1 ? APPEND_PRESENT : r == 0 ? APPEND_DONE : APPEND_FAILED;
}

static const struct {
	const char *before;
	const char *after;
} append_cases[] = {
	{ "", "n:x:5:5::/:/\n" },
	{ "a:x:1:1::/:/\n", "a:x:1:1::/:/\nn:x:5:5::/:/\n" },
	{ "a:x:1:1::/:/", "a:x:1:1::/:/\nn:x:5:5::/:/\n" },
	{ "n:x:5:5::/:/\n", "n:x:5:5::/:/\n" },
	{ "n:x:5:5::/:/", "n:x:5:5::/:/" },
	{ "bad:x::5::/:/\n", "bad:x::5::/:/\nn:x:5:5::/:/\n" },
};

START_TEST(test_append_entry)
{
	const char *p = make_text("passwd", append_cases[_i].before);
	uid_t uid = 5;
	enum append_result r;
	int i;

	/* Once or twice, the result is the same: the entry is written once. */
	for (i = 0; i < 2; i++) {
		r = append_entry(p, "n:x:5:5::/:/", unless_uid, &uid, 0);
		ck_assert_int_eq(r, i == 0 && strcmp(append_cases[_i].before,
		    append_cases[_i].after) ? APPEND_DONE : APPEND_PRESENT);
		ck_assert_str_eq(read_all(p, NULL), append_cases[_i].after);
	}
}
END_TEST

/*
 * Appends under a file size limit, in a child: Check writes its own
 * records to a file too, and the limit must not reach those.
 */
static int
append_limited(const char *path, const char *line, rlim_t limit)
{
	struct rlimit lim = { limit, limit };
	int status;
	pid_t pid = fork();

	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (setrlimit(RLIMIT_FSIZE, &lim) == -1)
			_exit(100);
		if (append_entry(path, line, always_write, NULL, 0) !=
		    APPEND_FAILED)
			_exit(101);
		_exit(errno == ENOSPC || errno == EFBIG ? 0 : 102);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

START_TEST(test_append_short_write_rolls_back)
{
	static const char before[] = "a:x:1:1::/:/bin/sh";
	const char *p = make_text("passwd", before);
	size_t len;
	char *now;

	/* Room for part of the line: a short write, undone. */
	ck_assert_int_eq(append_limited(p, "n:x:5:5::/:/sbin/nologin",
	    sizeof(before) + 4), 0);
	now = read_all(p, &len);
	ck_assert_uint_eq(len, sizeof(before) - 1);
	ck_assert_str_eq(now, before);
	/* No room at all: the write fails outright and no signal kills us. */
	ck_assert_int_eq(append_limited(p, "n:x:5:5::/:/", sizeof(before) - 1),
	    0);
	ck_assert_str_eq(read_all(p, NULL), before);
}
END_TEST

/*
 * Stands in for libc's fstat in this program: when armed, another
 * appender, one that takes no lock, adds its line right after
 * append_entry() has read the size and before it writes, which is where
 * passwd.c calls fstat.
 */
static const char *foreign_path, *foreign_line;

int
fstat(int fd, struct stat *st)
{
	int r = fstatat(fd, "", st, AT_EMPTY_PATH), other;

	if (r == 0 && foreign_line) {
		other = open(foreign_path, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (other != -1) {
			(void)!write(other, foreign_line, strlen(foreign_line));
			close(other);
		}
		foreign_line = NULL;
	}
	return r;
}

/* Room for part of our line, or for none of it, once the other's is in. */
static const size_t foreign_cases[] = { 4, 0 };

START_TEST(test_append_undo_keeps_foreign_line)
{
	static const char before[] = "a:x:1:1::/:/bin/sh\n";
	static const char other[] = "f:x:2:2::/:/\n";
	const char *p = make_text("passwd", before);
	char want[64];

	snprintf(want, sizeof(want), "%s%s", before, other);
	foreign_path = p;
	foreign_line = other;
	/* Only our own bytes are cut: the other's line stays. */
	ck_assert_int_eq(append_limited(p, "n:x:5:5::/:/sbin/nologin",
	    strlen(want) + foreign_cases[_i]), 0);
	foreign_line = NULL;
	ck_assert_str_eq(read_all(p, NULL), want);
}
END_TEST

START_TEST(test_append_busy_and_missing)
{
	const char *p = make_text("group", "g:x:1:\n");
	int holder = open(p, O_RDONLY);

	ck_assert_int_eq(flock(holder, LOCK_EX), 0);
	ck_assert_int_eq(append_entry(p, "n:x:5:", always_write, NULL, 30),
	    APPEND_BUSY);
	ck_assert_str_eq(read_all(p, NULL), "g:x:1:\n");
	close(holder);
	ck_assert_int_eq(append_entry(p, "n:x:5:", always_write, NULL, 30),
	    APPEND_DONE);
	ck_assert_int_eq(append_entry("/nonexistent/group", "n:x:5:",
	    always_write, NULL, 0), APPEND_FAILED);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

#define TABLE(tc, fn, cases) \
	tcase_add_loop_test(tc, fn, 0, sizeof(cases) / sizeof(*cases))

static Suite *
passwd_suite(void)
{
	Suite *s = suite_create("passwd");
	TCase *parse = tcase_create("parse");
	TCase *files = tcase_create("files");

	TABLE(parse, test_parse_id, id_cases);
	TABLE(parse, test_valid_name, name_cases);
	TABLE(parse, test_parse_pw_line, pw_cases);
	tcase_add_test(parse, test_parse_pw_fields);
	TABLE(parse, test_parse_gr_line, gr_cases);
	TABLE(parse, test_lists_member, member_cases);
	tcase_add_test(parse, test_add_group_id);
	TABLE(parse, test_format_pw_entry, pw_entry_cases);
	tcase_add_test(parse, test_format_gr_entry);
	suite_add_tcase(s, parse);

	tcase_add_checked_fixture(files, setup, teardown);
	tcase_add_test(files, test_find_user_strict);
	TABLE(files, test_find_user_by_uid, uid_cases);
	tcase_add_test(files, test_find_user_long_lines);
	tcase_add_test(files, test_find_user_nul_and_missing);
	tcase_add_test(files, test_find_user_name_with_colon);
	TABLE(files, test_name_taken, taken_cases);
	tcase_add_test(files, test_name_taken_limits);
	tcase_add_test(files, test_query_groups);
	TABLE(files, test_query_groups_taken, group_taken_cases);
	tcase_add_test(files, test_query_groups_full);
	TABLE(files, test_append_entry, append_cases);
	tcase_add_test(files, test_append_short_write_rolls_back);
	TABLE(files, test_append_undo_keeps_foreign_line, foreign_cases);
	tcase_add_test(files, test_append_busy_and_missing);
	suite_add_tcase(s, files);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(passwd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
