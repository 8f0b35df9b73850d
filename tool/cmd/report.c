// SPDX-License-Identifier: GPL-2.0
/*
 * "report": capacity planning over --duration SECS (two snapshots), or
 * from one snapshot without rates; text, JSON or Prometheus text format;
 * one namespace, or every one (-a), each with its "ip netns" name when it
 * has one. --output FILE replaces FILE atomically (node_exporter's
 * textfile collector must never read half a file): a temporary file in
 * the same directory, fsync, rename, fsync of the directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/namespaces.h"
#include "cmd/setns.h"
#include "cmd/watch.h"
#include "model/modstate.h"
#include "model/netns.h"
#include "model/snapshot.h"
#include "out/prometheus.h"
#include "out/report.h"
#include "out/status.h"

/* The namespaces of one report: snapshots and names, by index. */
struct nsset {
	struct nq_snapshot *s;
	char **name;			/* NULL: no ip netns name */
	size_t n;
};

static void nsset_free(struct nsset *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		nq_snapshot_free(&set->s[i]);
		free(set->name[i]);
	}
	free(set->s);
	free(set->name);
	memset(set, 0, sizeof(*set));
}

static int nsset_alloc(struct nsset *set, size_t n)
{
	set->s = calloc(n ? n : 1, sizeof(*set->s));
	set->name = calloc(n ? n : 1, sizeof(*set->name));
	if (!set->s || !set->name) {
		free(set->s);
		free(set->name);
		return -ENOMEM;
	}
	return 0;
}

/* Every namespace the module reports, from two dumps (-a). */
static int take_all(struct nq_nl *nl, struct nsset *set, unsigned int *failed)
{
	struct nq_dump_req lreq = { .all_netns = true };
	struct nq_netns_req nreq = { .all_netns = true,
				     .top_n = NQ_TOP_N_MAX };
	struct nq_listeners ls = { 0 };
	struct nq_netns_list l = { 0 };
	uint64_t now;
	size_t i;
	int ret;

	memset(set, 0, sizeof(*set));
	ret = nq_nl_get_listeners(nl, &lreq, &ls);
	if (ret < 0) {
		*failed |= NQ_PROM_PART_LISTENERS;
		nq_nl_perror(nl, ret, "cannot list the listeners", NULL);
		goto out;
	}
	ret = nq_nl_get_netns(nl, &nreq, &l);
	if (ret < 0) {
		*failed |= NQ_PROM_PART_NAMESPACES;
		nq_nl_perror(nl, ret, "cannot list the namespaces", NULL);
		goto out;
	}
	now = watch_now_ns();
	ret = nsset_alloc(set, l.n);
	for (i = 0; !ret && i < l.n; i++) {
		nq_tw_dests_sort(&l.v[i]);
		set->name[i] = nq_netns_name_of(l.v[i].inode);
		ret = nq_snapshot_set_module(&set->s[i], &l.v[i], &ls);
		set->s[i].time_ns = now;
		set->n++;
	}
	if (ret < 0)
		nq_err("cannot take a snapshot: %s", strerror(-ret));
out:
	nq_listeners_free(&ls);
	nq_netns_list_free(&l);
	if (ret < 0)
		nsset_free(set);
	return ret;
}

/* The current namespace (that of -n). */
static int take_one(struct nq_nl *nl, struct nsset *set, unsigned int *failed)
{
	int ret;

	memset(set, 0, sizeof(*set));
	ret = nsset_alloc(set, 1);
	if (ret < 0)
		return ret;
	ret = nq_snapshot_take(nl, &set->s[0]);
	if (ret < 0) {
		*failed |= NQ_PROM_PART_LISTENERS | NQ_PROM_PART_NAMESPACES;
		free(set->s);
		free(set->name);
		memset(set, 0, sizeof(*set));
		return ret;
	}
	set->n = 1;
	if (set->s[0].has_netns)
		set->name[0] = nq_netns_name_of(set->s[0].ns.inode);
	return 0;
}

