/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every network namespace of the host that can be entered: the caller's,
 * those of "ip netns" (NETNS_RUN_DIR), and those of any process
 * (/proc/PID/ns/net), for the subcommands' -a that must read a namespace
 * from inside it (its sysctls, /proc/net, sock_diag).
 */
#ifndef NQSTAT_CMD_NAMESPACES_H
#define NQSTAT_CMD_NAMESPACES_H

#include <stddef.h>
#include <stdint.h>

struct nq_ns_ref {
	uint64_t ino;		/* the namespace's inode */
	char *name;		/* its ip netns name, or NULL */
	char *path;		/* a file that refers to it, for setns() */
};

struct nq_ns_refs {
	struct nq_ns_ref *v;	/* the caller's first, then by name, inode */
	size_t n;
	int home;		/* fd of the caller's namespace */
};

/*
 * Fills r with every namespace found, each once. Returns 0 or -errno
 * (nothing to free then).
 */
int nq_ns_refs_read(struct nq_ns_refs *r);
void nq_ns_refs_free(struct nq_ns_refs *r);

/*
 * Moves the calling thread into namespace i of r; nq_ns_refs_home() back
 * into the caller's. Return 0 or -errno (-ENOENT: the namespace is gone,
 * its last process exited since nq_ns_refs_read()).
 */
/*
 * The ip netns name (under NETNS_RUN_DIR) of the namespace whose inode is
 * ino, allocated, or NULL (none, or unknown inode).
 */
char *nq_netns_name_of(uint64_t ino);

/*
 * The inode of the calling thread's network namespace (that of -n once
 * entered), or 0 when /proc cannot tell.
 */
uint64_t nq_netns_self(void);

int nq_ns_ref_enter(const struct nq_ns_refs *r, size_t i);
int nq_ns_refs_home(const struct nq_ns_refs *r);

#endif /* NQSTAT_CMD_NAMESPACES_H */
