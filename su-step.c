/* SPDX-License-Identifier: MIT */
/* su-step.c - resolve USER[:GROUP], fill in missing entries, step down, exec */

/*
 * Rules this program keeps:
 * - Every input (options, spec, environment, files, --own paths) is checked
 *   before the first change: a run that fails with 125 changed nothing.
 * - Ids are dropped as setgroups, setresgid, setresuid, each checked, and
 *   the result is verified before the command runs.
 * - The command replaces su-step: same pid, nothing of ours left open.
 * - Exit 125 for our own failures, 126 and 127 for the command's exec.
 * - Nothing on stdout or stderr on success, unless asked for.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "passwd.h"

extern char **environ;

#ifdef SU_STEP_NO_MAIN
#define SU_STEP_VERSION "test"
#else
#include "version.h"
#endif

#define EXIT_OURS	125
#define EXIT_CANNOT_RUN	126
#define EXIT_NOT_FOUND	127

#define PASSWD_PATH	"/etc/passwd"
#define GROUP_PATH	"/etc/group"
#define HOME_BASE	"/home/"
#define NEW_SHELL	"/sbin/nologin"
#define DEFAULT_UID	9031
#define DEFAULT_GID	9999
#define DEFAULT_UNAME	"ping"
#define DEFAULT_GNAME	"identity"
#define LOCK_WAIT_MS	3000
#define OWN_MAX		64
#define PART_MAX	(NAME_MAX_LEN + 1)	/* a name and its '$' */
#define SHOWN_MAX	64		/* of a bad part, in a message */
#define PATH_MAX_LEN	4096

#define CAP_VERSION_3	0x20080522	/* two 32-bit words per set */
#define CAP_CHOWN_BIT	0
#define CAP_FOWNER_BIT	3
#define CAP_SETGID_BIT	6
#define CAP_SETUID_BIT	7
#define ENV_STATIC	1024
#define DIRENT_BUF	8192
#define OWN_DEPTH_MAX	512	/* directories below an --own path */

/*
 * The id calls are made directly: su-step has one thread, so the libc's
 * machinery to carry an id change to every thread is dead weight. Where the
 * plain calls take 16-bit ids, the 32-bit ones carry a suffix.
 */
/* The same number on every architecture; libc headers may not know it. */
#ifdef SYS_fchmodat2
#define SYS_FCHMODAT2	SYS_fchmodat2
#else
#define SYS_FCHMODAT2	452
#endif

#ifdef SYS_setresuid32
#define SYS_SETGROUPS	SYS_setgroups32
#define SYS_SETRESGID	SYS_setresgid32
#define SYS_SETRESUID	SYS_setresuid32
#else
#define SYS_SETGROUPS	SYS_setgroups
#define SYS_SETRESGID	SYS_setresgid
#define SYS_SETRESUID	SYS_setresuid
#endif

static const char usage_text[] =
"usage: su-step [OPTION]... SPEC COMMAND [ARG]...\n"
"Step down to SPEC's user and groups, then exec COMMAND in su-step's place.\n"
"\n"
"SPEC is USER, USER:GROUP, :GROUP, USER:, : or empty; USER and GROUP are a\n"
"name or a number from 0 to 4294967294. An empty USER means\n"
"$PING_CONTAINER_UID or 9031; a uid with no passwd entry gets the group\n"
"$PING_CONTAINER_GID or 9999. Missing passwd and group entries are added.\n"
"\n"
"  -n, --dry-run      print what would be done, change nothing, exit 0\n"
"  -v, --verbose      say on stderr what is changed\n"
"      --own PATH     give PATH and all under it to USER:GROUP, go-rwx;\n"
"                     also --own=PATH, and more than once\n"
"      --no-new-privs let nothing the command runs gain privileges\n"
"  -h, --help         print this help and exit\n"
"  -V, --version      print the version and exit\n"
"      --             end the options\n"
"\n"
"PING_CONTAINER_PRIVILEGED=true runs COMMAND as it is; PING_CONTAINER_UNAME\n"
"and PING_CONTAINER_GNAME name added entries (default ping, identity).\n"
"\n"
"Exit status: 125 if su-step fails, 126 if COMMAND cannot be run,\n"
"127 if it is not found, else the status of COMMAND. See su-step(1).\n";

struct options {
	int dry_run;
	int verbose;
	int no_new_privs;
	int help;
	int version;
	const char *spec;
	char **command;
	const char *own[OWN_MAX];
	size_t nown;
};

/* What the environment says, every value already checked. */
struct defaults {
	uid_t uid;
	gid_t gid;
	int privileged;
	const char *uname;
	const char *gname;
};

enum part_kind { PART_DEFAULT, PART_ID, PART_NAME };

struct part {
	enum part_kind kind;
	unsigned int id;
	const char *name;
};

struct spec {
	struct part user;
	struct part group;
	char user_buf[PART_MAX + 1];
	char group_buf[PART_MAX + 1];
};

/*
 * Who the command will run as, and what must be written for it. The large
 * arrays come last, so that the fields every run uses share a page.
 */
struct target {
	uid_t uid;
	gid_t gid;
	size_t ngroups;
	int has_entry;
	const char *name;		/* for USER and LOGNAME; NULL: none */
	const char *home;
	int add_user;
	int add_group;
	int names_taken;		/* no free name for a missing entry */
	int home_exists;
	int home_made;
	int verbose;
	const char *uname;		/* the names wanted for new entries */
	const char *gname;
	char user_name[NAME_MAX_LEN + 2];
	char group_name[NAME_MAX_LEN + 2];
	char home_path[sizeof(HOME_BASE) + NAME_MAX_LEN];
	char user_line[ENTRY_MAX];
	char group_line[ENTRY_MAX];
	struct user user;
	gid_t groups[GROUPS_MAX];
};

struct own_walk {
	uid_t uid;
	gid_t gid;
	dev_t dev;
	unsigned int depth;
	unsigned long seen;
	unsigned long changed;
	size_t len;
	char path[PATH_MAX_LEN];
};

struct cap_header {
	uint32_t version;
	int pid;
};

struct cap_data {
	uint32_t effective;
	uint32_t permitted;
	uint32_t inheritable;
};

/* A small buffered writer: no stdio is needed on any path. */
struct out {
	int fd;
	size_t len;
	char buf[1024];
};

