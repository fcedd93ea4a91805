# SPDX-License-Identifier: MIT
# fixtures.sh - the fixture steps a case table names, sourced by run inside
# the case's mount namespace. $F is the fixture directory; $F/passwd,
# $F/group and $F/home are already bind-mounted over /etc/passwd, /etc/group
# and /home. Steps write only under $F and mount only inside the namespace;
# files are rewritten in place so the bind mounts keep pointing at them.
# A step returning 77 skips the case.

# Bind the fixture over the machine's files, and prove that it worked before
# any step writes: a failed mount must never lead to writing /etc. The root
# file system is made read-only in this namespace, so that even a su-step
# that chowned or wrote outside the fixture could not harm the machine.
mount_fixture() {
	mount -o remount,bind,ro / &&
	mount --bind "$F/passwd" /etc/passwd &&
	mount --bind "$F/group" /etc/group &&
	mount --bind "$F/home" /home || {
		echo "  cannot mount the fixture over /etc and /home"
		return 1
	}
	[ /etc/passwd -ef "$F/passwd" ] && [ /etc/group -ef "$F/group" ] &&
	[ /home -ef "$F/home" ] || {
		echo "  /etc/passwd, /etc/group or /home is not the fixture"
		return 1
	}
}

# pw=TEXT and gr=TEXT append one line (printf %b escapes, so \r, \0, \x20
# and \c work); any other word names a function fx_WORD.
apply_step() {
	case $1 in
	pw=*)	printf '%b\n' "${1#pw=}" >>"$F/passwd" ;;
	gr=*)	printf '%b\n' "${1#gr=}" >>"$F/group" ;;
	-)	;;
	*)	"fx_${1//-/_}" ;;
	esac
}

# Accounts of a typical image, plus users in several groups.
fx_base() {
	cat >>"$F/passwd" <<-'EOF'
	root:x:0:0:root:/root:/bin/bash
	daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
	real:x:1000:1000:Real User,,,:/home/real:/bin/sh
	multi:x:1001:1001::/home/multi:/bin/sh
	nohome:x:1003:1003:::/bin/sh
	dollar$:x:1004:1004::/home/dollar:/bin/sh
	nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
	EOF
	cat >>"$F/group" <<-'EOF'
	root:x:0:
	daemon:x:1:
	audio:x:29:multi
	video:x:44:other,multi,third
	staff:x:50:real,multi
	real:x:1000:
	multi:x:1001:
	nohome:x:1003:
	dollar$:x:1004:
	dev:x:2000:multi
	nogroup:x:65534:
	EOF
}

# The entries su-step creates by default, already there with their home.
fx_ping() {
	echo 'ping:x:9031:9999::/home/ping:/sbin/nologin' >>"$F/passwd"
	echo 'identity:x:9999:' >>"$F/group"
	mkdir -m 700 "$F/home/ping"
	chown 9031:9999 "$F/home/ping"
}

# The default names taken by other ids.
fx_names_taken() {
	echo 'ping:x:1234:1234::/:/sbin/nologin' >>"$F/passwd"
	echo 'identity:x:1234:' >>"$F/group"
}

# /home/ping exists but belongs to someone else.
fx_home_foreign() {
	mkdir -m 755 "$F/home/ping"
}

# /home/ping exists and already belongs to the target.
fx_home_own() {
	mkdir -m 750 "$F/home/ping"
	chown 9031:9999 "$F/home/ping"
}

fx_ro_passwd() {
	mount -o remount,bind,ro /etc/passwd
}

fx_ro_group() {
	mount -o remount,bind,ro /etc/group
}

fx_ro_home() {
	mount -o remount,bind,ro /home
}

# An OpenShift-style image: the files writable by the group the arbitrary
# uid runs with.
fx_group_writable() {
	chgrp 9999 "$F/passwd" "$F/group" &&
	chmod 664 "$F/passwd" "$F/group"
}

# Both files lose their final newline.
fx_no_newline() {
	local f text
	for f in "$F/passwd" "$F/group"; do
		text=$(cat "$f")
		printf '%s' "$text" >"$f"
	done
}

