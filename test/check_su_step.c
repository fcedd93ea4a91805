/* SPDX-License-Identifier: MIT */
/* check_su_step.c - unit tests of the command line, spec and resolution */

#include <check.h>
#include <stdio.h>

/* The program's own file, without its main: its statics are tested here. */
#include "su-step.c"

#define NONE	((const char *)0)

static char tmpdir[] = "/tmp/check_su_step.XXXXXX";
static char stderr_path[300];
static int saved_stderr = -1;

/* Sends stderr to a file, so a test can read what su-step said. */
static void
capture_stderr(void)
{
	int fd;

	snprintf(stderr_path, sizeof(stderr_path), "/tmp/check_su_step.%d",
	    (int)getpid());
	fd = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

static const char *
captured(void)
{
	static char buf[1024];
	int fd = open(stderr_path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	unlink(stderr_path);
	return buf;
}

static const struct {
	const char *spec;
	int ok;
	enum part_kind user;
	unsigned int uid;
	const char *user_name;
	enum part_kind group;
	unsigned int gid;
	const char *group_name;
} spec_cases[] = {
	{ "nobody", 1, PART_NAME, 0, "nobody", PART_DEFAULT, 0, NONE },
	{ "1000", 1, PART_ID, 1000, NONE, PART_DEFAULT, 0, NONE },
	{ "1000:50", 1, PART_ID, 1000, NONE, PART_ID, 50, NONE },
	{ "9031:9999", 1, PART_ID, 9031, NONE, PART_ID, 9999, NONE },
	{ "a:staff", 1, PART_NAME, 0, "a", PART_NAME, 0, "staff" },
	{ "a:50", 1, PART_NAME, 0, "a", PART_ID, 50, NONE },
	{ ":50", 1, PART_DEFAULT, 0, NONE, PART_ID, 50, NONE },
	{ ":staff", 1, PART_DEFAULT, 0, NONE, PART_NAME, 0, "staff" },
	{ "a:", 1, PART_NAME, 0, "a", PART_DEFAULT, 0, NONE },
	{ ":", 1, PART_DEFAULT, 0, NONE, PART_DEFAULT, 0, NONE },
	{ "", 1, PART_DEFAULT, 0, NONE, PART_DEFAULT, 0, NONE },
	{ "0:0", 1, PART_ID, 0, NONE, PART_ID, 0, NONE },
	{ "0004294967294", 1, PART_ID, 4294967294u, NONE, PART_DEFAULT, 0,
	    NONE },
	{ "host$", 1, PART_NAME, 0, "host$", PART_DEFAULT, 0, NONE },
	{ "1:2:3", 0, 0, 0, NONE, 0, 0, NONE },
	{ "::", 0, 0, 0, NONE, 0, 0, NONE },
	{ "a::", 0, 0, 0, NONE, 0, 0, NONE },
	{ " 1000", 0, 0, 0, NONE, 0, 0, NONE },
	{ "1000 ", 0, 0, 0, NONE, 0, 0, NONE },
	{ "+1000", 0, 0, 0, NONE, 0, 0, NONE },
	{ "-1", 0, 0, 0, NONE, 0, 0, NONE },
	{ "0x10", 0, 0, 0, NONE, 0, 0, NONE },
	{ "4294967295", 0, 0, 0, NONE, 0, 0, NONE },
	{ "4294967296", 0, 0, 0, NONE, 0, 0, NONE },
	{ "18446744073709551616", 0, 0, 0, NONE, 0, 0, NONE },
	{ "1000:4294967296", 0, 0, 0, NONE, 0, 0, NONE },
	{ "1000:-1", 0, 0, 0, NONE, 0, 0, NONE },
	{ "a b", 0, 0, 0, NONE, 0, 0, NONE },
	{ "a:b c", 0, 0, 0, NONE, 0, 0, NONE },
	{ "a/b", 0, 0, 0, NONE, 0, 0, NONE },
	{ "root\n", 0, 0, 0, NONE, 0, 0, NONE },
	{ ".x", 0, 0, 0, NONE, 0, 0, NONE },
	{ "abcdefghijklmnopqrstuvwxyz0123456", 0, 0, 0, NONE, 0, 0, NONE },
	{ "ho$st", 0, 0, 0, NONE, 0, 0, NONE },
	{ "1,2", 0, 0, 0, NONE, 0, 0, NONE },
	{ "1.0", 0, 0, 0, NONE, 0, 0, NONE },
	{ "1e3", 0, 0, 0, NONE, 0, 0, NONE },
	{ "_x.y-z", 1, PART_NAME, 0, "_x.y-z", PART_DEFAULT, 0, NONE },
};

START_TEST(test_parse_spec)
{
	static struct spec sp;
	const char *msg;
	int r;

	capture_stderr();
	r = parse_spec(spec_cases[_i].spec, &sp);
	msg = captured();
	ck_assert_msg((r == 0) == spec_cases[_i].ok, "'%s'",
	    spec_cases[_i].spec);
	if (r == -1) {
		/* The message names what was wrong. */
		ck_assert_msg(strncmp(msg, "su-step: ", 9) == 0, "%s", msg);
		ck_assert_msg(strstr(msg, "'") != NULL, "%s", msg);
		return;
	}
	ck_assert_str_eq(msg, "");
	ck_assert_int_eq(sp.user.kind, spec_cases[_i].user);
	ck_assert_int_eq(sp.group.kind, spec_cases[_i].group);
	if (sp.user.kind == PART_ID)
		ck_assert_uint_eq(sp.user.id, spec_cases[_i].uid);
	if (sp.user.kind == PART_NAME)
		ck_assert_str_eq(sp.user.name, spec_cases[_i].user_name);
	if (sp.group.kind == PART_ID)
		ck_assert_uint_eq(sp.group.id, spec_cases[_i].gid);
	if (sp.group.kind == PART_NAME)
		ck_assert_str_eq(sp.group.name, spec_cases[_i].group_name);
}
END_TEST

START_TEST(test_parse_spec_long)
{
	static struct spec sp;
	static char spec[5000 + 8];
	const char *msg;

	/* Any count of leading zeros: only the value counts. */
	memset(spec, '0', 5000);
	strcpy(spec + 5000, "1000:07");
	ck_assert_int_eq(parse_spec(spec, &sp), 0);
	ck_assert_uint_eq(sp.user.id, 1000);
	ck_assert_uint_eq(sp.group.id, 7);
	/* A long run of significant digits is out of range, and said so. */
	memset(spec, '9', 5000);
	capture_stderr();
	ck_assert_int_eq(parse_spec(spec, &sp), -1);
	msg = captured();
	ck_assert_ptr_nonnull(strstr(msg, "not a number"));
	ck_assert_uint_lt(strlen(msg), 120);
	/* So is a long name, cut short in the message. */
	memset(spec, 'a', 5000);
	spec[5000] = '\0';
	capture_stderr();
	ck_assert_int_eq(parse_spec(spec, &sp), -1);
	ck_assert_ptr_nonnull(strstr(captured(), "aaa...'"));
}
END_TEST

static const struct {
	const char *uid, *gid, *priv, *uname, *gname;
	int ok;
	unsigned int want_uid, want_gid;
	int privileged;
	const char *bad;	/* the input the message must name */
} env_cases[] = {
	{ NONE, NONE, NONE, NONE, NONE, 1, 9031, 9999, 0, NONE },
	{ "", "", "", "", "", 1, 9031, 9999, 0, NONE },
	{ "1000", "100", NONE, NONE, NONE, 1, 1000, 100, 0, NONE },
	{ "0", "0", NONE, NONE, NONE, 1, 0, 0, 0, NONE },
	{ NONE, NONE, "true", NONE, NONE, 1, 9031, 9999, 1, NONE },
	{ NONE, NONE, "TRUE", NONE, NONE, 1, 9031, 9999, 1, NONE },
	{ NONE, NONE, "Yes", NONE, NONE, 1, 9031, 9999, 1, NONE },
	{ NONE, NONE, "1", NONE, NONE, 1, 9031, 9999, 1, NONE },
	{ NONE, NONE, "false", NONE, NONE, 1, 9031, 9999, 0, NONE },
	{ NONE, NONE, "NO", NONE, NONE, 1, 9031, 9999, 0, NONE },
	{ NONE, NONE, "0", NONE, NONE, 1, 9031, 9999, 0, NONE },
	{ NONE, NONE, "on", NONE, NONE, 0, 0, 0, 0, "on" },
	{ NONE, NONE, " true", NONE, NONE, 0, 0, 0, 0, " true" },
	{ NONE, NONE, "2", NONE, NONE, 0, 0, 0, 0, "2" },
	{ "abc", NONE, NONE, NONE, NONE, 0, 0, 0, 0, "abc" },
	{ "-1", NONE, NONE, NONE, NONE, 0, 0, 0, 0, "-1" },
	{ "4294967295", NONE, NONE, NONE, NONE, 0, 0, 0, 0, "4294967295" },
	{ NONE, "9999 ", NONE, NONE, NONE, 0, 0, 0, 0, "9999 " },
	{ NONE, "0x270f", NONE, NONE, NONE, 0, 0, 0, 0, "0x270f" },
	{ NONE, NONE, NONE, "a:b", NONE, 0, 0, 0, 0, "a:b" },
	{ NONE, NONE, NONE, "-x", NONE, 0, 0, 0, 0, "-x" },
	{ NONE, NONE, NONE, "x$", NONE, 0, 0, 0, 0, "x$" },
	{ NONE, NONE, NONE, NONE, "g\nroot", 0, 0, 0, 0, "root" },
	{ NONE, NONE, NONE, NONE, "123", 0, 0, 0, 0, "123" },
};

START_TEST(test_parse_defaults)
{
	struct defaults d;
	const char *msg;
	int r;

	capture_stderr();
	r = parse_defaults(env_cases[_i].uid, env_cases[_i].gid,
	    env_cases[_i].priv, env_cases[_i].uname, env_cases[_i].gname, &d);
	msg = captured();
	ck_assert_int_eq(r == 0, env_cases[_i].ok);
	if (r == -1) {
		ck_assert_ptr_nonnull(strstr(msg, env_cases[_i].bad));
		ck_assert_ptr_nonnull(strstr(msg, "PING_CONTAINER_"));
		return;
	}
	ck_assert_uint_eq(d.uid, env_cases[_i].want_uid);
	ck_assert_uint_eq(d.gid, env_cases[_i].want_gid);
	ck_assert_int_eq(d.privileged, env_cases[_i].privileged);
}
END_TEST

#define ARGS_MAX 8

static const struct {
	const char *argv[ARGS_MAX];
	int ok;
	const char *spec;
	const char *command;	/* the first word of the command */
	int nown;
	int dry_run, verbose;
} args_cases[] = {
	{ { "su-step", "nobody", "id" }, 1, "nobody", "id", 0, 0, 0 },
	{ { "su-step", "", "id" }, 1, "", "id", 0, 0, 0 },
	{ { "su-step", "-nv", ":", "id" }, 1, ":", "id", 0, 1, 1 },
	{ { "su-step", "--own", "/a", "--own=/b", "u", "x" }, 1, "u", "x", 2,
	    0, 0 },
	{ { "su-step", "--", "-u", "x" }, 1, "-u", "x", 0, 0, 0 },
	{ { "su-step", "u", "--own", "x" }, 1, "u", "--own", 0, 0, 0 },
	{ { "su-step", "u", "-n" }, 1, "u", "-n", 0, 0, 0 },
	{ { "su-step", "-", "x" }, 1, "-", "x", 0, 0, 0 },
	{ { "su-step", "--dry-run", "--verbose", "u", "x" }, 1, "u", "x", 0,
	    1, 1 },
	{ { "su-step", "-h" }, 1, NONE, NONE, 0, 0, 0 },
	{ { "su-step", "--version" }, 1, NONE, NONE, 0, 0, 0 },
	{ { "su-step" }, 0, NONE, NONE, 0, 0, 0 },
	{ { "su-step", "nobody" }, 0, NONE, NONE, 0, 0, 0 },
	{ { "su-step", "-x", "u", "id" }, 0, NONE, NONE, 0, 0, 0 },
	{ { "su-step", "--frob", "u", "id" }, 0, NONE, NONE, 0, 0, 0 },
	{ { "su-step", "--own" }, 0, NONE, NONE, 0, 0, 0 },
	{ { "su-step", "--ownx", "u", "id" }, 0, NONE, NONE, 0, 0, 0 },
	{ { "su-step", "--" }, 0, NONE, NONE, 0, 0, 0 },
};

START_TEST(test_parse_args)
{
	char *argv[ARGS_MAX + 1] = { 0 };
	static struct options o;
	int argc, r;

	for (argc = 0; args_cases[_i].argv[argc]; argc++)
		argv[argc] = (char *)args_cases[_i].argv[argc];
	capture_stderr();
	r = parse_args(argc, argv, &o);
	captured();
	ck_assert_int_eq(r == 0, args_cases[_i].ok);
	if (r == -1 || o.help || o.version)
		return;
	ck_assert_str_eq(o.spec, args_cases[_i].spec);
	ck_assert_str_eq(o.command[0], args_cases[_i].command);
	ck_assert_uint_eq(o.nown, (size_t)args_cases[_i].nown);
	ck_assert_int_eq(o.dry_run, args_cases[_i].dry_run);
	ck_assert_int_eq(o.verbose, args_cases[_i].verbose);
}
END_TEST

static const char passwd_text[] =
	"root:x:0:0:root:/root:/bin/sh\n"
	"alice:x:1000:1000::/home/alice:/bin/sh\n"
	"nohome:x:1001:1001:::/bin/sh\n"
	"ping:x:7:7::/:/bin/sh\n"
	"evil:x::0::/:/bin/sh\n";
static const char group_text[] =
	"root:x:0:\n"
	"alice:x:1000:\n"
	"staff:x:50:bob,alice\n"
	"dev:x:60:alice\n"
	"identity:x:8:\n"
	"wheel:x:10:alicex\n";

static char passwd_path[320], group_path[320];

static void
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, strlen(text)),
	    (ssize_t)strlen(text));
	close(fd);
}

