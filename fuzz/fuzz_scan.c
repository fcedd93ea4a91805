/* SPDX-License-Identifier: MIT */
/* fuzz_scan.c - libFuzzer target for the file scanners, over a memfd */

#include <errno.h>
#include <sys/mman.h>

#include "fuzz.h"

/*
 * Input: a query, a NUL, then the file. The query is lines: a user name
 * (empty: look up by uid only), a uid, a group name (empty: none), a gid,
 * a member (empty: none), two names to test for, and the room for groups.
 * In the file, 0xff HI LO C stands for HI * 256 + LO copies of C, so that a
 * small input reaches the 64 KiB line limit and the edges of the scanner's
 * buffer.
 */
#define FILE_MAX	(4 * (LINE_MAX_LEN + 1))
#define ROOM_MAX	64
#define ESCAPE		0xff

struct query {
	const char *user;
	unsigned int uid;
	const char *group;
	unsigned int gid;
	const char *member;
	const char *taken[2];
	size_t room;
};

/* One line as the reference found it. */
struct ref_match {
	const char *want;	/* in: name or NULL */
	unsigned int uid;	/* in: uid when want is NULL; out: the uid */
	const char *line;
	size_t len;
	struct ref_fields f;
};

/* What query_groups must answer, worked out line by line. */
struct ref_groups {
	const struct query *q;
	int name_found;
	unsigned int gid;
	int gid_found;
	int taken[2];
	gid_t groups[ROOM_MAX];
	size_t ngroups;
	int full;
};

static int db = -1;
static char *file;
static size_t file_len;
static struct user found;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	db = memfd_create("db", MFD_CLOEXEC);
	file = malloc(FILE_MAX);
	if (db == -1 || file == NULL)
		abort();
	return 0;
}

static void
expand(const unsigned char *in, size_t n)
{
	size_t i, count;

	file_len = 0;
	for (i = 0; i < n && file_len < FILE_MAX; i++) {
		if (in[i] != ESCAPE || i + 3 >= n) {
			file[file_len++] = (char)in[i];
			continue;
		}
		count = (size_t)in[i + 1] << 8 | in[i + 2];
		if (count > FILE_MAX - file_len)
			count = FILE_MAX - file_len;
		memset(file + file_len, in[i + 3], count);
		file_len += count;
		i += 3;
	}
}

static void
write_db(void)
{
	size_t off = 0;
	ssize_t n;

	/* Overwritten in place and cut: the pages stay for the next input. */
	while (off < file_len) {
		n = pwrite(db, file + off, file_len - off, (off_t)off);
		CHECK(n > 0);
		off += (size_t)n;
	}
	CHECK(ftruncate(db, (off_t)file_len) == 0);
}

static unsigned int
read_number(const char *s)
{
	unsigned int v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned int)(*s - '0');
	return v;
}

/* Splits the query in place; an empty name means none. */
static void
read_query(char *text, struct query *q)
{
	char *part[8] = { NULL }, *nl;
	int i;

	for (i = 0; i < 8 && text; i++) {
		part[i] = text;
		nl = strchr(text, '\n');
		if (nl)
			*nl++ = '\0';
		text = nl;
	}
	for (i = 0; i < 8; i++)
		if (part[i] && *part[i] == '\0')
			part[i] = NULL;
	q->user = part[0];
	q->uid = part[1] ? read_number(part[1]) : 0;
	q->group = part[2];
	q->gid = part[3] ? read_number(part[3]) : 0;
	q->member = part[4];
	q->taken[0] = part[5];
	q->taken[1] = part[6];
	q->room = part[7] ? read_number(part[7]) % (ROOM_MAX + 1) : 16;
}

REF static int
ref_lines(ref_line_fn fn, void *arg)
{
	return ref_each_line(file, file_len, fn, arg);
}

REF static int
ref_match_user(const char *line, size_t len, void *arg)
{
	struct ref_match *m = arg;
	unsigned int uid, gid;

	if (!ref_pw_line(line, len, &m->f, &uid, &gid))
		return 0;
	if (m->want ? !ref_field_is(&m->f, 0, m->want) : uid != m->uid)
		return 0;
	m->uid = uid;
	m->line = line;
	m->len = len;
	return 1;
}

/* The entry kept is the line found, with NULs where its ':' were. */
static void
check_found(const struct ref_match *m)
{
	size_t len, i;
	char c;

	len = (size_t)(found.ent.shell - found.line) + strlen(found.ent.shell);
	CHECK(len == m->len);
	for (i = 0; i < len; i++) {
		c = found.line[i] == '\0' ? ':' : found.line[i];
		CHECK(c == m->line[i]);
	}
	CHECK(ref_field_is(&m->f, 0, found.ent.name));
	CHECK(ref_field_is(&m->f, 5, found.ent.home));
	CHECK(ref_field_is(&m->f, 6, found.ent.shell));
	CHECK(found.ent.uid == m->uid && found.ent.uid <= ID_MAX);
}

