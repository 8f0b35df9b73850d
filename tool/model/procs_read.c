// SPDX-License-Identifier: GPL-2.0
/*
 * Processes of sockets: reading /proc under a root prefix, as ss -p does
 * (every /proc/PID/fd/ link once per run).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/procs.h"

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* A decimal pid, the whole name. */
static int pid_of(const char *name)
{
	long v = 0;
	const char *s;

	if (!*name)
		return -1;
	for (s = name; *s; s++) {
		if (*s < '0' || *s > '9' || v > INT_MAX / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > 0 && v <= INT_MAX ? (int)v : -1;
}

static int scan_fds(struct nq_procs *p, const char *root, int pid,
		    const uint64_t *want, size_t n)
{
	char path[PATH_MAX], target[64];
	struct dirent *e;
	DIR *d;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/proc/%d/fd", root, pid);
	d = opendir(path);
	if (!d)
		return 0;	/* gone, or not ours to read */
	while (!ret && (e = readdir(d))) {
		uint64_t inode;
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/proc/%d/fd/%s", root, pid,
			 e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (nq_parse_socket_link(target, &inode) < 0 ||
		    !bsearch(&inode, want, n, sizeof(*want), u64_cmp))
			continue;
		ret = nq_procs_add(p, inode, pid);
	}
	closedir(d);
	return ret;
}

/* Command and cgroup of one process; what cannot be read stays unset. */
static int read_details(struct nq_proc *pr, const char *root)
{
	char path[PATH_MAX], line[4096], cg[4096], unit[256];
	FILE *f;
	int kind, best = 0;

	snprintf(path, sizeof(path), "%s/proc/%d/comm", root, pr->pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(pr->comm, sizeof(pr->comm), f))
			pr->comm[strcspn(pr->comm, "\n")] = '\0';
		else
			pr->comm[0] = '\0';
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/proc/%d/cgroup", root, pr->pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char tmp[sizeof(cg)];

		kind = nq_parse_cgroup_line(line, tmp, sizeof(tmp));
		/* v2 first; systemd's v1 hierarchy on a hybrid host. */
		if (kind > 0 && (!best || kind < best)) {
			memcpy(cg, tmp, sizeof(cg));
			best = kind;
		}
	}
	fclose(f);
	if (!best)
		return 0;
	pr->cgroup = strdup(cg);
	if (!pr->cgroup)
		return -ENOMEM;
	if (nq_cgroup_unit(cg, unit, sizeof(unit))) {
		pr->unit = strdup(unit);
		if (!pr->unit)
			return -ENOMEM;
	}
	return 0;
}

int nq_procs_read(struct nq_procs *p, const char *root,
		  const uint64_t *inodes, size_t n)
{
	char path[PATH_MAX];
	uint64_t *want;
	struct dirent *e;
	size_t i;
	DIR *d;
	int ret = 0, pid;

	if (!n)
		return 0;
	want = malloc(n * sizeof(*want));
	if (!want)
		return -ENOMEM;
	memcpy(want, inodes, n * sizeof(*want));
	qsort(want, n, sizeof(*want), u64_cmp);
	snprintf(path, sizeof(path), "%s/proc", root);
	d = opendir(path);
	if (!d) {
		free(want);
		return -errno;
	}
	while (!ret && (e = readdir(d)))
		if ((pid = pid_of(e->d_name)) > 0)
			ret = scan_fds(p, root, pid, want, n);
	closedir(d);
	free(want);
	for (i = 0; !ret && i < p->n; i++)
		ret = read_details(&p->v[i], root);
	nq_procs_sort(p);
	return ret;
}
