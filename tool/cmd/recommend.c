// SPDX-License-Identifier: GPL-2.0
/*
 * "recommend": one snapshot of the namespace, or two --duration apart, and
 * the findings of the rules, as text, JSON or a sysctl.d drop-in.
 */
#include <errno.h>
#include <string.h>

#include "cmd/cmd.h"
#include "out/recommend.h"
#include "rules/recommend.h"
#include "model/modstate.h"
#include "model/snapshot.h"

int cmd_recommend(const struct options *o, int argc, char *argv[])
{
	struct nq_snapshot prev, cur;
	struct nq_conf_target target;
	struct nq_findings f;
	uint64_t elapsed = 0;
	struct nq_modfacts facts;
	bool have_prev, kernel_only;
	int ret;

	if (argc)
		return nq_usage_error("extra argument \"%s\": recommend takes no arguments",
				      argv[0]);
	if (o->json && o->sysctl_conf)
		return nq_usage_error("-j/--json and --sysctl-conf exclude each other");
	if (nq_snapshot_pair_kernel(o, &prev, &cur, &have_prev, &kernel_only,
				    &facts) < 0)
		return EXIT_ERROR;
	if (have_prev)
		elapsed = cur.time_ns - prev.time_ns;
	target.netns_name = o->netns;
	/* nf_conntrack_max's mode tells best (rules/conntrack.c). */
	target.init_known = cur.ct_mode_known || cur.init_netns_known;
	target.init = cur.ct_mode_known ? cur.ct_writable : cur.init_netns;
	ret = nq_recommend(&cur, have_prev ? &prev : NULL, &f);
	f.kernel_only = kernel_only;
	if (ret < 0) {
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
