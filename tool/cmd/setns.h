/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entering a named network namespace, like "ip -n NAME".
 */
#ifndef NQSTAT_NETNS_H
#define NQSTAT_NETNS_H

#define NETNS_RUN_DIR "/var/run/netns"

enum netns_step {
	NETNS_OPEN,	/* opening the namespace file failed */
	NETNS_SETNS,	/* switching to it failed */
};

/*
 * Moves the calling thread into the network namespace name: the file
 * NETNS_RUN_DIR/name, or name itself if it contains a '/'. Returns 0 or
 * -errno, with the step that failed in *step.
 */
int netns_enter(const char *name, enum netns_step *step);

#endif /* NQSTAT_NETNS_H */