static void
out_flush(struct out *o)
{
	size_t off = 0;
	ssize_t n;

	while (off < o->len) {
		n = write(o->fd, o->buf + off, o->len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	o->len = 0;
}

static void
out_char(struct out *o, char c)
{
	if (o->len == sizeof(o->buf))
		out_flush(o);
	o->buf[o->len++] = c;
}

static void
out_str(struct out *o, const char *s)
{
	while (*s)
		out_char(o, *s++);
}

static const char *
id_str(unsigned long id, char buf[21])
{
	char *p = buf + 20;

	*p = '\0';
	do
		*--p = (char)('0' + id % 10);
	while (id /= 10);
	return p;
}

static void
out_id(struct out *o, unsigned long id)
{
	char buf[21];

	out_str(o, id_str(id, buf));
}

/*
 * Like out_str, but a control byte is written as \xHH: a value from the
 * environment or a file must not end the line, fake a second one, or send
 * escape sequences to the terminal that shows a log.
 */
static void
out_text(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;

	for (; *s; s++) {
		c = (unsigned char)*s;
		if (c >= 0x20 && c != 0x7f) {
			out_char(o, *s);
			continue;
		}
		out_char(o, '\\');
		out_char(o, 'x');
		out_char(o, hex[c >> 4]);
		out_char(o, hex[c & 0xf]);
	}
}

/* Writes "su-step: " and the parts, up to a NULL, as one line on stderr. */
static void
say(const char *part, ...)
{
	struct out o = { .fd = 2 };
	va_list ap;

	out_str(&o, "su-step: ");
	va_start(ap, part);
	for (; part; part = va_arg(ap, const char *))
		out_text(&o, part);
	va_end(ap);
	out_str(&o, "\n");
	out_flush(&o);
}

static noreturn void
die(const char *part, const char *why)
{
	say(part, ": ", why, NULL);
	exit(EXIT_OURS);
}

/* Names the part as given, cut short when it is long. */
static int
bad_part(const char *what, const char *s, size_t len, const char *why)
{
	char shown[SHOWN_MAX + 4];
	size_t n = len > SHOWN_MAX ? SHOWN_MAX : len;

	memcpy(shown, s, n);
	strcpy(shown + n, n < len ? "..." : "");
	say(what, " '", shown, "': ", why, NULL);
	return -1;
}

/*
 * One side of the spec, len bytes at s. A number may carry any count of
 * leading zeros, since only its value counts; what is left must fit buf.
 */
static int
parse_part(const char *s, size_t len, const char *what, struct part *p,
    char buf[PART_MAX + 1])
{
	int number = len > 0 && strspn(s, "0123456789") >= len;
	size_t skip = 0;

	p->kind = PART_DEFAULT;
	if (len == 0)
		return 0;
	while (number && len - skip > 1 && s[skip] == '0')
		skip++;
	if (len - skip > PART_MAX)
		return bad_part(what, s, len, number ?
		    "not a number from 0 to 4294967294" :
		    "not a valid name or number");
	memcpy(buf, s + skip, len - skip);
	buf[len - skip] = '\0';
	if (number) {
		if (parse_id(buf, &p->id) == -1)
			return bad_part(what, s, len,
			    "not a number from 0 to 4294967294");
		p->kind = PART_ID;
		return 0;
	}
	if (!valid_name(buf, NAME_LOOKUP))
		return bad_part(what, s, len, "not a valid name or number");
	p->kind = PART_NAME;
	p->name = buf;
	return 0;
}

/* USER, USER:GROUP, :GROUP, USER:, : or the empty string. */
static int
parse_spec(const char *arg, struct spec *sp)
{
	const char *colon = strchr(arg, ':');
	size_t ulen = colon ? (size_t)(colon - arg) : strlen(arg);

	if (colon && strchr(colon + 1, ':'))
		return bad_part("spec", arg, strlen(arg), "more than one ':'");
	if (parse_part(arg, ulen, "user", &sp->user, sp->user_buf) == -1)
		return -1;
	if (colon == NULL) {
		sp->group.kind = PART_DEFAULT;
		return 0;
	}
	return parse_part(colon + 1, strlen(colon + 1), "group", &sp->group,
	    sp->group_buf);
}

static int
bad_env(const char *var, const char *value, const char *why)
{
	char what[sizeof("PING_CONTAINER_PRIVILEGED:")];

	strcpy(what, var);
	strcat(what, ":");
	return bad_part(what, value, strlen(value), why);
}

/* An id from the environment; unset or empty keeps the default. */
static int
parse_env_id(const char *var, const char *value, unsigned int *id)
{
	if (value == NULL || *value == '\0')
		return 0;
	if (parse_id(value, id) == -1)
		return bad_env(var, value, "not a number from 0 to 4294967294");
	return 0;
}

static int
parse_env_name(const char *var, const char *value, const char **name)
{
	if (value == NULL || *value == '\0')
		return 0;
	if (!valid_name(value, 0))
		return bad_env(var, value, "not a valid name (letters, digits, "
		    "'.', '_', '-'; at most 32)");
	*name = value;
	return 0;
}

static int
parse_privileged(const char *value, int *privileged)
{
	static const char *const yes[] = { "true", "yes", "1" };
	static const char *const no[] = { "false", "no", "0", "" };
	size_t i;

	*privileged = 0;
	if (value == NULL)
		return 0;
	for (i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (strcasecmp(value, yes[i]) == 0)
			return *privileged = 1, 0;
	for (i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (strcasecmp(value, no[i]) == 0)
			return 0;
	return bad_env("PING_CONTAINER_PRIVILEGED", value,
	    "not one of true, yes, 1, false, no, 0");
}

/* Takes the values as arguments so that tests can give their own. */
static int
parse_defaults(const char *uid, const char *gid, const char *privileged,
    const char *uname, const char *gname, struct defaults *d)
{
	d->uid = DEFAULT_UID;
	d->gid = DEFAULT_GID;
	d->uname = DEFAULT_UNAME;
	d->gname = DEFAULT_GNAME;
	if (parse_env_id("PING_CONTAINER_UID", uid, &d->uid) == -1 ||
	    parse_env_id("PING_CONTAINER_GID", gid, &d->gid) == -1 ||
	    parse_privileged(privileged, &d->privileged) == -1 ||
	    parse_env_name("PING_CONTAINER_UNAME", uname, &d->uname) == -1 ||
	    parse_env_name("PING_CONTAINER_GNAME", gname, &d->gname) == -1)
		return -1;
	return 0;
}

static int
take_option_value(int argc, char **argv, int *i, const char *name,
    const char **value)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		say("option '", name, "' needs a value", NULL);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

static int
parse_short(const char *arg, struct options *o)
{
	const char *c;
	char bad[2] = { 0, 0 };

	for (c = arg + 1; *c; c++) {
		switch (*c) {
		case 'h': o->help = 1; break;
		case 'V': o->version = 1; break;
		case 'n': o->dry_run = 1; break;
		case 'v': o->verbose = 1; break;
		default:
			bad[0] = *c;
			say("unknown option '-", bad, "'", NULL);
			return -1;
		}
	}
	return 0;
}

static int
parse_long(int argc, char **argv, int *i, struct options *o)
{
	const char *a = argv[*i], *value;
	int r;

	if (strcmp(a, "--help") == 0)
		o->help = 1;
	else if (strcmp(a, "--version") == 0)
		o->version = 1;
	else if (strcmp(a, "--dry-run") == 0)
		o->dry_run = 1;
	else if (strcmp(a, "--verbose") == 0)
		o->verbose = 1;
	else if (strcmp(a, "--no-new-privs") == 0)
		o->no_new_privs = 1;
	else if ((r = take_option_value(argc, argv, i, "--own", &value))) {
		if (r == -1)
			return -1;
		if (o->nown == OWN_MAX) {
			say("--own: at most 64 paths", NULL);
			return -1;
		}
		o->own[o->nown++] = value;
	} else {
		say("unknown option '", a, "'", NULL);
		return -1;
	}
	return 0;
}

/* Options come before SPEC; all after SPEC is the command, verbatim. */
static int
parse_args(int argc, char **argv, struct options *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if ((a[1] == '-' ? parse_long(argc, argv, &i, o) :
		    parse_short(a, o)) == -1)
			return -1;
	}
	if (o->help || o->version)
		return 0;
	if (i >= argc) {
		say("missing SPEC and COMMAND; try 'su-step --help'", NULL);
		return -1;
	}
	o->spec = argv[i];
	if (i + 1 >= argc) {
		say("missing COMMAND after '", argv[i], "'", NULL);
		return -1;
	}
	o->command = argv + i + 1;
	return 0;
}

/* Reports what failed on what, with the errno its call set. */
static int
fail_errno(const char *what)
{
	say(what, ": ", strerror(errno), NULL);
	return -1;
}

/* Finds the passwd entry the spec's user part names, if there is one. */
static int
resolve_user(int fd, const char *path, const struct part *user,
    const struct defaults *d, struct target *t)
{
	int r;

	t->uid = user->kind == PART_ID ? user->id : d->uid;
	r = find_user(fd, user->kind == PART_NAME ? user->name : NULL, t->uid,
	    &t->user);
	if (r == SCAN_FAILED)
		return fail_errno(path);
	if (r == 0 && user->kind == PART_NAME) {
		say("user '", user->name, "': no such user in ", path, NULL);
		return -1;
	}
	t->has_entry = r;
	if (r) {
		t->uid = t->user.ent.uid;
		t->name = t->user.ent.name;
		t->home = *t->user.ent.home ? t->user.ent.home : "/";
	} else {
		t->name = NULL;
		t->home = "/";
	}
	return 0;
}

/* Picks the first of name and "<prefix><id>" that taken[] leaves free. */
static int
pick_name(char *buf, const char *name, char prefix, unsigned int id,
    const int taken[2])
{
	char digits[21];

	if (!taken[0]) {
		strcpy(buf, name);
		return 1;
	}
	if (taken[1])
		return 0;
	buf[0] = prefix;
	strcpy(buf + 1, id_str(id, digits));
	return 1;
}

static void
fallback_name(char *buf, char prefix, unsigned int id)
{
	char digits[21];

	buf[0] = prefix;
	strcpy(buf + 1, id_str(id, digits));
}

/* The kernel takes at most GROUPS_MAX groups, the primary one included. */
static int
too_many_groups(const struct target *t, const char *path)
{
	say("user '", t->name, "': in more than 65536 groups in ", path,
	    NULL);
	return -1;
}

static int
resolve_groups(int fd, const char *path, const struct part *group,
    const struct defaults *d, struct target *t)
{
	struct group_query q = { 0 };
	char alt[NAME_MAX_LEN + 2];

	if (group->kind == PART_NAME)
		q.name = group->name;
	if (group->kind == PART_DEFAULT && t->has_entry)
		q.member = t->name;
	t->gid = group->kind == PART_ID ? group->id :
	    t->has_entry ? t->user.ent.gid : d->gid;
	fallback_name(alt, 'g', t->gid);
	q.gid = t->gid;
	q.taken_names[0] = d->gname;
	q.taken_names[1] = alt;
	q.groups = t->groups;
	q.max_groups = GROUPS_MAX;
	if (query_groups(fd, &q) == SCAN_FAILED)
		return errno == E2BIG ? too_many_groups(t, path) :
		    fail_errno(path);
	if (group->kind == PART_NAME && !q.name_found) {
		say("group '", group->name, "': no such group in ", path, NULL);
		return -1;
	}
	t->gid = q.gid;
	t->ngroups = q.member ? q.ngroups : 0;
	if (add_group_id(t->groups, &t->ngroups, GROUPS_MAX, t->gid) == -1)
		return too_many_groups(t, path);
	t->add_group = !q.gid_found &&
	    pick_name(t->group_name, d->gname, 'g', t->gid, q.taken);
	if (!q.gid_found && !t->add_group)
		t->names_taken |= 2;
	return 0;
}

/*
 * Picks the name of the passwd entry to add from what fd holds now: 1 when
 * one is free, 0 when both are taken, or SCAN_FAILED.
 */
static int
choose_user_name(int fd, struct target *t)
{
	int taken[2];
	char alt[NAME_MAX_LEN + 2];

	fallback_name(alt, 'u', t->uid);
	if ((taken[0] = name_taken(fd, t->uname)) == SCAN_FAILED ||
	    (taken[1] = name_taken(fd, alt)) == SCAN_FAILED)
		return SCAN_FAILED;
	return pick_name(t->user_name, t->uname, 'u', t->uid, taken);
}

/*
 * Plans the home of the entry to add: /home/NAME when it is the uid's
 * already or can be made, else "/". home_path stays empty when there is
 * nothing to try; a directory that is someone else's is tried, so that
 * the real run warns about it.
 */
static void
choose_home(struct target *t)
{
	struct stat st;
	int creatable;

	strcpy(t->home_path, HOME_BASE);
	strcat(t->home_path, t->user_name);
	t->home_exists = lstat(t->home_path, &st) == 0;
	/* A caller that is not root can make a home only where it may write. */
	creatable = geteuid() == 0 || access(HOME_BASE, W_OK | X_OK) == 0;
	if (t->home_exists)
		t->home = S_ISDIR(st.st_mode) && st.st_uid == t->uid ?
		    t->home_path : "/";
	else
		t->home = creatable ? t->home_path : "/";
	if (!t->home_exists && !creatable)
		t->home_path[0] = '\0';
}

/* Plans the passwd entry of a uid that has none. */
static int
plan_user(int fd, const char *path, struct target *t)
{
	int r = choose_user_name(fd, t);

	if (r == SCAN_FAILED)
		return fail_errno(path);
	t->add_user = r;
	if (!r) {
		t->names_taken |= 1;
		return 0;
	}
	t->name = t->user_name;
	choose_home(t);
	return 0;
}

static int
resolve(const struct spec *sp, const struct defaults *d,
    const char *passwd, const char *group, struct target *t)
{
	int pfd, gfd, r = -1;

	t->uname = d->uname;
	t->gname = d->gname;
	if ((pfd = open_db(passwd)) == -1)
		return fail_errno(passwd);
	if ((gfd = open_db(group)) == -1) {
		close(pfd);
		return fail_errno(group);
	}
	if (resolve_user(pfd, passwd, &sp->user, d, t) == 0 &&
	    resolve_groups(gfd, group, &sp->group, d, t) == 0 &&
	    (t->has_entry || d->privileged ||
	    plan_user(pfd, passwd, t) == 0))
		r = 0;
	close(pfd);
	close(gfd);
	/* Privileged mode writes nothing. */
	if (d->privileged)
		t->add_group = t->names_taken = 0;
	return r;
}

/* Whether the effective set holds capability cap; -1 when unknown. */
static int
has_cap(int cap)
{
	struct cap_header h = { CAP_VERSION_3, 0 };
	struct cap_data data[2];

	if (syscall(SYS_capget, &h, data) == -1)
		return -1;
	return (data[cap / 32].effective >> (cap % 32)) & 1;
}

/*
 * Why the top of an --own tree could not be made right, or NULL when it
 * is right or can be made so. Only the top is looked at: what is below is
 * found out by the walk itself.
 */
static const char *
own_refusal(const char *path, const struct stat *st, const struct target *t)
{
	int chown_needed = st->st_uid != t->uid || st->st_gid != t->gid;
	int chmod_needed = !S_ISLNK(st->st_mode) && (st->st_mode & 077);
	struct statvfs fs;

	if (!chown_needed && !chmod_needed)
		return NULL;
	if (statvfs(path, &fs) == 0 && (fs.f_flag & ST_RDONLY))
		return strerror(EROFS);
	if (geteuid() != 0)
		return st->st_uid == geteuid() ? NULL :
		    "not the caller's: only root can give it away";
	if (chown_needed && has_cap(CAP_CHOWN_BIT) == 0)
		return "no CAP_CHOWN capability";
	/* Once it is the target's, only CAP_FOWNER lets root chmod it. */
	if (chmod_needed && t->uid != 0 && has_cap(CAP_FOWNER_BIT) == 0)
		return "no CAP_FOWNER capability";
	return NULL;
}

/*
 * Every --own path must exist and none may be the root directory; unless
 * nothing is to be owned, the top of each must be one su-step can change.
 */
static int
check_own_paths(const struct options *o, const struct target *t, int check)
{
	struct stat st, root;
	const char *why;
	size_t i;

	if (o->nown > 0 && stat("/", &root) == -1)
		return fail_errno("/");
	for (i = 0; i < o->nown; i++) {
		if (lstat(o->own[i], &st) == -1) {
			say("--own ", o->own[i], ": ", strerror(errno), NULL);
			return -1;
		}
		if (st.st_dev == root.st_dev && st.st_ino == root.st_ino) {
			say("--own ", o->own[i], ": refusing to own /", NULL);
			return -1;
		}
		if (check && (why = own_refusal(o->own[i], &st, t))) {
			say("--own ", o->own[i], ": ", why, NULL);
			return -1;
		}
	}
	return 0;
}

/* "uid U", "gid G" and "groups G...", sep between them. */
static void
out_ids(struct out *o, const struct target *t, const char *sep)
{
	size_t i;

	out_str(o, "uid ");
	out_id(o, t->uid);
	out_str(o, sep);
	out_str(o, "gid ");
	out_id(o, t->gid);
	out_str(o, sep);
	out_str(o, "groups");
	for (i = 0; i < t->ngroups; i++) {
		out_str(o, " ");
		out_id(o, t->groups[i]);
	}
}

static void
print_plan(const struct options *o, const struct defaults *d,
    const struct target *t)
{
	struct out out = { .fd = 1 };
	size_t i;
	char **c;

	out_ids(&out, t, "\n");
	out_str(&out, "\nuser ");
	out_str(&out, t->name ? t->name : "-");
	out_str(&out, "\nhome ");
	out_str(&out, t->home);
	out_str(&out, d->privileged ? "\nprivileged yes" : "\nprivileged no");
	if (t->add_group) {
		out_str(&out, "\nadd-group " GROUP_PATH " ");
		out_str(&out, t->group_line);
	}
	if (t->add_user && *t->home_path && !t->home_exists) {
		out_str(&out, "\nadd-home ");
		out_str(&out, t->home_path);
	}
	if (t->add_user) {
		out_str(&out, "\nadd-user " PASSWD_PATH " ");
		out_str(&out, t->user_line);
	}
	for (i = 0; i < o->nown && !d->privileged; i++) {
		out_str(&out, "\nown ");
		out_str(&out, o->own[i]);
	}
	out_str(&out, "\nexec");
	for (c = o->command; *c; c++) {
		out_str(&out, " ");
		out_str(&out, *c);
	}
	out_str(&out, "\n");
	out_flush(&out);
}

static int
format_group_line(struct target *t)
{
	if (format_gr_entry(t->group_line, sizeof(t->group_line),
	    t->group_name, t->gid) == -1) {
		say("group '", t->group_name, "': cannot form an entry", NULL);
		return -1;
	}
	return 0;
}

static int
format_user_line(struct target *t, const char *home)
{
	if (format_pw_entry(t->user_line, sizeof(t->user_line),
	    t->user_name, t->uid, t->gid, home, NEW_SHELL) == -1) {
		say("user '", t->user_name, "': cannot form an entry", NULL);
		return -1;
	}
	return 0;
}

/* Builds the lines to append, so a bad one is refused before any change. */
static int
format_entries(struct target *t, const char *home)
{
	if ((t->add_group && format_group_line(t) == -1) ||
	    (t->add_user && format_user_line(t, home) == -1))
		return -1;
	return 0;
}

static int
is_caller(const struct target *t)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	return getresuid(&r, &e, &s) == 0 && getresgid(&rg, &eg, &sg) == 0 &&
	    r == t->uid && e == t->uid && s == t->uid &&
	    rg == t->gid && eg == t->gid && sg == t->gid;
}

/* A caller that is not root cannot change its groups: they stay. */
static int
take_caller_groups(struct target *t)
{
	static gid_t now[GROUPS_MAX];
	int n = getgroups(GROUPS_MAX, now), i;

	if (n == -1)
		return fail_errno("getgroups");
	t->ngroups = 0;
	for (i = 0; i < n; i++)
		add_group_id(t->groups, &t->ngroups, GROUPS_MAX, now[i]);
	return 0;
}

/* A caller that is not root can only go on as the user it already is. */
static int
check_caller(struct target *t, int root)
{
	char u[21], g[21], me[21];

	if (root)
		return 0;
	if (is_caller(t))
		return take_caller_groups(t);
	say("cannot step down to uid ", id_str(t->uid, u), " gid ",
	    id_str(t->gid, g), " as uid ", id_str(geteuid(), me),
	    ": only root can change user", NULL);
	return -1;
}

/*
 * Creates the home directory; 0 when it is there for uid, -1 when not.
 * *made says whether this call created it.
 */
static int
make_home(const char *path, uid_t uid, gid_t gid, int verbose, int *made_it)
{
	struct stat st;
	int fd, made, ok;

	*made_it = made = mkdir(path, 0700) == 0;
	if (!made && errno != EEXIST)
		return -1;
	fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1)
		return -1;
	/* The mode is set outright: the caller's umask must not narrow it. */
	if (made && ((geteuid() == 0 && fchown(fd, uid, gid) == -1) ||
	    fchmod(fd, 0700) == -1)) {
		close(fd);
		rmdir(path);
		*made_it = 0;
		return -1;
	}
	/* One that was there already is used only if it is the user's. */
	ok = fstat(fd, &st) == 0 && st.st_uid == uid;
	close(fd);
	if (made && verbose)
		say("created ", path, NULL);
	if (!ok)
		say("warning: ", path, ": there already and not the user's;",
		    " the entry's home is /", NULL);
	return ok ? 0 : -1;
}

/*
 * Runs under the passwd lock, so that of many starts at once only the one
 * that writes the entry makes the home, and the entry names the home that
 * is really there. The name is picked again: another start may have taken
 * the planned one meanwhile.
 */
static enum append_result
check_user_absent(int fd, void *arg)
{
	struct target *t = arg;
	static struct user found;
	const char *home;
	int r;

	if ((r = find_user(fd, NULL, t->uid, &found)) != 0)
		return r == 1 ? APPEND_PRESENT : APPEND_FAILED;
	if ((r = choose_user_name(fd, t)) != 1)
		return r == 0 ? APPEND_CONFLICT : APPEND_FAILED;
	choose_home(t);
	home = "/";
	if (*t->home_path && make_home(t->home_path, t->uid, t->gid,
	    t->verbose, &t->home_made) == 0)
		home = t->home_path;
	return format_user_line(t, home) == 0 ? APPEND_DONE : APPEND_FAILED;
}

static enum append_result
check_group_absent(int fd, void *arg)
{
	struct target *t = arg;
	char alt[NAME_MAX_LEN + 2];
	struct group_query q = { .gid = t->gid,
	    .taken_names = { t->gname, alt } };

	fallback_name(alt, 'g', t->gid);
	if (query_groups(fd, &q) == SCAN_FAILED)
		return APPEND_FAILED;
	if (q.gid_found)
		return APPEND_PRESENT;
	if (!pick_name(t->group_name, t->gname, 'g', t->gid, q.taken))
		return APPEND_CONFLICT;
	return format_group_line(t) == 0 ? APPEND_DONE : APPEND_FAILED;
}

static void
warn_taken(const char *path, const char *a, char prefix, unsigned int id)
{
	char alt[NAME_MAX_LEN + 2], digits[21];

	fallback_name(alt, prefix, id);
	say("warning: ", path, ": names '", a, "' and '", alt, "' are taken;",
	    " not adding id ", id_str(id, digits), NULL);
}

/* Cannot write an entry: say so once and go on with the ids alone. */
static void
warn_append(enum append_result r, const char *path, const char *line)
{
	const char *why;

	if (r == APPEND_DONE || r == APPEND_PRESENT)
		return;
	why = r == APPEND_BUSY ? "locked by another process" : strerror(errno);
	say("warning: ", path, ": ", why, "; not adding '", line, "'", NULL);
}

/* prefix says which entry: 'u' for the passwd one, 'g' for the group one. */
static enum append_result
append_line(const char *path, char prefix, entry_check check,
    struct target *t)
{
	const char *line = prefix == 'u' ? t->user_line : t->group_line;
	enum append_result r;

	r = append_entry(path, line, check, t, LOCK_WAIT_MS);
	if (r == APPEND_CONFLICT)
		warn_taken(path, prefix == 'u' ? t->uname : t->gname, prefix,
		    prefix == 'u' ? t->uid : t->gid);
	else
		warn_append(r, path, line);
	if (r == APPEND_DONE && t->verbose)
		say("added '", line, "' to ", path, NULL);
	return r;
}

/* Re-reads the entry: a concurrent start may have written its own. */
static void
reload_user(const char *passwd, struct target *t)
{
	int fd = open_db(passwd);

	t->has_entry = fd != -1 && find_user(fd, NULL, t->uid, &t->user) == 1;
	if (fd != -1)
		close(fd);
	t->name = t->has_entry ? t->user.ent.name : NULL;
	t->home = t->has_entry && *t->user.ent.home ? t->user.ent.home : "/";
}

static void
add_entries(struct target *t)
{
	if (t->names_taken & 2)
		warn_taken(GROUP_PATH, t->gname, 'g', t->gid);
	if (t->names_taken & 1)
		warn_taken(PASSWD_PATH, t->uname, 'u', t->uid);
	if (t->add_group)
		append_line(GROUP_PATH, 'g', check_group_absent, t);
	if (!t->add_user)
		return;
	/* A home made for an entry that could not be written goes again. */
	if (append_line(PASSWD_PATH, 'u', check_user_absent, t) !=
	    APPEND_DONE && t->home_made && rmdir(t->home_path) == 0 &&
	    t->verbose)
		say("removed ", t->home_path, NULL);
	reload_user(PASSWD_PATH, t);
}

static int
fail_own(struct own_walk *w, const char *name)
{
	int saved = errno;

	if (w->len + 1 + strlen(name) < sizeof(w->path)) {
		if (w->len > 0)
			strcat(w->path, "/");
		strcat(w->path, name);
	}
	say("--own ", w->path, ": ", strerror(saved), NULL);
	return -1;
}

/* chmod through an O_PATH descriptor, which a link cannot redirect. */
static int
chmod_by_fd(int dirfd, const char *name, mode_t mode)
{
	char path[32], digits[21];
	struct stat st;
	int fd, r;

	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return -1;
	strcpy(path, "/proc/self/fd/");
	strcat(path, id_str((unsigned long)fd, digits));
	r = fstat(fd, &st) == -1 ? -1 : S_ISLNK(st.st_mode) ?
	    (errno = ELOOP, -1) : chmod(path, mode);
	close(fd);
	return r;
}

/*
 * chmod that never follows a symbolic link, so that an entry swapped for a
 * link after its stat cannot pass our mode on to the link's target. Kernels
 * before fchmodat2 (Linux 6.6) get the same from chmod_by_fd.
 */
static int
chmod_nofollow(int dirfd, const char *name, mode_t mode)
{
	static int no_fchmodat2;
	int r;

	if (!no_fchmodat2) {
		r = (int)syscall(SYS_FCHMODAT2, dirfd, name, mode,
		    AT_SYMLINK_NOFOLLOW);
		if (r == 0 || errno != ENOSYS)
			return r;
		no_fchmodat2 = 1;
	}
	return chmod_by_fd(dirfd, name, mode);
}

/* Gives one entry to uid:gid and clears its group and other bits. */
static int
own_entry(int dirfd, const char *name, struct stat *st, struct own_walk *w)
{
	int changed = 0;

	if (st->st_uid != w->uid || st->st_gid != w->gid) {
		if (fchownat(dirfd, name, w->uid, w->gid,
		    AT_SYMLINK_NOFOLLOW) == -1)
			return fail_own(w, name);
		/* chown clears set-id bits: chmod must not set them back. */
		if (!S_ISDIR(st->st_mode) && !S_ISLNK(st->st_mode) &&
		    (st->st_mode & (S_ISUID | S_ISGID)) &&
		    fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) == -1)
			return fail_own(w, name);
		changed = 1;
	}
	if (!S_ISLNK(st->st_mode) && (st->st_mode & 077)) {
		if (chmod_nofollow(dirfd, name, st->st_mode & 07700) == -1)
			return fail_own(w, name);
		changed = 1;
	}
	w->changed += (unsigned long)changed;
	w->seen++;
	return 0;
}

