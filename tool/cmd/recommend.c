// SPDX-License-Identifier: GPL-2.0
/*
 * "recommend": one snapshot of the namespace, or two --duration apart, and
 * the findings of the rules, as text, JSON or a sysctl.d drop-in; with -a,
 * of every namespace, each judged alone.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/namespaces.h"
#include "out/recommend.h"
#include "rules/recommend.h"
#include "model/modstate.h"
#include "model/snapshot.h"
#include "cmd/watch.h"

/*
 * The snapshot of namespace i of r, taken from inside it; the caller's
 * own (i 0) where it is, without setns(), which needs CAP_SYS_ADMIN even
 * there. A namespace that cannot be entered is skipped, said in one line.
 */
static int take_in(const struct options *o, const struct nq_ns_refs *r,
		   size_t i, struct nq_snapshot *s, bool *kernel_only,
		   struct nq_modfacts *facts)
{
	struct options here = *o;
	struct nq_nl *nl = NULL;
	int ret = 0;

	here.netns = NULL;
	if (i)
		ret = nq_ns_ref_enter(r, i);
	if (ret < 0) {
		nq_err("skipped network namespace %s (inode %" PRIu64 "): cannot enter it: %s%s",
		       r->v[i].name ? r->v[i].name : r->v[i].path, r->v[i].ino,
		       strerror(-ret),
		       ret == -EPERM ? "; to judge it too, run as root (recommend -a needs CAP_SYS_ADMIN)" :
		       ret == -ENOENT ? " (it is gone)" : "");
	} else if ((ret = nq_connect_kernel(&here, &nl, facts)) < 0 ||
		   ret > 1) {
		ret = -EIO;
	} else {
		/* Without the module: what the kernel alone gives, said once. */
		if (ret == 1 && !*kernel_only)
			nq_modstate_print(facts, true);
		if (ret == 1)
			*kernel_only = true;
		ret = nq_snapshot_take(nl, s);
		nq_nl_close(nl);
	}
	/* Back home only from another namespace: entering it took root. */
	if (i && nq_ns_refs_home(r) < 0 && ret >= 0) {
		nq_err("cannot return to the first network namespace");
		nq_snapshot_free(s);
		ret = -EIO;
	}
	return ret;
}

/*
 * -a: every namespace, each read from inside (its own sysctls, /proc/net
 * and sockets) and judged alone; the findings printed together, each with
 * its namespace. A namespace that cannot be read is an error, the others
 * are still judged.
 */
static int recommend_all(const struct options *o)
{
	struct nq_findings all = { 0 }, f;
	struct nq_snapshot *prev, *cur;
	uint64_t elapsed = 0, start = 0;
	bool failed = false, kernel_only = false;
	struct nq_modfacts facts;
	struct nq_ns_refs r;
	bool *ok = NULL;
	sigset_t set;
	size_t i;
	int ret;

	ret = nq_ns_refs_read(&r);
	if (ret < 0) {
		nq_err("cannot list the network namespaces: %s", strerror(-ret));
		return EXIT_ERROR;
	}
	prev = calloc(r.n, sizeof(*prev));
	cur = calloc(r.n, sizeof(*cur));
	ok = calloc(r.n, sizeof(*ok));
	if (!prev || !cur || !ok) {
		nq_err("cannot list the network namespaces: %s",
		       strerror(ENOMEM));
		ret = -ENOMEM;
		goto out;
	}
	if (o->duration_ms) {
		ret = watch_block_signals(&set);
		if (ret < 0) {
			nq_err("cannot block signals: %s", strerror(-ret));
			goto out;
		}
		start = watch_now_ns();
		for (i = 0; i < r.n; i++)
			ok[i] = take_in(o, &r, i, &prev[i], &kernel_only,
					 &facts) >= 0;
		ret = nq_duration_wait(start + (uint64_t)o->duration_ms *
					       1000000U, &set);
		if (ret) {
			if (ret < 0)
				nq_err("cannot wait: %s", strerror(-ret));
			else
				nq_err("interrupted before the end of the duration");
			ret = -EINTR;
			goto out;
		}
		elapsed = watch_now_ns() - start;
	}
	for (i = 0; i < r.n; i++) {
		if (o->duration_ms && !ok[i]) {
			failed = true;
			continue;
		}
		if (take_in(o, &r, i, &cur[i], &kernel_only, &facts) < 0) {
			if (o->duration_ms)
				nq_snapshot_free(&prev[i]);
			ok[i] = false;
			failed = true;
			continue;
		}
		ok[i] = true;
		ret = nq_recommend(&cur[i], o->duration_ms ? &prev[i] : NULL,
				   &f);
		if (!ret)
			ret = nq_findings_move(&all, &f, (uint32_t)r.v[i].ino,
					       r.v[i].name);
		if (ret < 0) {
			nq_findings_free(&f);
			nq_err("cannot apply the rules: %s", strerror(-ret));
			goto out;
		}
	}
	for (i = 0; i < r.n && !ok[i]; i++)
		;
	if (i == r.n) {		/* each said why */
		ret = -EIO;
		goto out;
	}
	all.kernel_only = kernel_only;
	all.modfacts = kernel_only ? &facts : NULL;
	if (o->json)
		ret = recommend_print_json(stdout, o->pretty, &all, elapsed);
	else
		ret = recommend_print_text(stdout, &all, elapsed);
	if (ret < 0)
		nq_err("cannot print the findings: %s", strerror(-ret));
	else if (failed)
		ret = -EIO;
	else
		ret = nq_findings_actionable(&all) ? 1 : 0;
out:
	for (i = 0; ok && i < r.n; i++) {
		if (!ok[i])
			continue;
		if (o->duration_ms)
			nq_snapshot_free(&prev[i]);
		nq_snapshot_free(&cur[i]);
	}
	nq_findings_free(&all);
	free(prev);
	free(cur);
	free(ok);
	nq_ns_refs_free(&r);
	return ret < 0 ? EXIT_ERROR : ret;
}

