/* SPDX-License-Identifier: MIT */
/* passwd.h - strict reading and appending of passwd(5) and group(5) files */

#ifndef SU_STEP_PASSWD_H
#define SU_STEP_PASSWD_H

#include <stddef.h>
#include <sys/types.h>

#define ID_MAX		4294967294u	/* (uid_t)-1 means "no change" */
#define NAME_MAX_LEN	32
#define LINE_MAX_LEN	65535		/* longer lines are never matched */
#define GROUPS_MAX	65536		/* the kernel's NGROUPS_MAX */
#define ENTRY_MAX	(NAME_MAX_LEN + 2 * 11 + 4096 + 32)

/* Flags for valid_name(). */
#define NAME_LOOKUP	1	/* may end in '$', as machine accounts do */

/* Results of the scans: the file could not be read, or what was found. */
#define SCAN_FAILED	(-1)

/* One passwd line, split in place; the pointers point into the line. */
struct pw_ent {
	char *name;
	uid_t uid;
	gid_t gid;
	char *home;
	char *shell;
};

/* One group line, split in place. */
struct gr_ent {
	char *name;
	gid_t gid;
	char *members;
};

/* A passwd entry that outlives the scan that found it. */
struct user {
	struct pw_ent ent;
	char line[LINE_MAX_LEN + 1];
};

/*
 * What one pass over a group file looks for: the gid of a group name, whether
 * a gid has an entry, whether names are taken (as the first field of any
 * line, well formed or not), and the groups that list a member.
 */
struct group_query {
	const char *name;		/* in: group name to look up, or NULL */
	gid_t gid;			/* in: gid sought; out: name's gid */
	const char *member;		/* in: collect groups listing it */
	const char *taken_names[2];	/* in: names to test, or NULL */
	int name_found;			/* out */
	int gid_found;			/* out */
	int taken[2];			/* out */
	gid_t *groups;			/* out: member's groups, ascending */
	size_t ngroups;			/* out */
	size_t max_groups;		/* in: room in groups */
};

int parse_id(const char *s, unsigned int *id);
int valid_name(const char *s, int flags);
int parse_pw_line(char *line, size_t len, struct pw_ent *e);
int parse_gr_line(char *line, size_t len, struct gr_ent *e);
int lists_member(const char *members, const char *name);
int add_group_id(gid_t *groups, size_t *n, size_t max, gid_t gid);

int open_db(const char *path);
int find_user(int fd, const char *name, uid_t uid, struct user *u);
int name_taken(int fd, const char *name);
int query_groups(int fd, struct group_query *q);

int format_pw_entry(char *buf, size_t size, const char *name, uid_t uid,
    gid_t gid, const char *home, const char *shell);
int format_gr_entry(char *buf, size_t size, const char *name, gid_t gid);

/* Outcomes of append_entry(). */
enum append_result {
	APPEND_DONE,		/* the line was written whole */
	APPEND_PRESENT,		/* found under the lock: nothing written */
	APPEND_CONFLICT,	/* a clash under the lock: nothing written */
	APPEND_BUSY,		/* the lock was not had in time */
	APPEND_FAILED		/* errno says why; the file is as it was */
};

/*
 * Says, for a file read under the lock, whether the entry may be written.
 * The line is read only after it returns, so it may still change the line.
 */
typedef enum append_result (*entry_check)(int fd, void *arg);

enum append_result append_entry(const char *path, const char *line,
    entry_check check, void *arg, unsigned int wait_ms);

#endif
