/* SPDX-License-Identifier: MIT */
/* fuzz_spec.c - libFuzzer target for parse_spec() and parse_args() */

#define SU_STEP_NO_MAIN
#include "su-step.c"

#include "fuzz.h"

/*
 * The input is read twice: up to its first NUL as a spec, and split at
 * every NUL as the arguments after argv[0].
 */
#define ARGS_MAX	256

/* What the command line must come out as. */
struct ref_args {
	int flags[5];		/* help, version, dry run, verbose, no privs */
	const char *own[OWN_MAX + 1];
	size_t nown;
	int spec;		/* index in argv, or 0 for none */
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_stderr(argc, argv);
	return 0;
}

/* What one side of the ':' must come out as; -1 when it is refused. */
static int
ref_part(const char *s, size_t len, unsigned int *id)
{
	char name[NAME_MAX_LEN + 2];

	if (len == 0)
		return PART_DEFAULT;
	/* Leading zeros do not count, however many. */
	if (strspn(s, "0123456789") >= len)
		return ref_id(s, len, id) ? PART_ID : -1;
	if (len > NAME_MAX_LEN)
		return -1;
	memcpy(name, s, len);
	name[len] = '\0';
	return ref_name(name, 1) ? PART_NAME : -1;
}

static void
check_part(const struct part *p, int kind, unsigned int id, const char *s,
    size_t len, const char *buf)
{
	CHECK((int)p->kind == kind);
	if (kind == PART_ID)
		CHECK(p->id == id);
	if (kind != PART_NAME)
		return;
	CHECK(p->name == buf);
	CHECK(strlen(p->name) == len && memcmp(p->name, s, len) == 0);
	CHECK(valid_name(p->name, NAME_LOOKUP));
	CHECK(strchr(p->name, ':') == NULL);
}

/* A long option; -1 refuses it, else how many words it took. */
static int
ref_long(int argc, char **argv, int i, struct ref_args *r)
{
	static const char *const names[] = { "--help", "--version",
	    "--dry-run", "--verbose", "--no-new-privs" };
	const char *a = argv[i];
	size_t k;

	for (k = 0; k < 5; k++)
		if (strcmp(a, names[k]) == 0) {
			r->flags[k] = 1;
			return 1;
		}
	/* A full list refuses another --own, and the rest are unknown. */
	if (r->nown == OWN_MAX)
		return -1;
	if (strncmp(a, "--own=", 6) == 0) {
		r->own[r->nown++] = a + 6;
		return 1;
	}
	if (strcmp(a, "--own") != 0 || i + 1 >= argc)
		return -1;
	r->own[r->nown++] = argv[i + 1];
	return 2;
}

static int
ref_short(const char *a, struct ref_args *r)
{
	static const char letters[] = "hVnv";
	const char *at;

	for (a++; *a; a++) {
		at = strchr(letters, *a);
		if (at == NULL)
			return -1;
		r->flags[at - letters] = 1;
	}
	return 1;
}

/* The command line rules written a second way. */
static int
ref_args(int argc, char **argv, struct ref_args *r)
{
	int i = 1, n;

	memset(r, 0, sizeof(*r));
	while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		n = argv[i][1] == '-' ? ref_long(argc, argv, i, r) :
		    ref_short(argv[i], r);
		if (n == -1)
			return -1;
		i += n;
	}
	if (r->flags[0] || r->flags[1])
		return 0;
	if (i + 1 >= argc)
		return -1;
	r->spec = i;
	return 0;
}

static void
check_args(const unsigned char *data, size_t size)
{
	char *copy = malloc(size + 1), **argv, *p;
	struct options o;
	struct ref_args want;
	int argc = 1, ok, i;
	size_t k;

	CHECK(copy != NULL);
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv = malloc((ARGS_MAX + 2) * sizeof(*argv));
	CHECK(argv != NULL);
	argv[0] = (char *)"su-step";
	for (p = copy; p < copy + size && argc <= ARGS_MAX; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	ok = ref_args(argc, argv, &want) == 0;
	CHECK((parse_args(argc, argv, &o) == 0) == ok);
	if (ok) {
		CHECK(o.help == want.flags[0] && o.version == want.flags[1]);
		CHECK(o.dry_run == want.flags[2] && o.verbose == want.flags[3]);
		CHECK(o.no_new_privs == want.flags[4]);
		CHECK(o.nown == want.nown);
		for (k = 0; k < o.nown; k++)
			CHECK(o.own[k] == want.own[k]);
		CHECK(want.spec || o.spec == NULL);
		if (want.spec) {
			CHECK(o.spec == argv[want.spec]);
			CHECK(o.command == argv + want.spec + 1);
			for (i = want.spec + 1; i < argc; i++)
				CHECK(o.command[i - want.spec - 1] == argv[i]);
		}
	}
	free(argv);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct spec sp;
	char *arg = fuzz_string(data, size);
	size_t len = strlen(arg), ulen;
	const char *colon = strchr(arg, ':');
	unsigned int uid = 0, gid = 0;
	int user, group, r;

	ulen = colon ? (size_t)(colon - arg) : len;
	if (colon && strchr(colon + 1, ':')) {
		user = group = -1;
	} else {
		user = ref_part(arg, ulen, &uid);
		group = colon ? ref_part(colon + 1, len - ulen - 1, &gid) :
		    PART_DEFAULT;
	}
	r = parse_spec(arg, &sp);
	CHECK((r == 0) == (user != -1 && group != -1));
	if (r == 0) {
		check_part(&sp.user, user, uid, arg, ulen, sp.user_buf);
		if (colon)
			check_part(&sp.group, group, gid, colon + 1,
			    len - ulen - 1, sp.group_buf);
		else
			CHECK(sp.group.kind == PART_DEFAULT);
	}
	free(arg);
	check_args(data, size);
	return 0;
}
