// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the /proc and sysctl.d readers (model/snapshot_read.c)
 * and their line parsers (model/snapshot.c), on a fake root tree written
 * from the input, as the unit tests do. The input is sections separated
 * by "%%\n"; a section missing at the end is a missing file:
 *
 *   0-7   /proc/sys files of enum nq_sys (somaxconn, ...)
 *   8     /proc/meminfo
 *   9,10  /proc/self/ns/net, /proc/1/ns/net: symbolic link targets
 *   11    /proc/sys/net/netfilter/nf_conntrack_max, read-only if it
 *         starts with 'r'
 *   12,13 /proc/net/tcp, /proc/net/tcp6
 *   14    /etc/sysctl.conf
 *   15-   /etc/sysctl.d/ files: named by a first line "@NAME", else
 *         "NN-fuzz.conf"
 *
 * The snapshot is checked against what the files say, read again here
 * line by line: a sysctl is present exactly when its file holds one
 * decimal number, and has its value; MemTotal is the first MemTotal line;
 * the orphan and CLOSE_WAIT counts are those of the socket lines; the
 * configuration hits are the flagged settings of the files in their
 * order, with their line numbers.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "model/snapshot.h"

#define N_SECTIONS 64
#define SEP "%%\n"

struct section {
	const char *p;
	size_t len;
};

static char root[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);

static void mkdirs(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	CHECK(!mkdir(path, 0755) || errno == EEXIST);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The tree goes at exit (libFuzzer exits at the end of a timed run). */
static void remove_tree(void)
{
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const dirs[] = {
		"proc", "proc/sys", "proc/sys/net", "proc/sys/net/core",
		"proc/sys/net/ipv4", "proc/sys/net/netfilter", "proc/self",
		"proc/self/ns", "proc/1", "proc/1/ns", "proc/net", "etc",
		"etc/sysctl.d",
	};
	const char *tmp = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
	size_t i;

	(void)argc;
	(void)argv;
	snprintf(root, sizeof(root), "%s/nqstat-fuzz-XXXXXX", tmp);
	CHECK(mkdtemp(root));
	atexit(remove_tree);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		mkdirs(dirs[i]);
	return 0;
}

/* Removes what the last input wrote (and the tree at exit). */
static void clean(void)
{
	char path[512];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/etc/sysctl.d", root);
	d = opendir(path);
	CHECK(d);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/etc/sysctl.d/%s", root,
			 de->d_name);
		CHECK(!unlink(path));
	}
	closedir(d);
}

static void put(const char *rel, const struct section *s, mode_t mode)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (!s) {
		CHECK(!unlink(path) || errno == ENOENT);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, s->p, s->len) == (ssize_t)s->len);
	CHECK(!fchmod(fd, mode));
	CHECK(!close(fd));
}

/*
 * A symbolic link to the section's text (up to a NUL), also left in
 * target (4096 bytes); false if none.
 */
static bool link_to(const char *rel, const struct section *s, char *target)
{
	char path[512];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	CHECK(!unlink(path) || errno == ENOENT);
	target[0] = '\0';
	if (!s)
		return false;
	n = strnlen(s->p, s->len < 4096 ? s->len : 4095);
	memcpy(target, s->p, n);
	target[n] = '\0';
	return n && !symlink(target, path);
}

/* The lines of a section, as getline() gives them; the text up to a NUL. */
struct lines {
	const char *p, *end;
	char buf[16384];
};

static bool next_line(struct lines *l, const char **line)
{
	const char *nl;
	size_t n;

	if (l->p >= l->end)
		return false;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	n = nl ? (size_t)(nl - l->p) + 1 : (size_t)(l->end - l->p);
	if (n >= sizeof(l->buf))	/* inputs are shorter */
		n = sizeof(l->buf) - 1;
	memcpy(l->buf, l->p, n);
	l->buf[n] = '\0';
	l->p += n;
	*line = l->buf;
	return true;
}

static void lines_init(struct lines *l, const struct section *s)
{
	l->p = s->p;
	l->end = s->p + s->len;
}

/*
 * One decimal number of 64 bits, blanks around it, in at most 63 bytes
 * (the kernel prints "%d\n"): a sysctl's file.
 */