static int take(const struct options *o, struct nq_nl *nl, struct nsset *set,
		unsigned int *failed)
{
	return o->all_netns ? take_all(nl, set, failed) :
			      take_one(nl, set, failed);
}

/* The snapshot of prev of the same namespace as s, or NULL. */
static const struct nq_snapshot *match(const struct nsset *prev,
				       const struct nq_snapshot *s)
{
	size_t i;

	for (i = 0; prev && i < prev->n; i++)
		if (prev->s[i].has_netns && s->has_netns &&
		    prev->s[i].ns.inode == s->ns.inode)
			return &prev->s[i];
	return NULL;
}

/* --output: a temporary file beside the target, then rename(). */
struct aout {
	char *path;			/* the target */
	char *tmp;			/* NULL: stdout */
	FILE *f;
};

static int aout_open(struct aout *a, const char *path)
{
	char *dup1, *dup2;
	mode_t mask;
	int fd, ret;

	memset(a, 0, sizeof(*a));
	if (!path) {
		a->f = stdout;
		return 0;
	}
	dup1 = strdup(path);
	dup2 = strdup(path);
	if (!dup1 || !dup2 ||
	    asprintf(&a->tmp, "%s/.%s.XXXXXX", dirname(dup1),
		     basename(dup2)) < 0) {
		a->tmp = NULL;
		free(dup1);
		free(dup2);
		return -ENOMEM;
	}
	free(dup1);
	free(dup2);
	a->path = strdup(path);
	fd = a->path ? mkstemp(a->tmp) : -1;
	if (fd < 0) {
		ret = a->path ? -errno : -ENOMEM;
		free(a->tmp);
		free(a->path);
		return ret;
	}
	/* mkstemp() makes it 0600: the collector may run as another user. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || !(a->f = fdopen(fd, "w"))) {
		ret = -errno;
		close(fd);
		unlink(a->tmp);
		free(a->tmp);
		free(a->path);
		return ret;
	}
	return 0;
}

/* Removes the temporary file: the target is left as it was. */
static void aout_abort(struct aout *a)
{
	if (!a->tmp)
		return;
	fclose(a->f);
	unlink(a->tmp);
	free(a->tmp);
	free(a->path);
}

static int aout_commit(struct aout *a)
{
	char *dup;
	int ret = 0, dfd;

	if (!a->tmp)
		return fflush(stdout) || ferror(stdout) ? -EIO : 0;
	if (fflush(a->f) || ferror(a->f) || fsync(fileno(a->f)) < 0)
		ret = errno ? -errno : -EIO;
	if (fclose(a->f) && !ret)
		ret = -errno;
	if (!ret && rename(a->tmp, a->path) < 0)
		ret = -errno;
	if (ret < 0) {
		unlink(a->tmp);
	} else {
		/* The rename itself, durable. */
		dup = strdup(a->path);
		dfd = dup ? open(dirname(dup), O_RDONLY | O_DIRECTORY) : -1;
		if (dfd >= 0) {
			if (fsync(dfd) < 0)
				ret = -errno;
			close(dfd);
		}
		free(dup);
	}
	free(a->tmp);
	free(a->path);
	return ret;
}

static int print(const struct options *o, FILE *out, const struct nsset *cur,
		 const struct nsset *prev, const struct nq_status *st,
		 unsigned int failed)
{
	struct nq_prom_ns *pns;
	size_t i;
	int ret = 0;

	if (o->prometheus) {
		struct nq_prom_doc d = { .st = st, .n_ns = cur->n,
					 .failed = failed, .health = true };

		pns = calloc(cur->n ? cur->n : 1, sizeof(*pns));
		if (!pns)
			return -ENOMEM;
		for (i = 0; i < cur->n; i++) {
			pns[i].s = &cur->s[i];
			pns[i].name = cur->name[i];
		}
		d.ns = pns;
		ret = nq_prom_print(out, &d);
		free(pns);
		return ret;
	}
	if (o->json && o->all_netns)
		fputc('[', out);
	for (i = 0; !ret && i < cur->n; i++) {
		const struct nq_snapshot *p = match(prev, &cur->s[i]);

		if (o->json) {
			if (i && o->all_netns)
				fputc(',', out);
			ret = report_print_json_ns(out, o->pretty, &cur->s[i], p,
						   cur->name[i]);
		} else {
			if (i)
				fputc('\n', out);
			ret = report_print_text_ns(out, &cur->s[i], p,
						   cur->name[i]);
		}
	}
	if (!ret && o->json && o->all_netns)
		fputs("]\n", out);
	return ret;
}

int cmd_report(const struct options *o, int argc, char *argv[])
{
	struct nsset prev = { 0 }, cur = { 0 };
	struct nq_modfacts facts;
	struct nq_status st;
	unsigned int failed = 0;
	bool have_prev = false, have_st = false;
	struct nq_nl *nl = NULL;
	struct aout out;
	sigset_t set;
	int ret;

	(void)argv;
	if (argc)
		return nq_usage_error("report takes no arguments");
	if (o->json && o->prometheus)
		return nq_usage_error("-j/--json and --prometheus exclude each other");
	ret = aout_open(&out, o->output);
	if (ret < 0) {
		nq_err("cannot create a file beside \"%s\": %s", o->output,
		       strerror(-ret));
		return EXIT_ERROR;
	}
	nq_status_init(&st);
	ret = nq_connect_kernel(o, &nl, &facts);
	if (ret == 1) {
		nq_modstate_print(&facts, false);
		/* -j to stdout: a document that says why (FILE is kept). */
		if (o->json && !o->output &&
		    nq_module_print_json(stdout, &facts, o->pretty) < 0)
			nq_err("cannot print the report: %s", strerror(EIO));
	}
	if (ret) {
		failed |= NQ_PROM_PART_MODULE;
		goto print;
	}
	ret = nq_nl_get_status(nl, &st);
	if (ret < 0) {
		nq_nl_perror(nl, ret, "cannot read the module's status", NULL);
		failed |= NQ_PROM_PART_STATUS;
	} else {
		have_st = true;
	}
	if (o->duration_ms) {
		ret = watch_block_signals(&set);
		if (ret < 0) {
			nq_err("cannot block signals: %s", strerror(-ret));
			goto out;
		}
		ret = take(o, nl, &prev, &failed);
		if (ret < 0)
			goto print;
		have_prev = true;
		ret = watch_wait_until(prev.s && prev.n ? prev.s[0].time_ns +
				       (uint64_t)o->duration_ms * 1000000U :
				       watch_now_ns() +
				       (uint64_t)o->duration_ms * 1000000U,
				       &set);
		if (ret) {
			if (ret < 0)
				nq_err("cannot wait: %s", strerror(-ret));
			else
				nq_err("interrupted before the end of the duration");
			ret = -EINTR;
			goto out;
		}
	}
	if (take(o, nl, &cur, &failed) < 0 && !failed)
		failed |= NQ_PROM_PART_LISTENERS;
print:
	/*
	 * Prometheus: a document even when a part failed, so that the
	 * collector shows nqstat_up and nqstat_report_errors rather than
	 * the last good file; the exit status still says it failed.
	 */
	if (failed && !o->prometheus) {
		ret = -EIO;
		goto out;
	}
	ret = print(o, out.f, &cur, have_prev ? &prev : NULL,
		    have_st ? &st : NULL, failed);
	if (ret < 0) {
		nq_err("cannot print the report: %s", strerror(-ret));
		goto out;
	}
	ret = aout_commit(&out);
	out.tmp = NULL;
	if (ret < 0)
		nq_err("cannot write \"%s\": %s", o->output, strerror(-ret));
	else if (failed)
		ret = -EIO;
out:
	if (out.tmp)
		aout_abort(&out);
	nq_nl_close(nl);
	nq_status_free(&st);
	if (have_prev)
		nsset_free(&prev);
	nsset_free(&cur);
	return ret < 0 ? EXIT_ERROR : 0;
}