static void
setup_files(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(passwd_path, sizeof(passwd_path), "%s/passwd", tmpdir);
	snprintf(group_path, sizeof(group_path), "%s/group", tmpdir);
	write_file(passwd_path, passwd_text);
	write_file(group_path, group_text);
}

static void
teardown_files(void)
{
	unlink(passwd_path);
	unlink(group_path);
	rmdir(tmpdir);
	strcpy(tmpdir + strlen(tmpdir) - 6, "XXXXXX");
}

static const struct {
	const char *spec;
	const char *env_uid, *env_gid;
	int ok;
	unsigned int uid, gid;
	const char *groups;	/* space-separated, ascending */
	const char *name;	/* NONE: no entry and none planned */
	const char *home;
	int add_user, add_group;
} resolve_cases[] = {
	{ "alice", NONE, NONE, 1, 1000, 1000, "50 60 1000", "alice",
	    "/home/alice", 0, 0 },
	{ "1000", NONE, NONE, 1, 1000, 1000, "50 60 1000", "alice",
	    "/home/alice", 0, 0 },
	{ "alice:dev", NONE, NONE, 1, 1000, 60, "60", "alice", "/home/alice",
	    0, 0 },
	{ "alice:4242", NONE, NONE, 1, 1000, 4242, "4242", "alice",
	    "/home/alice", 0, 1 },
	{ "alice:", NONE, NONE, 1, 1000, 1000, "50 60 1000", "alice",
	    "/home/alice", 0, 0 },
	{ "nohome", NONE, NONE, 1, 1001, 1001, "1001", "nohome", "/", 0, 1 },
	{ "root", NONE, NONE, 1, 0, 0, "0", "root", "/root", 0, 0 },
	{ "0", NONE, NONE, 1, 0, 0, "0", "root", "/root", 0, 0 },
	/* A uid without an entry: the default gid, never the caller's. */
	{ "4000", NONE, NONE, 1, 4000, 9999, "9999", "u4000", "/home/u4000",
	    1, 1 },
	{ "", NONE, NONE, 1, 9031, 9999, "9999", "u9031", "/home/u9031", 1,
	    1 },
	{ ":", "1000", NONE, 1, 1000, 1000, "50 60 1000", "alice",
	    "/home/alice", 0, 0 },
	{ ":", "5", "8", 1, 5, 8, "8", "u5", "/home/u5", 1, 0 },
	{ ":staff", NONE, NONE, 1, 9031, 50, "50", "u9031", "/home/u9031", 1,
	    0 },
	{ "bob", NONE, NONE, 0, 0, 0, NONE, NONE, NONE, 0, 0 },
	{ "evil", NONE, NONE, 0, 0, 0, NONE, NONE, NONE, 0, 0 },
	{ "alice:nogroup", NONE, NONE, 0, 0, 0, NONE, NONE, NONE, 0, 0 },
};

