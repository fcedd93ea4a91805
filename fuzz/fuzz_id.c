/* SPDX-License-Identifier: MIT */
/* fuzz_id.c - libFuzzer target for parse_id(), the one number parser */

#include "fuzz.h"

#define UNTOUCHED	0xa5a5a5a5u

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* An accepted number printed again is its digits less leading zeros. */
static void
check_digits(const char *s, unsigned int id)
{
	char again[16];

	while (s[0] == '0' && s[1] != '\0')
		s++;
	snprintf(again, sizeof(again), "%u", id);
	CHECK(strcmp(again, s) == 0);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = fuzz_string(data, size);
	unsigned int id = UNTOUCHED, want = 0;
	int ok = ref_id(s, strlen(s), &want);

	if (parse_id(s, &id) == 0) {
		CHECK(ok);
		CHECK(s[0] != '\0' && strspn(s, "0123456789") == strlen(s));
		CHECK(id <= ID_MAX);
		CHECK(id == want);
		check_digits(s, id);
	} else {
		CHECK(!ok);
		CHECK(id == UNTOUCHED);
	}
	free(s);
	return 0;
}
