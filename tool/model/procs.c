// SPDX-License-Identifier: GPL-2.0
/*
 * Processes of sockets: the records and the parsers, no I/O.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/procs.h"

void nq_procs_free(struct nq_procs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].cgroup);
		free(p->v[i].unit);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

int nq_procs_add(struct nq_procs *p, uint64_t inode, int pid)
{
	size_t i;

	/* A process with several descriptors of a socket: once. */
	for (i = p->n; i-- > 0 && p->v[i].pid == pid;)
		if (p->v[i].inode == inode)
			return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		struct nq_proc *v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	memset(&p->v[p->n], 0, sizeof(p->v[p->n]));
	p->v[p->n].inode = inode;
	p->v[p->n].pid = pid;
	p->n++;
	return 0;
}

static int proc_cmp(const void *a, const void *b)
{
	const struct nq_proc *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

void nq_procs_sort(struct nq_procs *p)
{
	if (p->n)
		qsort(p->v, p->n, sizeof(*p->v), proc_cmp);
}

const struct nq_proc *nq_procs_find(const struct nq_procs *p, uint64_t inode,
				    size_t *n)
{
	size_t lo = 0, hi = p->n, k;

	*n = 0;
	while (lo < hi) {		/* the first with inode >= inode */
		size_t mid = lo + (hi - lo) / 2;

		if (p->v[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < p->n && p->v[k].inode == inode; k++)
		;
	*n = k - lo;
	return *n ? &p->v[lo] : NULL;
}

int nq_parse_socket_link(const char *target, uint64_t *inode)
{
	static const char pre[] = "socket:[";
	const char *s;
	uint64_t v = 0;

	if (strncmp(target, pre, sizeof(pre) - 1))
		return -EINVAL;
	s = target + sizeof(pre) - 1;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	if (s[0] != ']' || s[1])
		return -EINVAL;
	*inode = v;
	return 0;
}

int nq_parse_cgroup_line(const char *line, char *path, size_t len)
{
	const char *c1, *c2, *p;
	size_t n;
	int kind;

	c1 = strchr(line, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2 || c1 == line)
		return -EINVAL;
	if (c1 - line == 1 && line[0] == '0' && c2 == c1 + 1)
		kind = 1;		/* "0::/path": cgroup v2 */
	else if (c2 - c1 - 1 == 12 && !strncmp(c1 + 1, "name=systemd", 12))
		kind = 2;
	else
		return 0;
	p = c2 + 1;
	n = strcspn(p, "\n");
	if (p[n] == '\n' && p[n + 1])
		return -EINVAL;
	if (!n || p[0] != '/' || n >= len)
		return -EINVAL;
	memcpy(path, p, n);
	path[n] = '\0';
	return kind;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && !memcmp(s + n - k, suffix, k);
}

const char *nq_cgroup_unit(const char *path, char *buf, size_t len)
{
	const char *p = path, *best = NULL;
	size_t best_n = 0;

	while (*p) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (ends_with(p, n, ".service") || ends_with(p, n, ".scope")) {
			best = p;
			best_n = n;
		}
		p += n;
	}
	if (!best || best_n >= len)
		return NULL;
	memcpy(buf, best, best_n);
	buf[best_n] = '\0';
	return buf;
}

const char *nq_procs_format(char *buf, size_t len, const struct nq_proc *v,
			    size_t n)
{
	size_t i, off = 0;
	int w;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *where = v[i].unit ? v[i].unit : v[i].cgroup;

		w = snprintf(buf + off, len - off, "%s%s/%d%s%s%s",
			     i ? "," : "", v[i].comm[0] ? v[i].comm : "?",
			     v[i].pid, where ? "(" : "", where ? where : "",
			     where ? ")" : "");
		if (w < 0 || (size_t)w >= len - off) {
			if (len > 4)
				memcpy(buf + len - 4, "...", 4);
			break;
		}
		off += (size_t)w;
	}
	return buf;
}