static void
format_groups(const struct target *t, char *buf)
{
	size_t i;
	char id[21];

	buf[0] = '\0';
	for (i = 0; i < t->ngroups; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, id_str(t->groups[i], id));
	}
}

START_TEST(test_resolve)
{
	static struct target t;
	static struct spec sp;
	struct defaults d;
	char groups[256];
	int r;

	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(parse_defaults(resolve_cases[_i].env_uid,
	    resolve_cases[_i].env_gid, NULL, "ping", NULL, &d), 0);
	ck_assert_int_eq(parse_spec(resolve_cases[_i].spec, &sp), 0);
	capture_stderr();
	r = resolve(&sp, &d, passwd_path, group_path, &t);
	captured();
	ck_assert_msg((r == 0) == resolve_cases[_i].ok, "'%s'",
	    resolve_cases[_i].spec);
	if (r == -1)
		return;
	ck_assert_uint_eq(t.uid, resolve_cases[_i].uid);
	ck_assert_uint_eq(t.gid, resolve_cases[_i].gid);
	format_groups(&t, groups);
	ck_assert_str_eq(groups, resolve_cases[_i].groups);
	ck_assert_str_eq(t.name, resolve_cases[_i].name);
	ck_assert_str_eq(t.home, resolve_cases[_i].home);
	ck_assert_int_eq(t.add_user, resolve_cases[_i].add_user);
	ck_assert_int_eq(t.add_group, resolve_cases[_i].add_group);
}
END_TEST

