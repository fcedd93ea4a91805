/* SPDX-License-Identifier: MIT */
/* fuzz_resolve.c - libFuzzer target for resolve(): spec, environment, files */

#define SU_STEP_NO_MAIN
#include "su-step.c"

#include <sys/mman.h>

#include "fuzz.h"

/*
 * Input, NUL-separated: SPEC, PING_CONTAINER_UID, _GID, _PRIVILEGED,
 * _UNAME, _GNAME, the passwd file, and the group file (the rest, NULs and
 * all). Only input that the spec and environment parsers accept is
 * resolved; the answer is checked against the files read a second way.
 */
#define NPARTS	7

struct files {
	const char *pw;
	size_t pw_len;
	const char *gr;
	size_t gr_len;
};

/* The first passwd line matching a name, or a uid when name is NULL. */
struct ref_user {
	const char *name;
	unsigned int uid;
	int found;
	unsigned int gid;
	struct ref_fields f;
};

/* What the group file says about a gid, a name, names and a member. */
struct ref_group {
	const char *name;
	unsigned int gid;
	const char *member;
	const char *taken[2];
	int name_found;
	unsigned int name_gid;
	int gid_found;
	int taken_found[2];
	gid_t *groups;
	size_t ngroups;
};

static int pw_fd = -1, gr_fd = -1;
static char pw_path[64], gr_path[64];
static gid_t ref_groups[GROUPS_MAX];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_stderr(argc, argv);
	pw_fd = memfd_create("passwd", MFD_CLOEXEC);
	gr_fd = memfd_create("group", MFD_CLOEXEC);
	if (pw_fd == -1 || gr_fd == -1)
		abort();
	snprintf(pw_path, sizeof(pw_path), "/proc/self/fd/%d", pw_fd);
	snprintf(gr_path, sizeof(gr_path), "/proc/self/fd/%d", gr_fd);
	return 0;
}

static void
fill(int fd, const char *text, size_t len)
{
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(len == 0 || pwrite(fd, text, len, 0) == (ssize_t)len);
}

static int
ref_user_line(const char *line, size_t len, void *arg)
{
	struct ref_user *u = arg;
	unsigned int uid, gid;

	if (!ref_pw_line(line, len, &u->f, &uid, &gid))
		return 0;
	if (u->name ? !ref_field_is(&u->f, 0, u->name) : uid != u->uid)
		return 0;
	u->found = 1;
	u->uid = uid;
	u->gid = gid;
	return 1;
}

static int
ref_user(const struct files *fs, const char *name, unsigned int uid,
    struct ref_user *u)
{
	memset(u, 0, sizeof(*u));
	u->name = name;
	u->uid = uid;
	ref_each_line(fs->pw, fs->pw_len, ref_user_line, u);
	return u->found;
}

static int
ref_name_line(const char *line, size_t len, void *arg)
{
	const struct ref_user *u = arg;

	return ref_takes_name(line, len, u->name);
}

/* Whether some passwd line, well formed or not, has name as first field. */
static int
ref_name_taken(const struct files *fs, const char *name)
{
	struct ref_user u = { .name = name };

	return ref_each_line(fs->pw, fs->pw_len, ref_name_line, &u);
}

static void
ref_add(struct ref_group *g, gid_t gid)
{
	size_t i;

	for (i = 0; i < g->ngroups; i++)
		if (g->groups[i] == gid)
			return;
	if (g->ngroups < GROUPS_MAX)
		g->groups[g->ngroups++] = gid;
}

static int
ref_group_line(const char *line, size_t len, void *arg)
{
	struct ref_group *g = arg;
	struct ref_fields f;
	unsigned int gid;
	size_t start = 0, i, n;
	int k;

	for (k = 0; k < 2; k++)
		if (g->taken[k] && ref_takes_name(line, len, g->taken[k]))
			g->taken_found[k] = 1;
	if (!ref_gr_line(line, len, &f, &gid))
		return 0;
	if (g->name && !g->name_found && ref_field_is(&f, 0, g->name)) {
		g->name_found = 1;
		g->name_gid = gid;
	}
	if (gid == g->gid)
		g->gid_found = 1;
	if (g->member == NULL)
		return 0;
	n = strlen(g->member);
	for (i = 0; i <= f.len[3]; i++) {
		if (i < f.len[3] && f.at[3][i] != ',')
			continue;
		if (i - start == n &&
		    memcmp(f.at[3] + start, g->member, n) == 0)
			ref_add(g, gid);
		start = i + 1;
	}
	return 0;
}