static int own_tree(int dirfd, const char *name, struct own_walk *w);

/* What getdents64 fills in, as the kernel lays it out. */
struct raw_dirent {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static int
is_dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' ||
	    (name[1] == '.' && name[2] == '\0'));
}

/* Walks the entries of fd whose place in it is part modulo parts. */
static int
own_entries(int fd, struct own_walk *w, unsigned int part, unsigned int parts)
{
	/*
	 * A buffer a level, out of the stack: a deep tree must not overflow
	 * it. Only the pages of the levels walked are ever touched.
	 */
	static _Alignas(8) char bufs[OWN_DEPTH_MAX][DIRENT_BUF];
	char *buf = bufs[w->depth - 1];	/* own_children counted this one */
	struct raw_dirent *e;
	long n, off;

	/* XXX: a descriptor a level: a tree deeper than the fd limit fails. */
	while ((n = syscall(SYS_getdents64, fd, buf, DIRENT_BUF)) > 0)
		for (off = 0; off < n; off += e->reclen) {
			e = (struct raw_dirent *)(buf + off);
			/*
			 * The walkers split the top by inode, not by place: a
			 * name added or removed meanwhile moves no other.
			 */
			if (is_dot_or_dotdot(e->name) || e->ino % parts != part)
				continue;
			if (own_tree(fd, e->name, w) == -1)
				return -1;
		}
	return n == 0 ? 0 : fail_own(w, ".");
}