# passwd and group on a full tmpfs, each file ending ROOM bytes short of
# a page boundary. With no room, an append needs a new page and gets ENOSPC
# before writing a byte; with a little room, write() puts ROOM bytes in the
# last page and stops there, a short write that must be undone.
disk_full() {
	local room=$1 f
	mkdir "$F/full" &&
	mount -t tmpfs -o size=64k,mode=755 su-step-full "$F/full" || return
	for f in passwd group; do
		pad_to "$F/$f" $((4096 - room)) >"$F/full/$f"
		chmod 644 "$F/full/$f"
		[ "$(stat -c %s "$F/full/$f")" = $((4096 - room)) ] &&
		mount --bind "$F/full/$f" "/etc/$f" || return
	done
	dd if=/dev/zero of="$F/full/fill" bs=4k 2>/dev/null
	[ "$(stat -f -c %a "$F/full")" = 0 ]
}

fx_disk_full() {
	disk_full 0
}

# 10 bytes of room: less than any line su-step adds.
fx_disk_short() {
	disk_full 10
}

# Prints FILE followed by a comment-like line that is never an entry,
# padding the whole to SIZE bytes.
pad_to() {
	local size
	size=$(stat -c %s "$1")
	cat "$1"
	perl -e 'print "#" x ($ARGV[0] - 1), "\n"' $(($2 - size))
}

# Neither account file exists: /etc becomes an empty tmpfs holding only what
# the tools need to start.
fx_no_files() {
	local keep
	mkdir "$F/etc" && mount --bind /etc "$F/etc" &&
	mount -o remount,bind,ro "$F/etc" &&
	mount -t tmpfs -o mode=755 su-step-etc /etc || return
	for keep in alternatives ld.so.cache nsswitch.conf; do
		[ -e "$F/etc/$keep" ] && ln -s "$F/etc/$keep" "/etc/$keep"
	done
	return 0
}

# /etc/group does not exist; /etc/passwd is the fixture's passwd.
fx_no_group() {
	fx_no_files && : >/etc/passwd &&
	mount --bind "$F/passwd" /etc/passwd && [ /etc/passwd -ef "$F/passwd" ]
}

# Files the command cannot run.
fx_not_runnable() {
	printf '#!/bin/sh\necho ran\n' >"$F/bin/plain" &&
	chmod 644 "$F/bin/plain" &&
	cp "$F/bin/plain" "$F/bin/rootonly" &&
	chmod 700 "$F/bin/rootonly" &&
	printf '#!/nonexistent/interp\n' >"$F/bin/badinterp" &&
	chmod 755 "$F/bin/badinterp"
}

# Directories to search for a command named pathprobe, which says where
# it was found: the current directory (cwd), one the user cannot search
# (locked), one where it is not executable (noexec), one where it is a
# script without "#!" (noshebang), and a file in the place of a directory
# (notdir). /usr/local/bin gets an "id" that says it came from there.
fx_path() {
	[ -d /usr/local/bin ] || return 77
	mkdir "$F/cwd" "$F/locked" "$F/noexec" "$F/noshebang" "$F/local" &&
	probe "$F/cwd/pathprobe" cwd &&
	probe "$F/locked/pathprobe" locked &&
	chmod 700 "$F/locked" &&
	probe "$F/noexec/pathprobe" noexec &&
	chmod 644 "$F/noexec/pathprobe" &&
	echo 'echo noshebang' >"$F/noshebang/pathprobe" &&
	chmod 755 "$F/noshebang/pathprobe" &&
	echo file >"$F/notdir" &&
	probe "$F/local/id" usr-local &&
	mount --bind "$F/local" /usr/local/bin
}

# probe FILE TEXT: an executable script at FILE that prints TEXT.
probe() {
	printf '#!/bin/sh\necho %s\n' "$2" >"$1" && chmod 755 "$1"
}