static void
ref_group(const struct files *fs, struct ref_group *g)
{
	g->groups = ref_groups;
	ref_each_line(fs->gr, fs->gr_len, ref_group_line, g);
}

/* The supplementary groups: ascending, no repeats, the gid among them. */
static void
check_groups(const struct target *t)
{
	size_t i;

	CHECK(t->ngroups >= 1 && t->ngroups <= GROUPS_MAX);
	for (i = 1; i < t->ngroups; i++)
		CHECK(t->groups[i - 1] < t->groups[i]);
	CHECK(has_group(t, t->gid));
}

/* An entry's groups: its own gid and each group that lists its name. */
static void
check_member_groups(const struct target *t, const struct ref_group *g)
{
	size_t i, extra = 1;

	for (i = 0; i < g->ngroups; i++) {
		CHECK(has_group(t, g->groups[i]));
		if (g->groups[i] == t->gid)
			extra = 0;
	}
	CHECK(t->ngroups == g->ngroups + extra);
}

/* "<prefix><id>", the name an entry gets when the chosen one is taken. */
static const char *
alt_name(char prefix, unsigned int id)
{
	static char buf[16];

	snprintf(buf, sizeof(buf), "%c%u", prefix, id);
	return buf;
}

/* Which user was found, and what its entry gives. */
static void
check_user(const struct spec *sp, const struct defaults *d,
    const struct files *fs, const struct target *t)
{
	struct ref_user u;
	int found;

	found = ref_user(fs, sp->user.kind == PART_NAME ? sp->user.name : NULL,
	    sp->user.kind == PART_ID ? sp->user.id : d->uid, &u);
	CHECK(t->has_entry == found);
	CHECK(t->uid <= ID_MAX && t->gid <= ID_MAX);
	if (sp->user.kind == PART_ID)
		CHECK(t->uid == sp->user.id);
	if (!found) {
		CHECK(sp->user.kind != PART_NAME);
		CHECK(sp->user.kind == PART_ID || t->uid == d->uid);
		return;
	}
	CHECK(t->uid == u.uid);
	CHECK(ref_field_is(&u.f, 0, t->name));
	CHECK(u.f.len[5] == 0 ? strcmp(t->home, "/") == 0 :
	    ref_field_is(&u.f, 5, t->home));
}

/* Which gid and groups, and whether a group entry is to be added. */
static void
check_group(const struct spec *sp, const struct defaults *d,
    const struct files *fs, const struct target *t)
{
	struct ref_group g = { 0 };
	char alt[16];

	strcpy(alt, alt_name('g', t->gid));
	g.name = sp->group.kind == PART_NAME ? sp->group.name : NULL;
	g.gid = t->gid;
	g.member = sp->group.kind == PART_DEFAULT && t->has_entry ?
	    t->user.ent.name : NULL;
	g.taken[0] = d->gname;
	g.taken[1] = alt;
	ref_group(fs, &g);
	check_groups(t);
	if (sp->group.kind == PART_NAME) {
		CHECK(g.name_found && t->gid == g.name_gid);
		CHECK(t->ngroups == 1);
	} else if (sp->group.kind == PART_ID) {
		CHECK(t->gid == sp->group.id && t->ngroups == 1);
	} else if (t->has_entry) {
		CHECK(t->gid == t->user.ent.gid);
		check_member_groups(t, &g);
	} else {
		CHECK(t->gid == d->gid && t->ngroups == 1);
	}
	if (d->privileged || g.gid_found) {
		CHECK(!t->add_group);
		return;
	}
	CHECK(t->add_group == (!g.taken_found[0] || !g.taken_found[1]));
	if (t->add_group)
		CHECK(strcmp(t->group_name, g.taken_found[0] ? alt :
		    d->gname) == 0);
}