static int
own_children(int dirfd, const char *name, struct own_walk *w,
    unsigned int part, unsigned int parts)
{
	size_t len = w->len;
	int fd, r;

	if (w->depth == OWN_DEPTH_MAX) {
		say("--own ", w->path, ": more than 512 levels deep", NULL);
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1)
		return fail_own(w, name);
	if (len + 1 + strlen(name) < sizeof(w->path)) {
		if (len > 0)
			w->path[w->len++] = '/';
		strcpy(w->path + w->len, name);
		w->len += strlen(name);
	}
	w->depth++;
	r = own_entries(fd, w, part, parts);
	w->depth--;
	close(fd);
	w->len = len;
	w->path[len] = '\0';
	return r;
}

/*
 * The kernel's struct statx (linux/stat.h), which not every libc declares:
 * the fields su-step reads, and the rest of its 256 bytes as padding.
 */
struct kstatx {
	uint32_t mask;
	uint32_t blksize;
	uint64_t attributes;
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint16_t mode;
	uint16_t spare0;
	uint64_t ino;
	uint64_t size;
	uint64_t blocks;
	uint64_t attributes_mask;
	int64_t times[8];		/* atime, btime, ctime, mtime */
	uint32_t rdev_major;
	uint32_t rdev_minor;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint64_t spare[14];
};

