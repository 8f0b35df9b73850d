// SPDX-License-Identifier: GPL-2.0
/*
 * Entering a named network namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/setns.h"

int netns_enter(const char *name, enum netns_step *step)
{
	char *path = NULL;
	int fd, ret = 0;

	*step = NETNS_OPEN;
	if (!name[0])
		return -ENOENT;
	if (strchr(name, '/')) {
		fd = open(name, O_RDONLY | O_CLOEXEC);
	} else {
		if (asprintf(&path, "%s/%s", NETNS_RUN_DIR, name) < 0)
			return -ENOMEM;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		free(path);
	}
	if (fd < 0)
		return -errno;
	*step = NETNS_SETNS;
	if (setns(fd, CLONE_NEWNET) < 0)
		ret = -errno;
	close(fd);
	return ret;
}
