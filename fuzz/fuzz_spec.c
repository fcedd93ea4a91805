/* SPDX-License-Identifier: MIT */
/* fuzz_spec.c - libFuzzer target for parse_spec(), USER[:GROUP] */

#define SU_STEP_NO_MAIN
#include "su-step.c"

#include "fuzz.h"

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
	char name[SPEC_MAX + 1];

	if (len == 0)
		return PART_DEFAULT;
	if (strspn(s, "0123456789") >= len)
		return ref_id(s, len, id) ? PART_ID : -1;
	memcpy(name, s, len);
	name[len] = '\0';
	return ref_name(name, 1) ? PART_NAME : -1;
}

static void
check_part(const struct part *p, int kind, unsigned int id, const char *s,
    size_t len, const struct spec *sp)
{
	CHECK((int)p->kind == kind);
	if (kind == PART_ID)
		CHECK(p->id == id);
	if (kind != PART_NAME)
		return;
	CHECK(p->name >= sp->buf && p->name < sp->buf + sizeof(sp->buf));
	CHECK(strlen(p->name) == len && memcmp(p->name, s, len) == 0);
	CHECK(valid_name(p->name, NAME_LOOKUP));
	CHECK(strchr(p->name, ':') == NULL);
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
	if (len > SPEC_MAX || (colon && strchr(colon + 1, ':'))) {
		user = group = -1;
	} else {
		user = ref_part(arg, ulen, &uid);
		group = colon ? ref_part(colon + 1, len - ulen - 1, &gid) :
		    PART_DEFAULT;
	}
	r = parse_spec(arg, &sp);
	CHECK((r == 0) == (user != -1 && group != -1));
	if (r == 0) {
		check_part(&sp.user, user, uid, arg, ulen, &sp);
		if (colon)
			check_part(&sp.group, group, gid, colon + 1,
			    len - ulen - 1, &sp);
		else
			CHECK(sp.group.kind == PART_DEFAULT);
	}
	free(arg);
	return 0;
}
