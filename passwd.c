/* SPDX-License-Identifier: MIT */
/* passwd.c - strict reading and appending of passwd(5) and group(5) files */

/*
 * Rules this module keeps:
 * - A line is matched only when it is whole and well formed: the right
 *   number of fields, a non-empty name, ids that parse_id() accepts, no NUL
 *   or control byte, at most LINE_MAX_LEN bytes. Anything else is skipped,
 *   and the lines around it still count.
 * - A name is taken by every line whose first field it is, up to the first
 *   ':' or the end, matched or not: another reader may still match that
 *   line by its name. Over-long lines take no name: they are not read.
 * - Files are streamed through one fixed buffer: memory does not grow with
 *   the file.
 * - A file is only ever appended to, under an exclusive lock, after a
 *   re-read under that lock. A write either lands whole or the file is cut
 *   back to where that write started.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "passwd.h"

#define LOCK_POLL_MS	10
#define FIRST_READ	4096

typedef int (*line_fn)(char *line, size_t len, void *arg);

static char scan_buf[LINE_MAX_LEN + 1];

int
parse_id(const char *s, unsigned int *id)
{
	unsigned long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > ID_MAX)
			return -1;
	}
	*id = (unsigned int)v;
	return 0;
}

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/*
 * The portable user name set, which no passwd or group line can break. The
 * first character is a letter or '_': a leading digit would read as a number
 * ("0x10", "1e3"), a '-' as an option, a '.' as a dot file.
 */
int
valid_name(const char *s, int flags)
{
	size_t n;

	if (!(is_name_char(*s) && *s != '-' && *s != '.' &&
	    (*s < '0' || *s > '9')))
		return 0;
	for (n = 1; s[n]; n++) {
		if (n == NAME_MAX_LEN)
			return 0;
		if (is_name_char(s[n]))
			continue;
		if (s[n] == '$' && (flags & NAME_LOOKUP) && s[n + 1] == '\0')
			continue;
		return 0;
	}
	return 1;
}

static int
has_control_byte(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			return 1;
	return 0;
}

/* Splits line at ':' in place; fails unless there are exactly n fields. */
static int
split_fields(char *line, size_t len, char **field, int n)
{
	char *p = line, *end = line + len, *colon;
	int i;

	if (len > LINE_MAX_LEN || has_control_byte(line, len))
		return -1;
	for (i = 0; i < n - 1; i++) {
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon == NULL)
			return -1;
		*colon = '\0';
		field[i] = p;
		p = colon + 1;
	}
	if (memchr(p, ':', (size_t)(end - p)) != NULL)
		return -1;
	*end = '\0';
	field[n - 1] = p;
	return 0;
}

/* line must have room for a terminating NUL at line[len]. */
int
parse_pw_line(char *line, size_t len, struct pw_ent *e)
{
	char *f[7];
	unsigned int uid, gid;

	if (split_fields(line, len, f, 7) == -1 || *f[0] == '\0' ||
	    parse_id(f[2], &uid) == -1 || parse_id(f[3], &gid) == -1)
		return -1;
	e->name = f[0];
	e->uid = uid;
	e->gid = gid;
	e->home = f[5];
	e->shell = f[6];
	return 0;
}

int
parse_gr_line(char *line, size_t len, struct gr_ent *e)
{
	char *f[4];
	unsigned int gid;

	if (split_fields(line, len, f, 4) == -1 || *f[0] == '\0' ||
	    parse_id(f[2], &gid) == -1)
		return -1;
	e->name = f[0];
	e->gid = gid;
	e->members = f[3];
	return 0;
}

int
lists_member(const char *members, const char *name)
{
	size_t n = strlen(name);
	const char *p = members, *comma;

	for (;;) {
		comma = strchr(p, ',');
		if (comma == NULL)
			return strcmp(p, name) == 0;
		if ((size_t)(comma - p) == n && memcmp(p, name, n) == 0)
			return 1;
		p = comma + 1;
	}
}

/* Inserts gid into the ascending set; fails only when it is full. */
int
add_group_id(gid_t *groups, size_t *n, size_t max, gid_t gid)
{
	size_t i = *n;

	while (i > 0 && groups[i - 1] > gid)
		i--;
	if (i > 0 && groups[i - 1] == gid)
		return 0;
	if (*n == max)
		return -1;
	memmove(groups + i + 1, groups + i, (*n - i) * sizeof(*groups));
	groups[i] = gid;
	(*n)++;
	return 0;
}