/* A uid without an entry gets one, under a name nobody holds. */
static void
check_plan(const struct defaults *d, const struct files *fs,
    const struct target *t)
{
	int first, second;

	if (t->has_entry || d->privileged) {
		CHECK(!t->add_user);
		return;
	}
	first = ref_name_taken(fs, d->uname);
	second = ref_name_taken(fs, alt_name('u', t->uid));
	CHECK(t->add_user == (!first || !second));
	if (!t->add_user)
		return;
	CHECK(strcmp(t->user_name, first ? alt_name('u', t->uid) :
	    d->uname) == 0);
	CHECK(strcmp(t->name, t->user_name) == 0);
	/* A caller that cannot make the home gets "/" instead. */
	if (strcmp(t->home, "/") == 0)
		return;
	CHECK(strncmp(t->home, HOME_BASE, strlen(HOME_BASE)) == 0);
	CHECK(strcmp(t->home + strlen(HOME_BASE), t->user_name) == 0);
}

/* The lines to append are whole entries for the target's ids. */
static void
check_lines(struct target *t)
{
	struct pw_ent pe;
	struct gr_ent ge;
	char copy[ENTRY_MAX];

	CHECK(format_entries(t, t->home_path) == 0);
	if (t->add_user) {
		strcpy(copy, t->user_line);
		CHECK(parse_pw_line(copy, strlen(copy), &pe) == 0);
		CHECK(strcmp(pe.name, t->user_name) == 0);
		CHECK(pe.uid == t->uid && pe.gid == t->gid);
	}
	if (t->add_group) {
		strcpy(copy, t->group_line);
		CHECK(parse_gr_line(copy, strlen(copy), &ge) == 0);
		CHECK(strcmp(ge.name, t->group_name) == 0);
		CHECK(ge.gid == t->gid);
	}
}

/* A refusal names a user or group that the files do not hold. */
static void
check_refusal(const struct spec *sp, const struct files *fs)
{
	struct ref_user u;
	struct ref_group g = { 0 };

	if (sp->user.kind == PART_NAME &&
	    !ref_user(fs, sp->user.name, 0, &u))
		return;
	CHECK(sp->group.kind == PART_NAME);
	g.name = sp->group.name;
	ref_group(fs, &g);
	CHECK(!g.name_found);
}

/* Splits the input at its first NPARTS NULs; missing parts are unset. */
static void
split(char *copy, size_t size, const char *part[NPARTS], struct files *fs)
{
	char *p = copy, *end = copy + size, *nul;
	int i;

	for (i = 0; i < NPARTS; i++)
		part[i] = NULL;
	fs->pw = fs->gr = end;
	fs->pw_len = fs->gr_len = 0;
	for (i = 0; i < NPARTS - 1 && p < end; i++) {
		part[i] = p;
		p += strlen(p) + 1;
	}
	if (p >= end)
		return;
	nul = memchr(p, '\0', (size_t)(end - p));
	fs->pw = p;
	fs->pw_len = nul ? (size_t)(nul - p) : (size_t)(end - p);
	if (nul) {
		fs->gr = nul + 1;
		fs->gr_len = (size_t)(end - nul - 1);
	}
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct target t;
	static struct spec sp;
	const char *part[NPARTS];
	struct defaults d;
	struct files fs;
	char *copy = malloc(size + 1);

	CHECK(copy != NULL);
	memcpy(copy, data, size);
	copy[size] = '\0';
	split(copy, size, part, &fs);
	if (part[0] == NULL || parse_spec(part[0], &sp) == -1 ||
	    parse_defaults(part[1], part[2], part[3], part[4], part[5],
	    &d) == -1) {
		free(copy);
		return 0;
	}
	fill(pw_fd, fs.pw, fs.pw_len);
	fill(gr_fd, fs.gr, fs.gr_len);
	memset(&t, 0, sizeof(t));
	if (resolve(&sp, &d, pw_path, gr_path, &t) == 0) {
		check_user(&sp, &d, &fs, &t);
		check_group(&sp, &d, &fs, &t);
		check_plan(&d, &fs, &t);
		check_lines(&t);
	} else {
		check_refusal(&sp, &fs);
	}
	free(copy);
	return 0;
}
