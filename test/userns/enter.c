/* SPDX-License-Identifier: MIT */
/* enter.c - run a command as root of a new user and mount namespace */

/*
 * Usage: enter BASE COMMAND [ARG]...
 * Maps ids 0 to 65535 of the new namespace onto host ids BASE to
 * BASE + 65535, the way container runtimes isolate a container's root.
 * The child unshares, the parent (host root) writes the maps, and the
 * child then becomes the namespace's root before it execs, so that the
 * command keeps the namespace's capabilities.
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);

	if (fd == -1 || write(fd, text, len) != (ssize_t)len) {
		perror(path);
		exit(1);
	}
	close(fd);
}

static void
write_maps(pid_t pid, const char *base)
{
	char path[64], map[64];

	snprintf(map, sizeof(map), "0 %s 65536\n", base);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	write_file(path, map);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	write_file(path, map);
}

int
main(int argc, char **argv)
{
	int ready[2], mapped[2], status;
	pid_t pid;
	char c;

	if (argc < 3) {
		fprintf(stderr, "usage: enter BASE COMMAND [ARG]...\n");
		return 2;
	}
	if (pipe(ready) == -1 || pipe(mapped) == -1 || (pid = fork()) == -1) {
		perror("enter");
		return 1;
	}
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == -1) {
			perror("unshare");
			_exit(1);
		}
		if (write(ready[1], "r", 1) != 1 || read(mapped[0], &c, 1) != 1)
			_exit(1);
		if (setresgid(0, 0, 0) == -1 || setresuid(0, 0, 0) == -1) {
			perror("setresuid");
			_exit(1);
		}
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (read(ready[0], &c, 1) != 1)
		return 1;
	write_maps(pid, argv[1]);
	if (write(mapped[1], "m", 1) != 1)
		return 1;
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