static bool sysctl_value(const struct section *s, uint64_t *v)
{
	size_t i = 0;
	bool digits = false;

	*v = 0;
	if (s->len > 63)
		return false;
	while (i < s->len && isspace((unsigned char)s->p[i]))
		i++;
	for (; i < s->len && isdigit((unsigned char)s->p[i]); i++) {
		unsigned int d = (unsigned int)(s->p[i] - '0');

		if (*v > (UINT64_MAX - d) / 10)
			return false;
		*v = *v * 10 + d;
		digits = true;
	}
	while (i < s->len && isspace((unsigned char)s->p[i]))
		i++;
	return digits && i == s->len;
}

/* The line parsers alone: what they accept is well formed. */
/* Set only what the pair holds: TcpExt lines of as many words. */
static void check_netstat(const char *names, const char *values)
{
	uint64_t mib[NQ_N_MIB] = { 0 };
	uint32_t present = 0;
	int ret;

	ret = nq_parse_netstat(names, values, mib, &present);
	CHECK(!ret || ret == -ENOENT || ret == -EINVAL);
	CHECK(!ret || !present);
	CHECK(present < (UINT32_C(1) << NQ_N_MIB));
	if (!ret)
		CHECK(!strncmp(names + strspn(names, " \t"), "TcpExt:", 7));
}

static void check_line(const char *line)
{
	char key[256], value[256], k2[5], v2[3];
	struct nq_tcp_sock sk;
	uint64_t v;
	int ret;

	ret = nq_parse_sysctl_conf_line(line, key, sizeof(key), value,
					sizeof(value));
	CHECK(ret == 1 || ret == 0 || ret == -EINVAL);
	if (ret == 1) {
		size_t kl = strlen(key), vl = strlen(value);

		CHECK(kl && kl < sizeof(key) && vl < sizeof(value));
		CHECK(!strchr(key, '/') && key[0] != ' ' && key[0] != '\t');
		/* Trimmed, unless truncated. */
		CHECK(kl == sizeof(key) - 1 ||
		      !isspace((unsigned char)key[kl - 1]));
		CHECK(!vl || vl == sizeof(value) - 1 ||
		      !isspace((unsigned char)value[vl - 1]));
		CHECK(value[0] != ' ' && value[0] != '\t');
		/* Short buffers: the same, truncated. */
		CHECK(nq_parse_sysctl_conf_line(line, k2, sizeof(k2), v2,
						sizeof(v2)) == 1);
		CHECK(!strncmp(k2, key, sizeof(k2) - 1) &&
		      strlen(k2) < sizeof(k2));
		CHECK(!strncmp(v2, value, sizeof(v2) - 1) &&
		      strlen(v2) < sizeof(v2));
	} else if (!ret) {
		line += strspn(line, " \t");
		CHECK(!*line || strchr("\n#;", *line));
	}
	if (!nq_parse_meminfo_line(line, &v))
		CHECK(!strncmp(line, "MemTotal:", 9) && !(v % 1024));
	if (!nq_parse_tcp_line(line, &sk))
		CHECK(strchr(line, ':'));
	if (!nq_parse_sockstat_line(line, &v))
		CHECK(!strncmp(line + strspn(line, " \t"), "TCP: ", 5) ||
		      !strncmp(line + strspn(line, " \t"), "TCP:\t", 5));
	if (!nq_parse_ns_link(line, &v)) {	/* prints back the same */
		char back[32];
		const char *d = line + 5 + strspn(line + 5, "0");

		if (*d == ']')	/* "net:[0]", "net:[00]" */
			d--;
		snprintf(back, sizeof(back), "%" PRIu64 "]", v);
		CHECK(!strncmp(line, "net:[", 5) && !strcmp(d, back));
	}
}

struct hit {
	char file[300];
	unsigned int line;
	char key[256], value[256];
};

static struct hit hits[4096];
static size_t n_hits;

static void conf_file(const char *rel, const struct section *s)
{
	char key[256], value[256];
	unsigned int n = 0;
	struct lines l;
	const char *line;

	lines_init(&l, s);
	while (next_line(&l, &line)) {
		n++;
		if (nq_parse_sysctl_conf_line(line, key, sizeof(key), value,
					      sizeof(value)) != 1 ||
		    !nq_conf_key_flagged(key) || n_hits == N(hits))
			continue;
		snprintf(hits[n_hits].file, sizeof(hits[n_hits].file), "%s",
			 rel);
		hits[n_hits].line = n;
		strcpy(hits[n_hits].key, key);
		strcpy(hits[n_hits].value, value);
		n_hits++;
	}
}