int cmd_recommend(const struct options *o, int argc, char *argv[])
{
	struct nq_snapshot prev, cur;
	struct nq_conf_target target;
	struct nq_findings f = { 0 }, one;
	uint64_t ino;
	char *name;
	uint64_t elapsed = 0;
	struct nq_modfacts facts;
	bool have_prev, kernel_only;
	int ret;

	if (argc)
		return nq_usage_error("extra argument \"%s\": recommend takes no arguments",
				      argv[0]);
	if (o->json && o->sysctl_conf)
		return nq_usage_error("-j/--json and --sysctl-conf exclude each other");
	if (o->all_netns && o->sysctl_conf)
		return nq_usage_error("-a/--all-namespaces and --sysctl-conf exclude each other: a drop-in is for one namespace (-n NAME)");
	if (o->all_netns)
		return recommend_all(o);
	if (nq_snapshot_pair_kernel(o, &prev, &cur, &have_prev, &kernel_only,
				    &facts) < 0)
		return EXIT_ERROR;
	if (have_prev)
		elapsed = cur.time_ns - prev.time_ns;
	target.netns_name = o->netns;
	/* nf_conntrack_max's mode tells best (rules/conntrack.c). */
	target.init_known = cur.ct_mode_known || cur.init_netns_known;
	target.init = cur.ct_mode_known ? cur.ct_writable : cur.init_netns;
	/* Named as -a names it: the inode, and the ip netns name. */
	ino = nq_netns_self();
	name = o->netns && !strchr(o->netns, '/') ? strdup(o->netns) :
						     nq_netns_name_of(ino);
	ret = nq_recommend(&cur, have_prev ? &prev : NULL, &one);
	if (!ret) {
		ret = nq_findings_move(&f, &one, (uint32_t)ino, name);
		nq_findings_free(&one);
	}
	free(name);
	f.kernel_only = kernel_only;
	f.modfacts = kernel_only ? &facts : NULL;
	if (ret < 0) {
		nq_findings_free(&f);
		nq_err("cannot apply the rules: %s", strerror(-ret));
	} else {
		if (o->json)
			ret = recommend_print_json(stdout, o->pretty, &f,
						   elapsed);
		else if (o->sysctl_conf)
			ret = recommend_print_conf_to(stdout, &f, &target);
		else
			ret = recommend_print_text(stdout, &f, elapsed);
		if (ret < 0)
			nq_err("cannot print the findings: %s",
			       strerror(-ret));
		else
			ret = nq_findings_actionable(&f) ? 1 : 0;
		nq_findings_free(&f);
	}
	if (have_prev)
		nq_snapshot_free(&prev);
	nq_snapshot_free(&cur);
	return ret < 0 ? EXIT_ERROR : ret;
}