/* The place of the first zero byte of x in memory, from its zero mask. */
static unsigned int
first_zero_byte(uint64_t mask)
{
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (unsigned int)__builtin_ctzll(mask) / 8;
#else
	(void)mask;
	return 8;	/* not known: the byte loop below finds it */
#endif
}

/*
 * memchr, a word at a time and inlined: lines and fields are short,
 * and a call per line to a general memchr was most of the time of a scan
 * of a large file.
 */
static char *
find_byte(char *p, char *end, char c)
{
	const uint64_t ones = 0x0101010101010101u;
	const uint64_t pattern = ones * (unsigned char)c;
	uint64_t a, b, ma, mb;
	unsigned int i;

	/* Two words a turn: a line is a few of them. */
	for (; end - p >= 16; p += 16) {
		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		a ^= pattern;
		b ^= pattern;
		/* Nonzero when some byte of the word is zero: c is here. */
		ma = (a - ones) & ~a & (ones << 7);
		mb = (b - ones) & ~b & (ones << 7);
		if ((ma | mb) == 0)
			continue;
		if (ma == 0) {
			ma = mb;
			p += 8;
		}
		i = first_zero_byte(ma);
		if (i < 8)
			return p + i;
		break;
	}
	for (; p < end; p++)
		if (*p == c)
			return p;
	return NULL;
}

/*
 * Calls fn on each line of fd, from the start, without its newline; pread
 * leaves the file offset alone, so a file can be scanned more than once. Lines
 * longer than LINE_MAX_LEN are skipped whole. Stops early when fn returns
 * non-zero and passes that on.
 */
static int
scan_lines(int fd, line_fn fn, void *arg)
{
	size_t have = 0, start, skipping = 0, want;
	off_t off = 0;
	ssize_t got;
	char *nl;
	int r;

	/* A small first read: most entries sought are near the top. */
	for (want = FIRST_READ; ; off += got, want = LINE_MAX_LEN + 1 - have) {
		got = pread(fd, scan_buf + have, want, off);
		if (got == -1 && errno == EINTR) {
			got = 0;
			continue;
		}
		if (got == -1)
			return SCAN_FAILED;
		if (got == 0)
			break;
		have += (size_t)got;
		start = 0;
		while ((nl = find_byte(scan_buf + start, scan_buf + have,
		    '\n'))) {
			size_t len = (size_t)(nl - scan_buf) - start;

			if (!skipping && (r = fn(scan_buf + start, len, arg)))
				return r;
			skipping = 0;
			start += len + 1;
		}
		have -= start;
		memmove(scan_buf, scan_buf + start, have);
		if (have == LINE_MAX_LEN + 1) {
			/* Too long to be an entry: drop it up to its end. */
			skipping = 1;
			have = 0;
		}
	}
	if (have > 0 && !skipping)
		return fn(scan_buf, have, arg);
	return 0;
}

/*
 * Opens a database for reading; a missing file reads as an empty one.
 * openat, unlike open, spares a system call for O_CLOEXEC on musl.
 */
int
open_db(const char *path)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd == -1 && errno == ENOENT)
		fd = openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
	return fd;
}

static size_t
put_id(char *p, unsigned int id)
{
	char digits[10];
	size_t n = 0, i;

	do
		digits[n++] = (char)('0' + id % 10);
	while (id /= 10);
	for (i = 0; i < n; i++)
		p[i] = digits[n - 1 - i];
	return n;
}

struct user_search {
	const char *name;
	size_t name_len;
	uid_t uid;
	struct user *out;
	char digits[11];	/* uid in decimal, without leading zeros */
	size_t ndigits;
};

/* Keeps a parsed line: its pointers move with it into u->line. */
static void
keep_user(struct user *u, const char *line, size_t len, const struct pw_ent *e)
{
	memcpy(u->line, line, len + 1);
	u->ent.name = u->line + (e->name - line);
	u->ent.uid = e->uid;
	u->ent.gid = e->gid;
	u->ent.home = u->line + (e->home - line);
	u->ent.shell = u->line + (e->shell - line);
}

/*
 * Whether the third field of line may hold the uid: its digits, past any
 * leading zeros. A line that parse_pw_line would give the uid always
 * passes; the full parse, several times dearer, decides for the rest.
 */
static int
may_have_uid(char *line, size_t len, const struct user_search *s)
{
	char *end = line + len, *p;

	/* The password field is mostly one byte: no need for find_byte. */
	if ((p = find_byte(line, end, ':')) == NULL)
		return 0;
	for (p++; p < end && *p != ':'; p++)
		;
	if (p == end)
		return 0;
	for (p++; end - p > 1 && p[0] == '0' && p[1] != ':'; p++)
		;
	return (size_t)(end - p) > s->ndigits && p[s->ndigits] == ':' &&
	    memcmp(p, s->digits, s->ndigits) == 0;
}