START_TEST(test_resolve_privileged_plans_nothing)
{
	static struct target t;
	static struct spec sp;
	struct defaults d;

	ck_assert_int_eq(parse_defaults(NULL, NULL, "yes", NULL, NULL, &d), 0);
	ck_assert_int_eq(parse_spec("4000", &sp), 0);
	ck_assert_int_eq(resolve(&sp, &d, passwd_path, group_path, &t), 0);
	ck_assert_int_eq(t.add_user, 0);
	ck_assert_int_eq(t.add_group, 0);
	ck_assert_uint_eq(t.gid, 9999);
}
END_TEST

START_TEST(test_resolve_missing_files)
{
	static struct target t;
	static struct spec sp;
	struct defaults d;

	ck_assert_int_eq(parse_defaults(NULL, NULL, NULL, NULL, NULL, &d), 0);
	ck_assert_int_eq(parse_spec("65534:65534", &sp), 0);
	ck_assert_int_eq(resolve(&sp, &d, "/nonexistent/passwd",
	    "/nonexistent/group", &t), 0);
	ck_assert_uint_eq(t.uid, 65534);
	ck_assert_uint_eq(t.gid, 65534);
	ck_assert_str_eq(t.name, "ping");
}
END_TEST

START_TEST(test_entries_formed)
{
	static struct target t;
	static struct spec sp;
	struct defaults d;

	ck_assert_int_eq(parse_defaults(NULL, NULL, NULL, NULL, NULL, &d), 0);
	ck_assert_int_eq(parse_spec("", &sp), 0);
	ck_assert_int_eq(resolve(&sp, &d, passwd_path, group_path, &t), 0);
	ck_assert_int_eq(format_entries(&t, t.home_path), 0);
	/* "ping" belongs to uid 7 and "identity" to gid 8. */
	ck_assert_str_eq(t.user_line,
	    "u9031:x:9031:9999::/home/u9031:/sbin/nologin");
	ck_assert_str_eq(t.group_line, "g9999:x:9999:");
}
END_TEST

