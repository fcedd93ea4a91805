# SPDX-License-Identifier: MIT
# checks.sh - what a case can assert after its command, sourced by run
# inside the case's namespace. Each check adds a line to fails[] when it
# does not hold; $F/stdout and $F/stderr hold the command's output.

fail() {
	fails+=("$*")
}

# The state of everything su-step may write, one line per item, so that
# a part of it can be compared alone. Fails, saying why on stderr, when a
# part cannot be listed: an empty part would always compare the same.
snapshot() {
	local f
	# Only GNU find has -printf; busybox's would list nothing at all.
	# shellcheck disable=SC2185 # --version takes no path
	find --version 2>/dev/null | grep -q GNU || {
		echo "snapshot: find is not GNU find, which -printf needs" >&2
		return 1
	}
	for f in /etc/passwd /etc/group; do
		if [ -e "$f" ]; then
			echo "${f#/etc/} $(sha256sum <"$f")"
		else
			echo "${f#/etc/} missing"
		fi
	done
	list_entries /home home '%s' || return
	# The --own fixtures, with change times: a skipped entry keeps its.
	for f in tree outside owned; do
		[ -e "$F/$f" ] || continue
		list_entries "$F/$f" "$f" '%C@' || return
	done
}

# list_entries DIR PART LAST: one sorted line per entry under DIR, PART
# first and the find -printf directive LAST at the end.
list_entries() {
	local text
	text=$(find "$1" -printf "$2 %P %y %m %U:%G $3\n") || {
		echo "snapshot: find $1 failed" >&2
		return 1
	}
	printf '%s\n' "$text" | LC_ALL=C sort
}

# Outputs are compared with their lines joined by "|".
joined() {
	local text
	text=$(cat "$1")
	printf '%s' "${text//$'\n'/|}"
}

check_status() {
	[ "$2" = "$1" ] && return
	if [ "$2" -ge 128 ] && [ "$1" -lt 128 ]; then
		fail "status: expected $1, got $2 (killed by signal $(($2 - 128)))"
	elif [ "$2" = 124 ]; then
		fail "status: expected $1, got 124 (timed out)"
	else
		fail "status: expected $1, got $2"
	fi
}

check_stdout() {
	local got
	got=$(joined "$F/stdout")
	case $1 in
	'*') return ;;
	-) [ -z "$got" ] && return ;;
	'~'*) [[ $got =~ ${1#'~'} ]] && return ;;
	*) [ "$got" = "$1" ] && return ;;
	esac
	fail "stdout: expected '$1', got '${got:0:400}'"
}

check_stderr() {
	local got
	got=$(joined "$F/stderr")
	case $1 in
	'*') return ;;
	-) [ -z "$got" ] && return ;;
	'~'*) [[ $got =~ ${1#'~'} ]] && return ;;
	*) [[ $got == *"$1"* ]] && return ;;
	esac
	fail "stderr: expected '$1'"
}

# same [passwd|group|home|tree|outside|owned]...: these (default: all) are
# as before the command: the files byte for byte, the directories with the
# same entries, modes and owners.
same() {
	local part parts="${*:-passwd group home tree outside owned}"
	snapshot >"$F/snap.after" || {
		fail "same: cannot list what su-step may have changed"
		return
	}
	for part in $parts; do
		cmp -s <(grep "^$part " "$F/snap.before") \
			<(grep "^$part " "$F/snap.after") ||
			fail "same: $part changed"
	done
}

# has FILE LINE [N]: FILE holds exactly N (default 1) lines equal to LINE.
has() {
	local n
	n=$(grep -cxF -e "$2" "$1" 2>/dev/null || true)
	[ "$n" = "${3-1}" ] ||
		fail "has: $1 holds '$2' ${n:-0} times, expected ${3-1}"
}

# lacks FILE TEXT: no line of FILE contains TEXT.
lacks() {
	! grep -qF -e "$2" "$1" 2>/dev/null ||
		fail "lacks: $1 has a line with '$2'"
}

# lines FILE N: FILE has N lines.
lines() {
	local n
	n=$(wc -l <"$1" || true)
	[ "$n" = "$2" ] || fail "lines: $1 has $n lines, expected $2"
}

# ends_nl FILE: FILE ends in a newline.
ends_nl() {
	[ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] ||
		fail "ends_nl: $1 does not end in a newline"
}

# attrs PATH UID:GID MODE: PATH itself (not a symlink's target) has them.
attrs() {
	local got
	got=$(stat -c '%u:%g %a' "$1" 2>&1) || true
	[ "$got" = "$2 $3" ] || fail "attrs: $1 is '$got', expected '$2 $3'"
}

# owner PATH UID:GID: the owner of PATH itself, for symlinks.
owner() {
	local got
	got=$(stat -c '%u:%g' "$1" 2>&1) || true
	[ "$got" = "$2" ] || fail "owner: $1 is owned by '$got', expected '$2'"
}

# absent PATH: PATH does not exist.
absent() {
	[ ! -e "$1" ] && [ ! -L "$1" ] || fail "absent: $1 exists"
}

# err_has TEXT, out_has TEXT: TEXT appears in stderr or stdout.
err_has() {
	grep -qF -e "$1" "$F/stderr" || fail "err_has: no '$1' in stderr"
}

out_has() {
	grep -qF -e "$1" "$F/stdout" || fail "out_has: no '$1' in stdout"
}

# err_lines N: stderr has N lines.
err_lines() {
	lines "$F/stderr" "$1"
}

# same_pid: stdout is two equal numbers, the pid before and after su-step.
same_pid() {
	local a b extra
	a='' b='' extra=''
	{ read -r a; read -r b; read -r extra; } <"$F/stdout" || true
	[[ $a =~ ^[0-9]+$ ]] && [ "$a" = "$b" ] && [ -z "$extra" ] ||
		fail "same_pid: the pids were '$a' and '$b'"
}

# distinct FILE FIELD: no two lines of FILE have the same FIELDth field
# (fields split at ':'), as no two entries may share a name or an id.
distinct() {
	local dup
	dup=$(cut -s -d: -f"$2" "$1" | LC_ALL=C sort | uniq -d | head -n 1)
	[ -z "$dup" ] || fail "distinct: $1 has field $2 '$dup' more than once"
}

# in_range FILE LO HI: FILE holds one whole number from LO to HI.
in_range() {
	local n
	n=$(cat "$1" 2>/dev/null || true)
	if [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge "$2" ] && [ "$n" -le "$3" ]
	then
		return
	fi
	fail "in_range: $1 holds '$n', expected $2 to $3"
}

# count_re FILE ERE N: N lines of FILE match ERE.
count_re() {
	local n
	n=$(grep -cE -e "$2" "$1" 2>/dev/null || true)
	[ "$n" = "$3" ] ||
		fail "count_re: $1 has ${n:-0} lines matching '$2', expected $3"
}