static int
match_user(char *line, size_t len, void *arg)
{
	struct user_search *s = arg;
	struct pw_ent e;

	/*
	 * Cheap refusal first: most lines are not the one wanted, and names
	 * in a large file tend to share their start, not their end.
	 */
	if (s->name && (len <= s->name_len || line[s->name_len] != ':' ||
	    line[s->name_len - 1] != s->name[s->name_len - 1] ||
	    memcmp(line, s->name, s->name_len) != 0))
		return 0;
	if (!s->name && !may_have_uid(line, len, s))
		return 0;
	if (parse_pw_line(line, len, &e) == -1)
		return 0;
	/* The prefix test above lets "a:x" through to the line of "a". */
	if (s->name ? strcmp(e.name, s->name) != 0 : e.uid != s->uid)
		return 0;
	keep_user(s->out, line, len, &e);
	return 1;
}

/* Finds the first entry for name or, when name is NULL, for uid. */
int
find_user(int fd, const char *name, uid_t uid, struct user *u)
{
	struct user_search s = { .name = name, .uid = uid, .out = u };

	if (name)
		s.name_len = strlen(name);
	s.ndigits = put_id(s.digits, uid);
	return scan_lines(fd, match_user, &s);
}

/*
 * Whether name is the first field of line, the bytes up to its first ':'
 * or its end, whatever the rest holds: a line we refuse to read may still
 * be read by another libc (musl takes an empty uid for 0), and a second
 * line with the same name would then lose to it. A line with a NUL or a
 * control byte counts too, by its first field, for the same reason.
 */
static int
takes_name(const char *line, size_t len, const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if (i == len || line[i] != name[i] || line[i] == ':')
			return 0;
	return i == len || line[i] == ':';
}

struct name_search {
	const char *name;
};

static int
match_name(char *line, size_t len, void *arg)
{
	const struct name_search *s = arg;

	return takes_name(line, len, s->name);
}

/* Says whether some line of a passwd file, well formed or not, has name. */
int
name_taken(int fd, const char *name)
{
	struct name_search s = { name };

	return scan_lines(fd, match_name, &s);
}

/* Before the parse, which splits the line: a broken line takes its name. */
static void
note_taken(struct group_query *q, const char *line, size_t len)
{
	int i;

	for (i = 0; i < 2; i++)
		if (q->taken_names[i] &&
		    takes_name(line, len, q->taken_names[i]))
			q->taken[i] = 1;
}

static int
match_group(char *line, size_t len, void *arg)
{
	struct group_query *q = arg;
	struct gr_ent e;

	note_taken(q, line, len);
	if (parse_gr_line(line, len, &e) == -1)
		return 0;
	if (q->name && !q->name_found && strcmp(e.name, q->name) == 0) {
		q->name_found = 1;
		q->gid = e.gid;
	}
	if (!q->name && e.gid == q->gid)
		q->gid_found = 1;
	if (q->member && lists_member(e.members, q->member) &&
	    add_group_id(q->groups, &q->ngroups, q->max_groups, e.gid) == -1)
		return SCAN_FAILED;
	return 0;
}

/* Answers all of q in one pass; SCAN_FAILED with errno E2BIG when full. */
int
query_groups(int fd, struct group_query *q)
{
	int r;

	q->name_found = q->gid_found = 0;
	q->taken[0] = q->taken[1] = 0;
	errno = E2BIG;
	r = scan_lines(fd, match_group, q);
	if (q->name && q->name_found)
		q->gid_found = 1;
	return r;
}

/* Nothing written into a line may end it or add a field. */
static int
valid_field(const char *s)
{
	return strchr(s, ':') == NULL && !has_control_byte(s, strlen(s));
}

static size_t
put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return n;
}

/* Builds "name:x:uid:gid::home:shell"; -1 when a part cannot stand in it. */
int
format_pw_entry(char *buf, size_t size, const char *name, uid_t uid,
    gid_t gid, const char *home, const char *shell)
{
	char *p = buf;

	if (!valid_name(name, 0) || uid > ID_MAX || gid > ID_MAX ||
	    !valid_field(home) || !valid_field(shell) ||
	    strlen(name) + strlen(home) + strlen(shell) + 32 > size)
		return -1;
	p += put_str(p, name);
	p += put_str(p, ":x:");
	p += put_id(p, uid);
	*p++ = ':';
	p += put_id(p, gid);
	p += put_str(p, "::");
	p += put_str(p, home);
	*p++ = ':';
	p += put_str(p, shell);
	*p = '\0';
	return (int)(p - buf);
}