static void
check_find_user(const char *name, unsigned int uid)
{
	struct ref_match m = { .want = name, .uid = uid };
	int want = ref_lines(ref_match_user, &m), r;

	r = find_user(db, name, uid, &found);
	CHECK(r == want);
	if (r == 1)
		check_found(&m);
}

REF static int
ref_match_name(const char *line, size_t len, void *arg)
{
	const struct ref_match *m = arg;

	return ref_takes_name(line, len, m->want);
}

/* Any line, well formed or not, takes the name that is its first field. */
static void
check_name_taken(const char *name)
{
	struct ref_match m = { .want = name };

	CHECK(name_taken(db, name) == ref_lines(ref_match_name, &m));
}

REF static int
ref_lists(const char *members, size_t len, const char *name)
{
	size_t n = strlen(name), start = 0, i;

	for (i = 0; i <= len; i++) {
		if (i < len && members[i] != ',')
			continue;
		if (i - start == n && memcmp(members + start, name, n) == 0)
			return 1;
		start = i + 1;
	}
	return 0;
}

REF static int
ref_add_group(struct ref_groups *g, gid_t gid)
{
	size_t i = 0;

	while (i < g->ngroups && g->groups[i] < gid)
		i++;
	if (i < g->ngroups && g->groups[i] == gid)
		return 0;
	if (g->ngroups == g->q->room) {
		g->full = 1;
		return -1;
	}
	memmove(g->groups + i + 1, g->groups + i,
	    (g->ngroups - i) * sizeof(*g->groups));
	g->groups[i] = gid;
	g->ngroups++;
	return 0;
}

REF static int
ref_match_group(const char *line, size_t len, void *arg)
{
	struct ref_groups *g = arg;
	const struct query *q = g->q;
	struct ref_fields f;
	unsigned int gid;
	int i;

	for (i = 0; i < 2; i++)
		if (q->taken[i] && ref_takes_name(line, len, q->taken[i]))
			g->taken[i] = 1;
	if (!ref_gr_line(line, len, &f, &gid))
		return 0;
	if (q->group && !g->name_found && ref_field_is(&f, 0, q->group)) {
		g->name_found = 1;
		g->gid = gid;
	}
	if (!q->group && gid == q->gid)
		g->gid_found = 1;
	if (q->member && ref_lists(f.at[3], f.len[3], q->member))
		return ref_add_group(g, gid);
	return 0;
}

static void
check_query_groups(const struct query *q)
{
	struct ref_groups g = { .q = q, .gid = q->gid };
	struct group_query gq = { 0 };
	int r;

	gq.name = q->group;
	gq.gid = q->gid;
	gq.member = q->member;
	gq.taken_names[0] = q->taken[0];
	gq.taken_names[1] = q->taken[1];
	gq.max_groups = q->room;
	gq.groups = malloc(q->room ? q->room * sizeof(gid_t) : 1);
	CHECK(gq.groups != NULL);
	ref_lines(ref_match_group, &g);
	if (q->group && g.name_found)
		g.gid_found = 1;
	r = query_groups(db, &gq);
	if (g.full) {
		CHECK(r == SCAN_FAILED && errno == E2BIG);
	} else {
		CHECK(r == 0);
		CHECK(gq.name_found == g.name_found && gq.gid == g.gid);
		CHECK(gq.gid_found == g.gid_found);
		CHECK(gq.taken[0] == g.taken[0] && gq.taken[1] == g.taken[1]);
		CHECK(gq.ngroups == (q->member ? g.ngroups : 0));
		CHECK(memcmp(gq.groups, g.groups,
		    gq.ngroups * sizeof(gid_t)) == 0);
	}
	free(gq.groups);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const unsigned char *nul = memchr(data, '\0', size);
	struct query q;
	char *text;
	size_t head;

	if (nul == NULL)
		return 0;
	head = (size_t)(nul - data);
	text = fuzz_string(data, head);
	read_query(text, &q);
	expand(nul + 1, size - head - 1);
	write_db();
	if (q.user) {
		check_find_user(q.user, q.uid);
		check_name_taken(q.user);
	}
	if (q.taken[0])
		check_name_taken(q.taken[0]);
	check_find_user(NULL, q.uid);
	check_query_groups(&q);
	free(text);
	return 0;
}