struct dropin {
	char name[80];
	struct section s;
};

static int dropin_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name,
		      ((const struct dropin *)b)->name);
}

/* The name of a sysctl.d file: "@NAME" on its first line, or by index. */
static void dropin_name(struct dropin *d, size_t i, const struct section *s)
{
	const char *nl;
	size_t n, k;

	d->s = *s;
	nl = s->len > 1 && s->p[0] == '@' ? memchr(s->p, '\n', s->len) : NULL;
	n = nl ? (size_t)(nl - s->p) - 1 : 0;
	if (n && n < sizeof(d->name)) {
		memcpy(d->name, s->p + 1, n);
		d->name[n] = '\0';
		for (k = 0; k < n; k++)
			if (d->name[k] == '/' || !d->name[k])
				d->name[k] = '_';
		if (strcmp(d->name, ".") && strcmp(d->name, ".."))
			return;
	}
	snprintf(d->name, sizeof(d->name), "%02zu-fuzz.conf", i);
}

static bool dropin_read(const char *name)
{
	size_t len = strlen(name);

	return len >= 6 && !strcmp(name + len - 5, ".conf") && name[0] != '.';
}

/* Sockets of the tcp files as the snapshot should count them. */
struct socks {
	uint32_t orphans, fin_wait2;
	uint32_t close_wait[65536];
};

static struct socks want_socks;

