#!/bin/sh
# SPDX-License-Identifier: MIT
# entrypoint.sh - run the image's command as an unprivileged user.
#
# Started as root, su-step creates the default user's passwd and group
# entries, gives it /opt/app/data and steps down. Started with
# `docker run --user` or a Kubernetes runAsUser, the ids are already
# chosen: su-step checks them, adds the passwd entry if it can, and runs
# the command; /opt/app/data must then be writable by that user already.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	exec su-step "$(id -u):$(id -g)" "$@"
fi
exec su-step --own /opt/app/data : "$@"
