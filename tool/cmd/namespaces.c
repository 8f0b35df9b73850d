// SPDX-License-Identifier: GPL-2.0
/*
 * Every network namespace that can be entered: see namespaces.h. A
 * namespace that only a bind mount outside NETNS_RUN_DIR, or only its
 * sockets, keep alive has no file here: it cannot be entered, and is not
 * listed (show -a lists it, from the module).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/namespaces.h"
#include "cmd/setns.h"

static struct nq_ns_ref *find(struct nq_ns_refs *r, uint64_t ino)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].ino == ino)
			return &r->v[i];
	return NULL;
}

/* Adds the namespace of file path, named name (may be NULL), if new. */
static int add(struct nq_ns_refs *r, size_t *cap, const char *path,
	       const char *name)
{
	struct nq_ns_ref *ref;
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == ENOMEM ? -ENOMEM : 0;	/* gone, or not ours */
	ref = find(r, st.st_ino);
	if (ref) {
		if (name && !ref->name) {
			ref->name = strdup(name);
			if (!ref->name)
				return -ENOMEM;
		}
		return 0;
	}
	if (r->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct nq_ns_ref *v = realloc(r->v, ncap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		*cap = ncap;
	}
	ref = &r->v[r->n];
	memset(ref, 0, sizeof(*ref));
	ref->ino = st.st_ino;
	ref->path = strdup(path);
	if (name)
		ref->name = strdup(name);
	if (!ref->path || (name && !ref->name)) {
		free(ref->path);
		free(ref->name);
		return -ENOMEM;
	}
	r->n++;
	return 0;
}

static int add_dir(struct nq_ns_refs *r, size_t *cap, bool procs)
{
	const char *dir = procs ? "/proc" : NETNS_RUN_DIR;
	struct dirent *de;
	char path[300];
	int ret = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (procs && (de->d_name[0] < '0' || de->d_name[0] > '9'))
			continue;
		snprintf(path, sizeof(path), procs ? "%s/%s/ns/net" : "%s/%s",
			 dir, de->d_name);
		ret = add(r, cap, path, procs ? NULL : de->d_name);
	}
	closedir(d);
	return ret;
}

/* The caller's first, then named ones by name, then the rest by inode. */
static int cmp(const void *a, const void *b)
{
	const struct nq_ns_ref *x = a, *y = b;

	if (!!x->name != !!y->name)
		return x->name ? -1 : 1;
	if (x->name)
		return strcmp(x->name, y->name);
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

int nq_ns_refs_read(struct nq_ns_refs *r)
{
	size_t cap = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	r->home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (r->home < 0)
		return -errno;
	ret = add(r, &cap, "/proc/self/ns/net", NULL);
	if (!ret)
		ret = add_dir(r, &cap, false);
	if (!ret)
		ret = add_dir(r, &cap, true);
	if (ret < 0) {
		nq_ns_refs_free(r);
		return ret;
	}
	if (r->n > 1)
		qsort(r->v + 1, r->n - 1, sizeof(r->v[0]), cmp);
	return 0;
}

void nq_ns_refs_free(struct nq_ns_refs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].path);
	}
	free(r->v);
	if (r->home >= 0)
		close(r->home);
	memset(r, 0, sizeof(*r));
	r->home = -1;
}

char *nq_netns_name_of(uint64_t ino)
{
	struct nq_ns_refs r = { .home = -1 };
	size_t cap = 0, i;
	char *name = NULL;

	if (!ino || ino == UINT64_MAX || add_dir(&r, &cap, false) < 0)
		goto out;
	for (i = 0; i < r.n && !name; i++)
		if (r.v[i].ino == ino && r.v[i].name)
			name = strdup(r.v[i].name);
out:
	nq_ns_refs_free(&r);
	return name;
}

uint64_t nq_netns_self(void)
{
	struct stat st;

	/* The thread's: /proc/self is the process's main thread's. */
	if (!stat("/proc/thread-self/ns/net", &st) ||
	    !stat("/proc/self/ns/net", &st))
		return st.st_ino;
	return 0;
}

int nq_ns_ref_enter(const struct nq_ns_refs *r, size_t i)
{
	struct stat st;
	int fd, ret = 0;

	if (!i)		/* the caller's: /proc/self is wherever we are now */
		return nq_ns_refs_home(r);
	fd = open(r->v[i].path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* A process's file may now be another namespace's: its pid reused. */
	if (fstat(fd, &st) < 0 || st.st_ino != r->v[i].ino)
		ret = -ENOENT;
	else if (setns(fd, CLONE_NEWNET) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int nq_ns_refs_home(const struct nq_ns_refs *r)
{
	return setns(r->home, CLONE_NEWNET) < 0 ? -errno : 0;
}