#define KSTATX_BASIC	0x1bu		/* type, mode, uid, gid */
#define KSTATX_MOUNT_ROOT 0x2000u	/* attribute: the root of a mount */

/*
 * lstat that also tells whether the entry is the root of a mount, which
 * st_dev alone misses for a bind mount from the same file system. Kernels
 * before statx (4.11) or its mount-root attribute (5.8) have st_dev only.
 */
static int
stat_entry(int dirfd, const char *name, struct stat *st, int *mount_root)
{
	static int no_statx;
	struct kstatx x;

	*mount_root = 0;
#ifdef SYS_statx
	if (!no_statx) {
		if (syscall(SYS_statx, dirfd, name, AT_SYMLINK_NOFOLLOW,
		    KSTATX_BASIC, &x) == 0) {
			memset(st, 0, sizeof(*st));
			st->st_mode = x.mode;
			st->st_uid = x.uid;
			st->st_gid = x.gid;
			st->st_dev = makedev(x.dev_major, x.dev_minor);
			*mount_root = (x.attributes_mask & x.attributes &
			    KSTATX_MOUNT_ROOT) != 0;
			return 0;
		}
		if (errno != ENOSYS)
			return -1;
		no_statx = 1;
	}
#else
	(void)no_statx;
	(void)x;
#endif
	return fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW);
}

