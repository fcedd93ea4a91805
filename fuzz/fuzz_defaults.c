/* SPDX-License-Identifier: MIT */
/* fuzz_defaults.c - libFuzzer target for parse_defaults(), the environment */

#define SU_STEP_NO_MAIN
#include "su-step.c"

#include "fuzz.h"

#define NVARS	5

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_stderr(argc, argv);
	return 0;
}

/* An id variable: unset or empty keeps the default; -1 when refused. */
static int
ref_env_id(const char *v, unsigned int fallback, unsigned int *id)
{
	*id = fallback;
	if (v == NULL || *v == '\0')
		return 0;
	return ref_id(v, strlen(v), id) ? 0 : -1;
}

static int
ref_env_name(const char *v, const char *fallback, const char **name)
{
	*name = fallback;
	if (v == NULL || *v == '\0')
		return 0;
	*name = v;
	return ref_name(v, 0) ? 0 : -1;
}

/* Compares with ASCII letters folded to lower case, as in the C locale. */
static int
same_word(const char *v, const char *word)
{
	char c;

	for (; *v && *word; v++, word++) {
		c = *v >= 'A' && *v <= 'Z' ? (char)(*v - 'A' + 'a') : *v;
		if (c != *word)
			return 0;
	}
	return *v == *word;
}

static int
ref_privileged(const char *v, int *privileged)
{
	*privileged = 0;
	if (v == NULL || *v == '\0' || same_word(v, "false") ||
	    same_word(v, "no") || same_word(v, "0"))
		return 0;
	*privileged = 1;
	return same_word(v, "true") || same_word(v, "yes") ||
	    same_word(v, "1") ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *copy = malloc(size + 1), *p, *var[NVARS] = { NULL };
	const char *uname, *gname;
	struct defaults d;
	unsigned int uid, gid;
	int privileged, i, ok, r;

	CHECK(copy != NULL);
	memcpy(copy, data, size);
	copy[size] = '\0';
	/* Pieces between NULs; the variables past the last one are unset. */
	for (i = 0, p = copy; i < NVARS && p <= copy + size; i++) {
		var[i] = p;
		p += strlen(p) + 1;
	}
	ok = ref_env_id(var[0], DEFAULT_UID, &uid) == 0 &&
	    ref_env_id(var[1], DEFAULT_GID, &gid) == 0 &&
	    ref_privileged(var[2], &privileged) == 0 &&
	    ref_env_name(var[3], DEFAULT_UNAME, &uname) == 0 &&
	    ref_env_name(var[4], DEFAULT_GNAME, &gname) == 0;
	r = parse_defaults(var[0], var[1], var[2], var[3], var[4], &d);
	CHECK((r == 0) == ok);
	if (r == 0) {
		CHECK(d.uid == uid && d.gid == gid);
		CHECK(d.uid <= ID_MAX && d.gid <= ID_MAX);
		CHECK(d.privileged == privileged);
		CHECK(strcmp(d.uname, uname) == 0);
		CHECK(strcmp(d.gname, gname) == 0);
		CHECK(valid_name(d.uname, 0) && valid_name(d.gname, 0));
	}
	free(copy);
	return 0;
}