/* Builds "name:x:gid:". */
int
format_gr_entry(char *buf, size_t size, const char *name, gid_t gid)
{
	char *p = buf;

	if (!valid_name(name, 0) || gid > ID_MAX || strlen(name) + 16 > size)
		return -1;
	p += put_str(p, name);
	p += put_str(p, ":x:");
	p += put_id(p, gid);
	*p++ = ':';
	*p = '\0';
	return (int)(p - buf);
}

/* Waits for the lock at most wait_ms; 1 when had, 0 when not, -1 on error. */
static int
lock_file(int fd, unsigned int wait_ms)
{
	struct timespec pause = { 0, LOCK_POLL_MS * 1000000L };
	unsigned int waited = 0;

	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 1;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (waited >= wait_ms)
			return 0;
		nanosleep(&pause, NULL);
		waited += LOCK_POLL_MS;
	}
}

/* Reads whether the file ends in a newline; an empty file needs none. */
static int
ends_in_newline(int fd, off_t size)
{
	char c;

	if (size == 0)
		return 1;
	if (pread(fd, &c, 1, size - 1) != 1)
		return -1;
	return c == '\n';
}

/*
 * Cuts off the n bytes of our own write, which end at the file offset:
 * with O_APPEND the write went to the end of the file as it was then, past
 * what a writer that takes no lock may have added since our fstat. What
 * such a writer adds after our bytes goes with them; ftruncate cannot
 * spare it. A file whose offset cannot be read cannot be cut either.
 */
static void
undo_write(int fd, ssize_t n)
{
	off_t end;

	if (n <= 0)
		return;
	end = lseek(fd, 0, SEEK_CUR);
	if (end < n)
		return;
	/* Retried, since a signal must not stop it. */
	while (ftruncate(fd, end - n) == -1 && errno == EINTR)
		;
	fsync(fd);
}

/*
 * Writes text in one call at the end of fd, or leaves the file as it was.
 * A file size limit must give a short write, not kill us.
 */
static int
write_whole(int fd, const char *text, size_t len)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old;
	ssize_t n;
	int saved;

	sigaction(SIGXFSZ, &ignore, &old);
	do
		n = write(fd, text, len);
	while (n == -1 && errno == EINTR);
	saved = errno;
	if (n == (ssize_t)len && fsync(fd) == 0) {
		sigaction(SIGXFSZ, &old, NULL);
		return 0;
	}
	if (n == (ssize_t)len)
		saved = errno;
	else if (n >= 0)
		saved = ENOSPC;
	undo_write(fd, n);
	sigaction(SIGXFSZ, &old, NULL);
	errno = saved;
	return -1;
}

static enum append_result
append_locked(int fd, const char *line, entry_check check, void *arg)
{
	char text[ENTRY_MAX + 2];
	size_t len;
	struct stat st;
	enum append_result r;
	int nl;

	r = check(fd, arg);
	if (r != APPEND_DONE)
		return r;
	len = strlen(line);
	if (len > ENTRY_MAX) {
		errno = ENAMETOOLONG;
		return APPEND_FAILED;
	}
	if (fstat(fd, &st) == -1)
		return APPEND_FAILED;
	nl = ends_in_newline(fd, st.st_size);
	if (nl == -1)
		return APPEND_FAILED;
	/* A last line without its newline gets one first, in the same write. */
	text[0] = '\n';
	memcpy(text + 1, line, len);
	text[len + 1] = '\n';
	if (write_whole(fd, text + nl, len + 2 - (size_t)nl) == -1)
		return APPEND_FAILED;
	return APPEND_DONE;
}

/*
 * Appends line and its newline to path unless check, run on the file under
 * the lock, says otherwise. The file is never rewritten nor renamed: it may
 * be a bind mount, or writable where its directory is not.
 */
enum append_result
append_entry(const char *path, const char *line, entry_check check,
    void *arg, unsigned int wait_ms)
{
	enum append_result r;
	int fd, locked, saved;

	fd = openat(AT_FDCWD, path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return APPEND_FAILED;
	locked = lock_file(fd, wait_ms);
	if (locked == 1)
		r = append_locked(fd, line, check, arg);
	else
		r = locked == 0 ? APPEND_BUSY : APPEND_FAILED;
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}