/*
 * Walks without following links and without entering a mount, of another
 * file system or of a part of this one.
 */
static int
own_tree(int dirfd, const char *name, struct own_walk *w)
{
	struct stat st;
	int mount_root;

	if (stat_entry(dirfd, name, &st, &mount_root) == -1)
		return fail_own(w, name);
	if (st.st_dev != w->dev || mount_root)
		return 0;
	if (own_entry(dirfd, name, &st, w) == -1)
		return -1;
	return S_ISDIR(st.st_mode) ? own_children(dirfd, name, w, 0, 1) : 0;
}

/* What the second walker of a tree tells the first. */
struct own_report {
	int ok;
	unsigned long seen;
	unsigned long changed;
};

static unsigned int
count_cpus(void)
{
	cpu_set_t set;

	return sched_getaffinity(0, sizeof(set), &set) == 0 ?
	    (unsigned int)CPU_COUNT(&set) : 1;
}

/*
 * Walks what is under the directory path, in two processes where there
 * are two CPUs: the time goes into one stat per entry in the kernel, and
 * a second walker halves it. The child takes every other entry of the top
 * directory, opens it on its own (a shared descriptor would share the
 * reading position), and reports through a pipe, which works whatever
 * the caller did with SIGCHLD; it is gone before this returns. _Fork, as
 * su-step has one thread and no fork handlers to run.
 */