# A tree for --own: files of several owners and modes, a symlink out of the
# tree, a symlink loop, and another file system mounted inside.
fx_tree() {
	local t="$F/tree"
	mkdir -p "$t/sub/deep" "$t/mnt" "$F/outside" &&
	echo data >"$t/file" &&
	echo data >"$t/sub/deep/file" &&
	echo data >"$F/outside/secret" &&
	chmod 666 "$t/file" &&
	chmod 4755 "$t/sub/deep/file" &&
	chmod 777 "$t/sub" &&
	chown 1000:1000 "$t/sub/deep" &&
	chmod 700 "$t/sub/deep" &&
	chmod 644 "$F/outside/secret" &&
	ln -s "$F/outside/secret" "$t/link-out" &&
	ln -s "$F/outside" "$t/dir-link" &&
	ln -s loop "$t/loop" &&
	mount -t tmpfs -o mode=755,size=1m su-step-inner "$t/mnt" &&
	echo data >"$t/mnt/file" &&
	chmod 644 "$t/mnt/file"
}

# The tree, read-only, its top already right: what is below cannot change.
fx_tree_ro() {
	chown 1000:1000 "$F/tree" &&
	chmod 700 "$F/tree" &&
	mount --bind -o ro "$F/tree" "$F/tree"
}

# A tree already owned right: nothing should be changed.
fx_tree_owned() {
	mkdir -p "$F/owned/a" &&
	echo data >"$F/owned/a/f" &&
	chmod 700 "$F/owned" "$F/owned/a" &&
	chmod 600 "$F/owned/a/f" &&
	chown -R 9031:9999 "$F/owned"
}

# --- hostile files ---

# 64 KiB of fixed pseudo-random bytes (NULs included) before the entries.
fx_garbage() {
	perl -e 'srand(7); print map { chr(int(rand(256))) } 1 .. 65536' \
		>>"$F/passwd"
	perl -e 'srand(8); print map { chr(int(rand(256))) } 1 .. 65536' \
		>>"$F/group"
	echo >>"$F/passwd"
	echo >>"$F/group"
}

# Only binary garbage, no newline at the end.
fx_garbage_only() {
	perl -e 'srand(9); print map { chr(int(rand(256))) } 1 .. 200000' \
		>"$F/passwd"
	perl -e 'srand(10); print map { chr(int(rand(256))) } 1 .. 200000' \
		>"$F/group"
}

# A single line of 1 MiB that looks like an entry for "big".
fx_long_line() {
	perl -e 'print "big:x:1500:1500::/", "a" x (1 << 20), ":/bin/sh\n"' \
		>>"$F/passwd"
	perl -e 'print "big:x:1500:", "m," x (1 << 19), "real\n"' \
		>>"$F/group"
}

# A line of exactly 65535 bytes plus newline is the longest that counts;
# one byte more and it is never matched.
fx_edge_lines() {
	perl -e '
		my $pre = "edge:x:1600:1600::/";
		my $suf = ":/bin/sh";
		print $pre, "a" x (65535 - length($pre . $suf)), $suf, "\n";
		$pre = "over:x:1601:1601::/";
		print $pre, "a" x (65536 - length($pre . $suf)), $suf, "\n";
	' >>"$F/passwd"
}

# 100000 users and 100000 groups, each user in its own group; "last" is
# the very last line of both files and also a member of the first group.
fx_many() {
	perl -e 'printf "u%d:x:%d:%d::/:/sbin/nologin\n", $_, 100000 + $_,
		100000 + $_ for 0 .. 99998;
		print "last:x:99999:99999::/home/last:/bin/sh\n"' \
		>>"$F/passwd"
	perl -e 'print "g0:x:100000:u0,last\n";
		printf "g%d:x:%d:u%d\n", $_, 100000 + $_, $_ for 1 .. 99998;
		print "last:x:99999:\n"' >>"$F/group"
}

# Every line of both files ends in CRLF.
fx_crlf() {
	local f
	for f in "$F/passwd" "$F/group"; do
		sed 's/$/\r/' "$f" >"$F/crlf.tmp" && cat "$F/crlf.tmp" >"$f"
	done
	rm -f "$F/crlf.tmp"
}

