// SPDX-License-Identifier: GPL-2.0
/*
 * "report": capacity planning over --duration SECS (two snapshots), or
 * from one snapshot without rates; text, JSON or Prometheus text format.
 */
#include <errno.h>
#include <string.h>

#include "cmd/cmd.h"
#include "out/report.h"
#include "model/snapshot.h"

int cmd_report(const struct options *o, int argc, char *argv[])
{
	struct nq_snapshot prev, cur;
	const struct nq_snapshot *p;
	bool have_prev;
	int ret;

	(void)argv;
	if (argc)
		return nq_usage_error("report takes no arguments");
	if (o->json && o->prometheus)
		return nq_usage_error("-j/--json and --prometheus exclude each other");
	if (nq_snapshot_pair(o, &prev, &cur, &have_prev) < 0)
		return EXIT_ERROR;
	p = have_prev ? &prev : NULL;
	if (o->json)
		ret = report_print_json(stdout, o->pretty, &cur, p);
	else if (o->prometheus)
		ret = report_print_prometheus(stdout, &cur, p);
	else
		ret = report_print_text(stdout, &cur, p);
	if (ret < 0)
		nq_err("cannot print the report: %s", strerror(-ret));
	if (have_prev)
		nq_snapshot_free(&prev);
	nq_snapshot_free(&cur);
	return ret < 0 ? EXIT_ERROR : 0;
}