static void tcp_file(const struct section *s)
{
	struct nq_tcp_sock sk;
	struct lines l;
	const char *line;

	lines_init(&l, s);
	while (next_line(&l, &line)) {
		if (nq_parse_tcp_line(line, &sk))
			continue;
		if (!sk.inode && sk.state != TCP_TIME_WAIT &&
		    sk.state != TCP_LISTEN) {
			want_socks.orphans++;
			want_socks.fin_wait2 += sk.state == TCP_FIN_WAIT2;
		}
		if (sk.state == TCP_CLOSE_WAIT)
			want_socks.close_wait[sk.local_port]++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dropin dropins[N_SECTIONS];
	struct section sec[N_SECTIONS];
	const char *p = (const char *)data, *end = p + size, *sep;
	struct nq_snapshot s = { 0 };
	size_t n = 0, i, k, n_dropins = 0, n_cw = 0;
	bool self_ok, init_ok, has_mem = false, any_tcp;
	char rel[128], *q, self_target[4096], init_target[4096];
	uint64_t v, mem = 0, ino_self = 0, ino_init = 0;
	struct lines l;
	const char *line;
	int ret;

	if (size > 64 * 1024)
		return 0;
	while (n < N_SECTIONS && p <= end) {
		sep = memmem(p, (size_t)(end - p), SEP, strlen(SEP));
		sec[n].p = p;
		sec[n].len = sep ? (size_t)(sep - p) : (size_t)(end - p);
		n++;
		if (!sep)
			break;
		p = sep + strlen(SEP);
	}
#define SEC(i) ((i) < n ? &sec[i] : NULL)

	clean();
	for (i = 0; i < NQ_N_SYS; i++) {
		snprintf(rel, sizeof(rel), "proc/sys/%s", nq_sys_name(i));
		for (q = rel + strlen("proc/sys/"); *q; q++)
			if (*q == '.')
				*q = '/';
		put(rel, SEC(i), 0644);
	}
	put("proc/meminfo", SEC(8), 0444);
	self_ok = link_to("proc/self/ns/net", SEC(9), self_target);
	init_ok = link_to("proc/1/ns/net", SEC(10), init_target);
	put("proc/sys/net/netfilter/nf_conntrack_max", SEC(11),
	    n > 11 && sec[11].len && sec[11].p[0] == 'r' ? 0444 : 0644);
	put("proc/net/tcp", SEC(12), 0444);
	put("proc/net/tcp6", SEC(13), 0444);
	put("etc/sysctl.conf", SEC(14), 0644);
	for (i = 15; i < n; i++) {
		struct dropin *d = &dropins[n_dropins];

		dropin_name(d, i, &sec[i]);
		snprintf(rel, sizeof(rel), "etc/sysctl.d/%s", d->name);
		put(rel, &d->s, 0644);
		/* A name given twice: the last file. */
		for (k = 0; k < n_dropins; k++)
			if (!strcmp(dropins[k].name, d->name))
				break;
		dropins[k] = *d;
		if (k == n_dropins)
			n_dropins++;
	}

	ret = nq_snapshot_read(&s, root);
	CHECK(!ret || ret == -EINVAL);
	/* The sockets' fallback, not part of nq_snapshot_read(). */
	CHECK(!s.has_sockets);
	ret = nq_snapshot_read_sockets(&s, root);
	CHECK(!ret);

	for (i = 0; i < n; i++) {
		char *prev = NULL;

		lines_init(&l, &sec[i]);
		while (next_line(&l, &line)) {
			check_line(line);
			/* Pairs of /proc/net/netstat: names, values. */
			if (prev)
				check_netstat(prev, line);
			free(prev);
			prev = strdup(line);
		}
		free(prev);
	}
	/* Sysctls: present exactly when the file holds a number. */
	for (i = 0; i < NQ_N_SYS; i++) {
		bool want = i < n && sysctl_value(&sec[i], &v);

		CHECK(nq_snap_sys(&s, (unsigned int)i, &mem) == want);
		CHECK(!want || mem == v);
	}
	/* MemTotal: the first line of that name decides. */
	if (n > 8) {
		lines_init(&l, &sec[8]);
		while (next_line(&l, &line)) {
			ret = nq_parse_meminfo_line(line, &mem);
			if (ret == -ENOENT)
				continue;
			has_mem = !ret;
			break;
		}
	}
	CHECK(s.has_mem_total == has_mem);
	CHECK(!has_mem || s.mem_total_bytes == mem);
	/* The namespaces: known when both links parse, then compared. */
	/* The reader's buffer: 63 bytes of target, more is not a namespace. */
	self_ok = self_ok && strlen(self_target) < 64 &&
		  !nq_parse_ns_link(self_target, &ino_self);
	init_ok = init_ok && strlen(init_target) < 64 &&
		  !nq_parse_ns_link(init_target, &ino_init);
	CHECK(s.init_netns_known == (self_ok && init_ok));
	CHECK(!s.init_netns_known || s.init_netns == (ino_self == ino_init));
	/* nf_conntrack_max: its mode. */
	CHECK(s.ct_mode_known == (n > 11));
	if (n > 11)
		CHECK(s.ct_writable == !(sec[11].len && sec[11].p[0] == 'r'));
	/* Sockets. */
	memset(&want_socks, 0, sizeof(want_socks));
	any_tcp = n > 12;
	if (n > 12)
		tcp_file(&sec[12]);
	if (n > 13)
		tcp_file(&sec[13]);
	CHECK(s.has_sockets == any_tcp);
	CHECK(s.orphans == want_socks.orphans);
	CHECK(s.fin_wait2_orphans == want_socks.fin_wait2);
	for (i = 0; i < 65536; i++)
		n_cw += want_socks.close_wait[i] != 0;
	CHECK(s.n_close_wait == n_cw);
	for (i = 0; i < s.n_close_wait; i++) {
		const struct nq_port_count *c = &s.close_wait[i];

		CHECK(c->count == want_socks.close_wait[c->port]);
		if (i)	/* most first, then by port */
			CHECK(c[-1].count > c->count ||
			      (c[-1].count == c->count && c[-1].port < c->port));
	}
	/* Configuration: sysctl.conf, then sysctl.d/\*.conf by name. */
	n_hits = 0;
	if (n > 14)
		conf_file("/etc/sysctl.conf", &sec[14]);
	qsort(dropins, n_dropins, sizeof(*dropins), dropin_cmp);
	for (i = 0; i < n_dropins; i++) {
		if (!dropin_read(dropins[i].name))
			continue;
		snprintf(rel, sizeof(rel), "/etc/sysctl.d/%s", dropins[i].name);
		conf_file(rel, &dropins[i].s);
	}
	CHECK(s.n_conf == n_hits);
	for (i = 0; i < n_hits; i++) {
		CHECK(!strcmp(s.conf[i].file, hits[i].file));
		CHECK(s.conf[i].line == hits[i].line);
		CHECK(!strcmp(s.conf[i].key, hits[i].key));
		CHECK(!strcmp(s.conf[i].value, hits[i].value));
	}
	nq_snapshot_free(&s);
	return 0;
}
