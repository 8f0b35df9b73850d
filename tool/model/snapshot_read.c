// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of one network namespace: reading /proc and /etc under a root
 * directory prefix. The parsing is snapshot.c's.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/snapshot.h"

/* root + path; root "" or "/" is the real system. */
static int path_join(char *buf, size_t len, const char *root,
		     const char *path)
{
	size_t n = strlen(root);
	int ret;

	if (n && root[n - 1] == '/')
		n--;
	ret = snprintf(buf, len, "%.*s%s", (int)n, root, path);
	return ret < 0 || (size_t)ret >= len ? -ENAMETOOLONG : 0;
}

/* Missing files and permission problems leave the figure absent. */
static bool absent_ok(int err)
{
	return err == ENOENT || err == ENOTDIR || err == EACCES ||
	       err == EPERM;
}

/*
 * A /proc/sys file of one unsigned number: blanks, decimal digits,
 * blanks, nothing else (the kernel's "%u\n" or "%d\n"). A negative, a
 * number past 64 bits or anything else: -EINVAL, the sysctl absent.
 */
static int read_u64_file(const char *path, uint64_t *v)
{
	char buf[64];
	uint64_t x = 0;
	size_t n, i = 0;
	bool digits = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf), f);
	if (ferror(f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	if (n == sizeof(buf))	/* longer than any number */
		return -EINVAL;
	while (i < n && isspace((unsigned char)buf[i]))
		i++;
	for (; i < n && isdigit((unsigned char)buf[i]); i++) {
		unsigned int d = (unsigned int)(buf[i] - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -EINVAL;
		x = x * 10 + d;
		digits = true;
	}
	while (i < n && isspace((unsigned char)buf[i]))
		i++;
	if (!digits || i != n)
		return -EINVAL;
	*v = x;
	return 0;
}

int nq_snapshot_read_sysctls(struct nq_snapshot *s, const char *root)
{
	char path[PATH_MAX], rel[128], *p;
	unsigned int i;
	int ret, first = 0;

	for (i = 0; i < NQ_N_SYS; i++) {
		snprintf(rel, sizeof(rel), "/proc/sys/%s", nq_sys_name(i));
		for (p = rel + strlen("/proc/sys/"); *p; p++)
			if (*p == '.')
				*p = '/';
		ret = path_join(path, sizeof(path), root, rel);
		if (!ret)
			ret = read_u64_file(path, &s->sys[i]);
		if (!ret)
			s->sys_present |= UINT32_C(1) << i;
		else if (ret != -EINVAL && !absent_ok(-ret) && !first)
			first = ret;	/* not a number: absent */
	}
	return first;
}

int nq_snapshot_read_meminfo(struct nq_snapshot *s, const char *root)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret;

	ret = path_join(path, sizeof(path), root, "/proc/meminfo");
	if (ret < 0)
		return ret;
	f = fopen(path, "re");
	if (!f)
		return absent_ok(errno) ? 0 : -errno;
	/* Whole lines, of any length: never a part of one as a line. */
	ret = -ENOENT;
	while (getline(&line, &cap, f) >= 0) {
		ret = nq_parse_meminfo_line(line, &s->mem_total_bytes);
		if (!ret)
			s->has_mem_total = true;
		if (ret != -ENOENT)
			break;
	}
	free(line);
	fclose(f);
	return ret == -ENOENT ? 0 : ret;
}

static int ns_inode(const char *root, const char *rel, uint64_t *inode)
{
	char path[PATH_MAX], target[64];
	ssize_t n;
	int ret;

	ret = path_join(path, sizeof(path), root, rel);
	if (ret < 0)
		return ret;
	n = readlink(path, target, sizeof(target));
	if (n < 0)
		return -errno;
	if ((size_t)n == sizeof(target))	/* truncated: not a namespace */
		return -EINVAL;
	target[n] = '\0';
	return nq_parse_ns_link(target, inode);
}

int nq_snapshot_read_init_netns(struct nq_snapshot *s, const char *root)
{
	uint64_t self, init;
	int ret;

	ret = ns_inode(root, "/proc/self/ns/net", &self);
	if (!ret)
		ret = ns_inode(root, "/proc/1/ns/net", &init);
	if (ret < 0)	/* /proc/1 needs ptrace access: unknown */
		return absent_ok(-ret) ? 0 : ret;
	s->init_netns_known = true;
	s->init_netns = self == init;
	return 0;
}

int nq_snapshot_read_ct_mode(struct nq_snapshot *s, const char *root)
{
	char path[PATH_MAX];
	struct stat st;
	int ret;

	ret = path_join(path, sizeof(path), root,
			"/proc/sys/net/netfilter/nf_conntrack_max");
	if (ret < 0)
		return ret;
	if (stat(path, &st) < 0)	/* nf_conntrack not loaded */
		return absent_ok(errno) ? 0 : -errno;
	s->ct_mode_known = true;
	s->ct_writable = st.st_mode & S_IWUSR;
	return 0;
}

static int read_tcp_file(struct nq_snapshot *s, const char *path)
{
	struct nq_tcp_sock sk;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret = 0;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	/*
	 * The first line is the header; lines that do not parse are skipped.
	 * Whole lines, of any length: never a part of one as a line.
	 */
	while (!ret && getline(&line, &cap, f) >= 0)
		if (!nq_parse_tcp_line(line, &sk))
			ret = nq_snapshot_add_sock(s, &sk);
	if (!ret && ferror(f))
		ret = -EIO;
	free(line);
	fclose(f);
	return ret;
}

int nq_snapshot_read_sockets(struct nq_snapshot *s, const char *root)
{
	static const char *const files[] = { "/proc/net/tcp",
					     "/proc/net/tcp6" };
	char path[PATH_MAX];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ret = path_join(path, sizeof(path), root, files[i]);
		if (!ret)
			ret = read_tcp_file(s, path);
		if (!ret)
			s->has_sockets = true;
		else if (!absent_ok(-ret))	/* tcp6: no IPv6 */
			return ret;
	}
	nq_snapshot_sort_close_wait(s);
	return 0;
}