# A group listing real 5000 times, and another listing it among 5000
# names that only start or end like it.
fx_dup_members() {
	perl -e 'print "many:x:70:", join(",", ("real") x 5000), "\n";
		print "near:x:71:", join(",", map { "real$_,x$_" } 1 .. 5000),
		"\n"' >>"$F/group"
}

# passwd readable by root only.
fx_private_passwd() {
	chmod 600 "$F/passwd"
}

# 2000 groups listing real, their lines of pseudo-random lengths (up to
# 600 bytes of other members first), so that wherever the reader's chunks
# end, some line straddles the boundary.
fx_straddle() {
	perl -e 'srand(11);
		for my $n (0 .. 1999) {
			my $pad = join(",", map { "m$_" } 1 .. int(rand(120)));
			printf "s%d:x:%d:%s%sreal\n", $n, 3000 + $n, $pad,
				$pad eq "" ? "" : ",";
		}' >>"$F/group"
}

# Group lines of exactly 65535 bytes (counts) and 65536 bytes (never
# matched), both ending in the member real.
fx_group_edge_lines() {
	perl -e '
		for my $g ([ "edge", 1600, 65535 ], [ "over", 1601, 65536 ]) {
			my $pre = sprintf "%s:x:%d:", $g->[0], $g->[1];
			my $n = $g->[2] - length($pre) - length(",real");
			print $pre, "m" x $n, ",real\n";
		}' >>"$F/group"
}

# big_groups N: real (1000) is listed in N more groups, gids from 200000
# on; with staff and its primary group that is N + 2 groups.
big_groups() {
	perl -e 'printf "big%d:x:%d:real\n", $_, 200000 + $_
		for 1 .. $ARGV[0]' "$1" >>"$F/group"
}

# As many groups as the kernel takes, one too many, and one more again.
fx_groups_most() { big_groups 65534; }
fx_groups_full() { big_groups 65535; }
fx_groups_over() { big_groups 65536; }

# The tree, read-only, its top already the default user's: only what is
# below would need changing.
fx_tree_ro_default() {
	chown 9031:9999 "$F/tree" &&
	chmod 700 "$F/tree" &&
	mount --bind -o ro "$F/tree" "$F/tree"
}

# deep_tree N: $F/deep holds a chain of N directories below it, the file
# "end" at the bottom; all root's, 0755.
deep_tree() {
	local path="$F/deep"
	path="$path$(printf '/d%.0s' $(seq "$1"))"
	mkdir -p "$path" && echo data >"$path/end"
}

# As deep as --own goes, and deeper.
fx_deep_511() { deep_tree 511; }
fx_deep_600() { deep_tree 600; }

# Mounts inside the tree from the same file system: a directory and a file.
fx_tree_bind() {
	mkdir -m 755 "$F/bindsrc" "$F/tree/bound" &&
	echo data >"$F/bindsrc/file" &&
	chmod 644 "$F/bindsrc/file" &&
	mount --bind "$F/bindsrc" "$F/tree/bound" &&
	touch "$F/tree/filemnt" &&
	mount --bind "$F/outside/secret" "$F/tree/filemnt"
}

# 100000 files in 200 directories, for a walk that takes a while.
fx_big_tree() {
	perl -e 'for my $d (1 .. 200) {
		mkdir "$ARGV[0]/$d" or die;
		for my $f (1 .. 500) {
			open(my $h, ">", "$ARGV[0]/$d/$f") or die;
		}
	}' "$(mkdir -m 755 "$F/big" && echo "$F/big")"
}

# Skips the case on a machine with one CPU, where --own walks alone.
fx_two_cpus() {
	[ "$(nproc)" -ge 2 ] || return 77
}

# $F/imm, an empty file marked immutable; skips the case where the file
# system cannot mark it (tmpfs before Linux 6.0).
fx_immutable() {
	touch "$F/imm" && { chattr +i "$F/imm" 2>/dev/null || return 77; }
}