static const struct {
	const char *path;
	int ok;
} own_cases[] = {
	{ "/tmp", 1 },
	{ "/", 0 },
	{ "/nonexistent/path", 0 },
	{ "", 0 },
};

START_TEST(test_check_own_paths)
{
	static struct options o;

	o.nown = 1;
	o.own[0] = own_cases[_i].path;
	capture_stderr();
	ck_assert_int_eq(check_own_paths(&o, NULL, 0) == 0, own_cases[_i].ok);
	if (!own_cases[_i].ok)
		ck_assert_ptr_nonnull(strstr(captured(), "--own"));
	else
		ck_assert_str_eq(captured(), "");
}
END_TEST

/* Both ways of chmod refuse a symbolic link and leave its target alone. */
START_TEST(test_chmod_nofollow)
{
	char dir[] = "/tmp/check_chmod.XXXXXX";
	int (*const fns[])(int, const char *, mode_t) = {
		chmod_nofollow, chmod_by_fd
	};
	struct stat st;
	int dirfd, fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = openat(dirfd, "file", O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ne(fd, -1);
	close(fd);
	ck_assert_int_eq(symlinkat("file", dirfd, "link"), 0);
	ck_assert_int_eq(fns[_i](dirfd, "link", 04777), -1);
	ck_assert_int_eq(fstatat(dirfd, "file", &st, 0), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	ck_assert_int_eq(fns[_i](dirfd, "file", 0600), 0);
	ck_assert_int_eq(fstatat(dirfd, "file", &st, 0), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	unlinkat(dirfd, "link", 0);
	unlinkat(dirfd, "file", 0);
	close(dirfd);
	rmdir(dir);
}
END_TEST

#define TABLE(tc, fn, cases) \
	tcase_add_loop_test(tc, fn, 0, sizeof(cases) / sizeof(*cases))

static Suite *
su_step_suite(void)
{
	Suite *s = suite_create("su-step");
	TCase *cli = tcase_create("command line");
	TCase *res = tcase_create("resolution");

	TABLE(cli, test_parse_spec, spec_cases);
	tcase_add_test(cli, test_parse_spec_long);
	TABLE(cli, test_parse_defaults, env_cases);
	TABLE(cli, test_parse_args, args_cases);
	TABLE(cli, test_check_own_paths, own_cases);
	tcase_add_loop_test(cli, test_chmod_nofollow, 0, 2);
	suite_add_tcase(s, cli);

	tcase_add_checked_fixture(res, setup_files, teardown_files);
	TABLE(res, test_resolve, resolve_cases);
	tcase_add_test(res, test_resolve_privileged_plans_nothing);
	tcase_add_test(res, test_resolve_missing_files);
	tcase_add_test(res, test_entries_formed);
	suite_add_tcase(s, res);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(su_step_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