int nq_snapshot_read_netstat(struct nq_snapshot *s, const char *root)
{
	char path[PATH_MAX], *names = NULL, *values = NULL;
	size_t cap_n = 0, cap_v = 0;
	FILE *f;
	int ret;

	ret = path_join(path, sizeof(path), root, "/proc/net/netstat");
	if (ret < 0)
		return ret;
	f = fopen(path, "re");
	if (!f)
		return absent_ok(errno) ? 0 : -errno;
	/* Lines in pairs: names, then values, per protocol. */
	ret = 0;
	while (!ret && getline(&names, &cap_n, f) >= 0) {
		if (getline(&values, &cap_v, f) < 0)
			break;
		ret = nq_parse_netstat(names, values, s->mib,
				       &s->mib_present);
		if (ret == -ENOENT)
			ret = 0;
	}
	if (!ret && ferror(f))
		ret = -EIO;
	free(names);
	free(values);
	fclose(f);
	return ret;
}

int nq_snapshot_read_sockstat(struct nq_snapshot *s, const char *root)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret;

	ret = path_join(path, sizeof(path), root, "/proc/net/sockstat");
	if (ret < 0)
		return ret;
	f = fopen(path, "re");
	if (!f)
		return absent_ok(errno) ? 0 : -errno;
	ret = -ENOENT;
	while (ret == -ENOENT && getline(&line, &cap, f) >= 0)
		ret = nq_parse_sockstat_line(line, &s->orphan_count);
	if (!ret)
		s->has_orphan_count = true;
	free(line);
	fclose(f);
	return ret == -ENOENT ? 0 : ret;
}

