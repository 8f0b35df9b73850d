// SPDX-License-Identifier: GPL-2.0
/*
 * Why the module is not there: reading the facts under a root prefix.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/modstate.h"

static bool exists(const char *root, const char *path)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s%s", root, path);
	return !stat(p, &st);
}

/* The first line of a file, without its newline; false if unreadable. */
static bool first_line(const char *root, const char *path, char *buf,
		       size_t len)
{
	char p[PATH_MAX];
	FILE *f;
	bool ok;

	snprintf(p, sizeof(p), "%s%s", root, path);
	f = fopen(p, "re");
	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* nqstat.ko (or compressed) among the modules of modules.dep. */
static void find_ko(struct nq_modfacts *f, const char *root)
{
	static const char *const names[] = {
		"nqstat.ko", "nqstat.ko.xz", "nqstat.ko.zst", "nqstat.ko.gz",
	};
	char p[PATH_MAX], line[1024];
	FILE *dep;
	size_t i;

	snprintf(p, sizeof(p), "%s/lib/modules/%s/modules.dep", root,
		 f->release);
	dep = fopen(p, "re");
	if (!dep)
		return;
	while (!f->installed && fgets(line, sizeof(line), dep)) {
		char *colon = strchr(line, ':'), *base;

		if (!colon)
			continue;
		*colon = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(base, names[i])) {
				f->installed = true;
				if ((size_t)snprintf(f->ko, sizeof(f->ko),
						     "/lib/modules/%s/%.*s",
						     f->release, 160, line) >=
				    sizeof(f->ko))
					f->ko[0] = '\0';
				f->ko_signed = i ? -1 : 0;
			}
	}
	fclose(dep);
}

/* The marker at the end of a module with an appended signature. */
static void check_signed(struct nq_modfacts *f, const char *root)
{
	static const char magic[] = "~Module signature appended~\n";
	char p[PATH_MAX], tail[sizeof(magic) - 1];
	FILE *ko;

	if (f->ko_signed < 0)
		return;
	snprintf(p, sizeof(p), "%s%s", root, f->ko);
	ko = fopen(p, "re");
	if (!ko) {
		f->ko_signed = -1;
		return;
	}
	if (fseek(ko, -(long)sizeof(tail), SEEK_END) ||
	    fread(tail, 1, sizeof(tail), ko) != sizeof(tail))
		f->ko_signed = -1;
	else
		f->ko_signed = !memcmp(tail, magic, sizeof(tail));
	fclose(ko);
}

/* /usr/src/nqstat-VERSION/dkms.conf: the source DKMS builds from. */
static void find_dkms(struct nq_modfacts *f, const char *root)
{
	char p[PATH_MAX];
	struct dirent *e;
	DIR *d;

	snprintf(p, sizeof(p), "%s/usr/src", root);
	d = opendir(p);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "nqstat-", 7) || !e->d_name[7] ||
		    strlen(e->d_name + 7) >= sizeof(f->dkms_version))
			continue;
		snprintf(p, sizeof(p), "/usr/src/%s/dkms.conf", e->d_name);
		if (exists(root, p))
			snprintf(f->dkms_version, sizeof(f->dkms_version),
				 "%s", e->d_name + 7);
	}
	closedir(d);
}

/* "blacklist nqstat" or "install nqstat ..." in a modprobe.d file. */
static void find_blacklist(struct nq_modfacts *f, const char *root)
{
	static const char *const dirs[] = {
		"/etc/modprobe.d", "/run/modprobe.d", "/usr/lib/modprobe.d",
		"/lib/modprobe.d",
	};
	char p[PATH_MAX], line[512], w1[32], w2[64];
	struct dirent *e;
	size_t i, n;
	FILE *c;
	DIR *d;

	for (i = 0; !f->blacklist[0] && i < sizeof(dirs) / sizeof(dirs[0]);
	     i++) {
		snprintf(p, sizeof(p), "%s%s", root, dirs[i]);
		d = opendir(p);
		if (!d)
			continue;
		while (!f->blacklist[0] && (e = readdir(d))) {
			n = strlen(e->d_name);
			if (n < 6 || strcmp(e->d_name + n - 5, ".conf"))
				continue;
			snprintf(p, sizeof(p), "%s%s/%s", root, dirs[i],
				 e->d_name);
			c = fopen(p, "re");
			if (!c)
				continue;
			while (fgets(line, sizeof(line), c)) {
				if (sscanf(line, "%31s %63s", w1, w2) != 2 ||
				    strcmp(w2, "nqstat") ||
				    (strcmp(w1, "blacklist") &&
				     strcmp(w1, "install")))
					continue;
				f->blacklist_install = !strcmp(w1, "install");
				snprintf(f->blacklist, sizeof(f->blacklist),
					 "%s/%s", dirs[i], e->d_name);
				break;
			}
			fclose(c);
		}
		closedir(d);
	}
}

void nq_modstate_read(struct nq_modfacts *f, const char *root,
		      const char *release)
{
	char buf[128], *lb, *rb;

	memset(f, 0, sizeof(*f));
	snprintf(f->release, sizeof(f->release), "%s", release);
	f->proc_modules = exists(root, "/proc/modules");
	f->loaded = exists(root, "/sys/module/nqstat");
	f->modules_disabled =
		first_line(root, "/proc/sys/kernel/modules_disabled", buf,
			   sizeof(buf)) && !strcmp(buf, "1");
	find_ko(f, root);
	if (f->installed)
		check_signed(f, root);
	snprintf(buf, sizeof(buf), "/lib/modules/%s/build", f->release);
	f->headers = exists(root, buf);
	find_dkms(f, root);
	f->sig_enforce =
		first_line(root, "/sys/module/module/parameters/sig_enforce",
			   buf, sizeof(buf)) && !strcmp(buf, "Y");
	/* "none [integrity] confidentiality": the level in brackets. */
	if (first_line(root, "/sys/kernel/security/lockdown", buf,
		       sizeof(buf)) && (lb = strchr(buf, '[')) &&
	    (rb = strchr(lb, ']')) && rb - lb - 1 < (long)sizeof(f->lockdown)) {
		*rb = '\0';
		if (strcmp(lb + 1, "none"))
			snprintf(f->lockdown, sizeof(f->lockdown), "%s",
				 lb + 1);
	}
	find_blacklist(f, root);
}