static int
own_below(const char *path, struct own_walk *w)
{
	struct own_report rep = { 0, 0, 0 };
	pid_t pid, self = getpid();
	int p[2], r;
	ssize_t n;

	if (count_cpus() < 2 || pipe2(p, O_CLOEXEC) == -1)
		return own_children(AT_FDCWD, path, w, 0, 1);
	if ((pid = _Fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return own_children(AT_FDCWD, path, w, 0, 1);
	}
	if (pid == 0) {
		/* Killed with su-step, the walker must not go on alone. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != self)
			_exit(EXIT_OURS);
		close(p[0]);
		w->seen = w->changed = 0;
		rep.ok = own_children(AT_FDCWD, path, w, 1, 2) == 0;
		rep.seen = w->seen;
		rep.changed = w->changed;
		_exit(write(p[1], &rep, sizeof(rep)) == sizeof(rep) && rep.ok ?
		    0 : EXIT_OURS);
	}
	close(p[1]);
	/* A failure ends the whole walk: the other half stops too. */
	if ((r = own_children(AT_FDCWD, path, w, 0, 2)) == -1)
		kill(pid, SIGKILL);
	while ((n = read(p[0], &rep, sizeof(rep))) == -1 && errno == EINTR)
		;
	close(p[0]);
	waitpid(pid, NULL, 0);
	if (n != sizeof(rep) && rep.ok == 0 && r == 0)
		say("--own ", path, ": the second walker did not finish", NULL);
	w->seen += rep.seen;
	w->changed += rep.changed;
	return n == sizeof(rep) && rep.ok ? r : -1;
}

static int
own_path(const char *path, const struct target *t, int verbose)
{
	static struct own_walk w;
	struct stat st;
	char seen[21], changed[21];

	w.uid = t->uid;
	w.gid = t->gid;
	w.seen = w.changed = 0;
	w.len = 0;
	w.path[0] = '\0';
	if (lstat(path, &st) == -1)
		return fail_own(&w, path);
	w.dev = st.st_dev;
	if (own_entry(AT_FDCWD, path, &st, &w) == -1 ||
	    (S_ISDIR(st.st_mode) && own_below(path, &w) == -1))
		return -1;
	if (verbose && w.changed)
		say("owned ", id_str(w.changed, changed), " of ",
		    id_str(w.seen, seen), " entries under ", path, NULL);
	return 0;
}

static int
own_paths(const struct options *o, const struct target *t)
{
	size_t i;

	for (i = 0; i < o->nown; i++)
		if (own_path(o->own[i], t, o->verbose) == -1)
			return -1;
	return 0;
}

static int
has_group(const struct target *t, gid_t gid)
{
	size_t lo = 0, hi = t->ngroups, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->groups[mid] == gid)
			return 1;
		if (t->groups[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int
groups_match(const struct target *t)
{
	static gid_t now[GROUPS_MAX];
	int n, i;

	n = getgroups(GROUPS_MAX, now);
	if (n < 0 || (size_t)n != t->ngroups)
		return 0;
	for (i = 0; i < n; i++)
		if (!has_group(t, now[i]))
			return 0;
	return 1;
}

static int
caps_left(struct cap_data data[2])
{
	struct cap_header h = { CAP_VERSION_3, 0 };

	if (syscall(SYS_capget, &h, data) == -1)
		return -1;
	return (data[0].effective | data[0].permitted | data[0].inheritable |
	    data[1].effective | data[1].permitted | data[1].inheritable) != 0;
}

/*
 * Leaves no capability in any set: the drop from root clears the
 * effective and permitted ones, and an inheritable one left over is
 * cleared here, which an unprivileged process may always do.
 */
static int
clear_caps(void)
{
	struct cap_header h = { CAP_VERSION_3, 0 };
	struct cap_data data[2];
	int left = caps_left(data);

	if (left != 1)
		return left;
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &h, data) == -1)
		return -1;
	return caps_left(data) == 0 ? 0 : -1;
}

static int
verify_ids(const struct target *t)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (getresuid(&r, &e, &s) == -1 || getresgid(&rg, &eg, &sg) == -1 ||
	    r != t->uid || e != t->uid || s != t->uid ||
	    rg != t->gid || eg != t->gid || sg != t->gid ||
	    !groups_match(t)) {
		say("ids are not the ones asked for after stepping down", NULL);
		return -1;
	}
	if (t->uid == 0)
		return 0;
	if (syscall(SYS_SETRESUID, 0, -1, -1) == 0) {
		say("could regain root after stepping down", NULL);
		return -1;
	}
	if (clear_caps() == -1) {
		say("capabilities remain after stepping down", NULL);
		return -1;
	}
	return 0;
}

static void
say_ids(const struct target *t)
{
	struct out o = { .fd = 2 };

	out_str(&o, "su-step: now ");
	out_ids(&o, t, " ");
	out_str(&o, "\n");
	out_flush(&o);
}

/* Whether /proc says that setgroups is denied in this user namespace. */
static int
setgroups_denied(void)
{
	char buf[8];
	ssize_t n;
	int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n == 5 && memcmp(buf, "deny\n", 5) == 0;
}

/*
 * Says why an id call failed: a bare EPERM does not tell a root without
 * the capability (docker run --cap-drop) from a user namespace.
 */
static int
fail_step(const struct target *t, const char *call, int cap)
{
	int err = errno;
	const char *why = strerror(err);
	char u[21], g[21];

	if (err == EPERM && has_cap(cap) == 0)
		why = cap == CAP_SETUID_BIT ? "no CAP_SETUID capability" :
		    "no CAP_SETGID capability";
	else if (err == EPERM && cap == CAP_SETGID_BIT && setgroups_denied())
		why = "denied in this user namespace";
	say("cannot step down to uid ", id_str(t->uid, u), " gid ",
	    id_str(t->gid, g), ": ", call, ": ", why, NULL);
	return -1;
}

static int
step_down(const struct target *t, int verbose)
{
	if (syscall(SYS_SETGROUPS, t->ngroups, t->groups) == -1)
		return fail_step(t, "setgroups", CAP_SETGID_BIT);
	if (syscall(SYS_SETRESGID, t->gid, t->gid, t->gid) == -1)
		return fail_step(t, "setresgid", CAP_SETGID_BIT);
	if (syscall(SYS_SETRESUID, t->uid, t->uid, t->uid) == -1)
		return fail_step(t, "setresuid", CAP_SETUID_BIT);
	if (verify_ids(t) == -1)
		return -1;
	if (verbose)
		say_ids(t);
	return 0;
}

static int
is_var(const char *entry, const char *name)
{
	size_t n = strlen(name);

	return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

/* Appends "name=value" at *end of one buffer, so few pages are touched. */
static char *
make_var(char **end, const char *name, const char *value)
{
	char *var = *end;

	strcpy(var, name);
	strcat(var, "=");
	strcat(var, value);
	*end = var + strlen(var) + 1;
	return var;
}

/*
 * The command's environment: the caller's, with HOME, USER and LOGNAME
 * those of the target. Built by hand, since setenv would bring in malloc.
 */
static char **
make_env(const struct target *t)
{
	static char *fixed[ENV_STATIC];
	static char vars[sizeof("HOME=USER=LOGNAME=") + 3 * LINE_MAX_LEN];
	char **env = fixed, **e, *end = vars;
	size_t n = 0;

	for (e = environ; *e; e++)
		n++;
	if (n + 4 > ENV_STATIC) {
		env = mmap(NULL, (n + 4) * sizeof(*env), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (env == MAP_FAILED)
			return NULL;
	}
	n = 0;
	for (e = environ; *e; e++)
		if (!is_var(*e, "HOME") && !is_var(*e, "USER") &&
		    !is_var(*e, "LOGNAME"))
			env[n++] = *e;
	env[n++] = make_var(&end, "HOME", t->home);
	if (t->name) {
		env[n++] = make_var(&end, "USER", t->name);
		env[n++] = make_var(&end, "LOGNAME", t->name);
	}
	env[n] = NULL;
	return env;
}

static noreturn void
fail_exec(const char *name, int err)
{
	say(name, ": ", strerror(err), NULL);
	exit(err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND :
	    EXIT_CANNOT_RUN);
}

/*
 * Tries one candidate of a PATH search; returns the error worth reporting,
 * or 0 to go on. A directory the user may not search hides nothing from
 * them: that is "not found", not "cannot run".
 */
static int
try_exec(const char *file, char **command, char **env)
{
	struct stat st;

	execve(file, command, env);
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	if (errno == EACCES && stat(file, &st) == -1)
		return 0;
	return errno;
}

/* execvp, but with the exit status telling "not found" from "cannot run". */
static noreturn void
run(char **command, char **env)
{
	const char *dirs = getenv("PATH"), *end;
	char file[PATH_MAX_LEN];
	size_t dlen, flen = strlen(command[0]);
	int err = 0, e;

	if (strchr(command[0], '/')) {
		execve(command[0], command, env);
		fail_exec(command[0], errno);
	}
	if (dirs == NULL || *dirs == '\0')
		dirs = "/usr/local/bin:/bin:/usr/bin";
	for (; ; dirs = end + 1) {
		end = strchr(dirs, ':');
		dlen = end ? (size_t)(end - dirs) : strlen(dirs);
		if (dlen + flen + 2 <= sizeof(file) && *command[0]) {
			memcpy(file, dirs, dlen);
			if (dlen == 0)
				file[dlen++] = '.';
			file[dlen] = '/';
			memcpy(file + dlen + 1, command[0], flen + 1);
			e = try_exec(file, command, env);
			if (err == 0)
				err = e;
		}
		if (end == NULL)
			break;
	}
	fail_exec(command[0], err ? err : ENOENT);
}

/*
 * Closed standard descriptors would be taken by the files su-step opens.
 * One poll tells which of the three are closed.
 */
static void
open_std_fds(void)
{
	struct pollfd p[3] = { { .fd = 0 }, { .fd = 1 }, { .fd = 2 } };
	int fd;

	if (poll(p, 3, 0) == -1)
		exit(EXIT_OURS);
	for (fd = 0; fd < 3; fd++)
		if ((p[fd].revents & POLLNVAL) &&
		    open("/dev/null", O_RDWR) != fd)
			exit(EXIT_OURS);
}

static void
print_text(const char *a, const char *b)
{
	struct out o = { .fd = 1 };

	out_str(&o, a);
	out_str(&o, b);
	out_flush(&o);
}

#ifndef SU_STEP_NO_MAIN
int
main(int argc, char **argv)
{
	static struct target t;
	static struct spec sp;
	struct options o;
	struct defaults d;
	char **env;
	int root;

	open_std_fds();
	if (getauxval(AT_SECURE))
		die("refusing to run setuid or setgid",
		    "remove the set-id bits");
	if (parse_args(argc, argv, &o) == -1)
		return EXIT_OURS;
	if (o.help || o.version) {
		print_text(o.help ? usage_text : "su-step ",
		    o.help ? "" : SU_STEP_VERSION "\n");
		return 0;
	}
	/* The kernel passes the euid along: no system call to ask for it. */
	root = getauxval(AT_EUID) == 0;
	if (parse_defaults(getenv("PING_CONTAINER_UID"),
	    getenv("PING_CONTAINER_GID"), getenv("PING_CONTAINER_PRIVILEGED"),
	    getenv("PING_CONTAINER_UNAME"), getenv("PING_CONTAINER_GNAME"),
	    &d) == -1 || parse_spec(o.spec, &sp) == -1 ||
	    resolve(&sp, &d, PASSWD_PATH, GROUP_PATH, &t) == -1 ||
	    format_entries(&t, t.home) == -1 ||
	    (!d.privileged && check_caller(&t, root) == -1) ||
	    check_own_paths(&o, &t, !d.privileged) == -1)
		return EXIT_OURS;
	if (o.dry_run) {
		print_plan(&o, &d, &t);
		return 0;
	}
	/* Privileged mode keeps root: all the more reason to honour this. */
	if (o.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		die("no_new_privs", strerror(errno));
	if (d.privileged)
		run(o.command, environ);
	t.verbose = o.verbose;
	/* First, so that a tree that cannot be owned leaves no entry behind. */
	if (own_paths(&o, &t) == -1)
		return EXIT_OURS;
	add_entries(&t);
	if (root && step_down(&t, o.verbose) == -1)
		return EXIT_OURS;
	if ((env = make_env(&t)) == NULL)
		die("environment", strerror(errno));
	run(o.command, env);
}
#endif
