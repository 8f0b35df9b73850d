/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which processes hold a socket, as ss -p finds them: the socket's inode
 * (sock_diag's idiag_inode) against the "socket:[INODE]" links of
 * /proc/PID/fd/, and each process's command and cgroup (its systemd
 * unit, when the cgroup path names one). The pure part: records and
 * parsers (procs.c); the reading is procs_read.c.
 */
#ifndef NQSTAT_MODEL_PROCS_H
#define NQSTAT_MODEL_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One process holding one socket (once, however many descriptors). */
struct nq_proc {
	uint64_t inode;			/* the socket's */
	int pid;
	char comm[17];			/* /proc/PID/comm; "" unreadable */
	char *cgroup;			/* cgroup v2 path, NULL unknown */
	char *unit;			/* systemd unit of it, NULL none */
};

/* Every process of the inodes asked for, by inode then pid. */
struct nq_procs {
	struct nq_proc *v;
	size_t n, cap;
};

void nq_procs_free(struct nq_procs *p);

/* Adds (inode, pid) unless there; strings unset. 0 or -ENOMEM. */
int nq_procs_add(struct nq_procs *p, uint64_t inode, int pid);

/* Sorts by inode, then pid (after the adds, before nq_procs_find()). */
void nq_procs_sort(struct nq_procs *p);

/* The processes of inode: the first, and their number in *n. */
const struct nq_proc *nq_procs_find(const struct nq_procs *p, uint64_t inode,
				    size_t *n);

/* The target of a /proc/PID/fd link, "socket:[12345]": its inode. */
int nq_parse_socket_link(const char *target, uint64_t *inode);

/*
 * A line of /proc/PID/cgroup: the cgroup v2 one ("0::/path") or, on a
 * hybrid hierarchy, systemd's ("N:name=systemd:/path"). Returns 1 with the
 * path copied into path (2 for systemd's v1 line), 0 for another line,
 * -EINVAL for a malformed one or a path longer than len.
 */
int nq_parse_cgroup_line(const char *line, char *path, size_t len);

/*
 * The systemd unit a cgroup path belongs to: its deepest component named
 * like a unit of a process (".service", ".scope"), into buf. NULL when
 * none ("/", "/user.slice").
 */
const char *nq_cgroup_unit(const char *path, char *buf, size_t len);

/*
 * "nginx/812(nginx.service),nginx/813(nginx.service)": the processes
 * of one socket, each command/pid(unit or cgroup path), into buf (cut
 * with "..." when it does not fit). Returns buf.
 */
const char *nq_procs_format(char *buf, size_t len, const struct nq_proc *v,
			    size_t n);

/*
 * Reading (procs_read.c): scans root/proc/[0-9]+/fd once for the
 * sockets of inodes (n of them, any order), then reads the command and
 * cgroup of every process found. Processes that vanish or cannot be read
 * are skipped (as ss does: without privileges, only the caller's own).
 * Returns 0, -ENOMEM, or -errno when root/proc cannot be read.
 */
int nq_procs_read(struct nq_procs *p, const char *root,
		  const uint64_t *inodes, size_t n);

#endif /* NQSTAT_MODEL_PROCS_H */