static int read_conf_file(struct nq_snapshot *s, const char *root,
			  const char *rel)
{
	char path[PATH_MAX], *line = NULL, key[256], value[256];
	unsigned int n = 0;
	size_t cap = 0;
	FILE *f;
	int ret;

	ret = path_join(path, sizeof(path), root, rel);
	if (ret < 0)
		return ret;
	f = fopen(path, "re");
	if (!f)
		return absent_ok(errno) ? 0 : -errno;
	/*
	 * Whole lines, of any length, as systemd-sysctl reads them: the end
	 * of a long comment is not a setting, and line numbers are right.
	 */
	while (!ret && getline(&line, &cap, f) >= 0) {
		n++;
		if (nq_parse_sysctl_conf_line(line, key, sizeof(key), value,
					      sizeof(value)) != 1)
			continue;
		ret = nq_snapshot_add_setting(s, rel, n, key, value);
		if (!ret && nq_conf_key_flagged(key))
			ret = nq_snapshot_add_conf(s, rel, n, key, value);
	}
	free(line);
	fclose(f);
	return ret;
}

/* The sysctl.d search path, in order (sysctl.d(5), procps). */
static const char *const conf_dirs[] = {
	"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d",
	"/usr/lib/sysctl.d", "/lib/sysctl.d",
};

struct conf_file {
	char *name;
	const char *dir;
};

static int conf_file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct conf_file *)a)->name,
		      ((const struct conf_file *)b)->name);
}

/* The *.conf names of root/dir not already in *v, appended. */
static int conf_dir_names(const char *root, const char *dir,
			  struct conf_file **v, size_t *n)
{
	char path[PATH_MAX];
	struct conf_file *nv;
	struct dirent *de;
	size_t len, i;
	int ret;
	DIR *d;

	ret = path_join(path, sizeof(path), root, dir);
	if (ret < 0)
		return ret;
	d = opendir(path);
	if (!d)
		return absent_ok(errno) ? 0 : -errno;
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".conf") ||
		    de->d_name[0] == '.')
			continue;
		for (i = 0; i < *n; i++)	/* masked by an earlier one */
			if (!strcmp((*v)[i].name, de->d_name))
				break;
		if (i < *n)
			continue;
		nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv) {
			ret = -ENOMEM;
			break;
		}
		*v = nv;
		nv[*n].dir = dir;
		nv[*n].name = strdup(de->d_name);
		if (!nv[*n].name) {
			ret = -ENOMEM;
			break;
		}
		(*n)++;
	}
	closedir(d);
	return ret;
}

int nq_snapshot_read_conf(struct nq_snapshot *s, const char *root)
{
	char rel[PATH_MAX];
	struct conf_file *v = NULL;
	size_t n = 0, i;
	int ret;

	ret = read_conf_file(s, root, "/etc/sysctl.conf");
	for (i = 0; !ret && i < sizeof(conf_dirs) / sizeof(conf_dirs[0]); i++)
		ret = conf_dir_names(root, conf_dirs[i], &v, &n);
	if (!ret && n)
		qsort(v, n, sizeof(*v), conf_file_cmp);
	for (i = 0; !ret && i < n; i++) {
		snprintf(rel, sizeof(rel), "%s/%s", v[i].dir, v[i].name);
		ret = read_conf_file(s, root, rel);
	}
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return ret;
}

int nq_snapshot_read(struct nq_snapshot *s, const char *root)
{
	int (*const parts[])(struct nq_snapshot *, const char *) = {
		nq_snapshot_read_sysctls, nq_snapshot_read_meminfo,
		nq_snapshot_read_init_netns, nq_snapshot_read_ct_mode,
		nq_snapshot_read_netstat, nq_snapshot_read_sockstat,
		nq_snapshot_read_conf,
	};
	size_t i;
	int ret, first = 0;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		ret = parts[i](s, root);
		if (ret < 0 && !first)
			first = ret;
	}
	return first;
}
