// SPDX-License-Identifier: GPL-2.0
/*
 * "recommend": the findings as text, JSON and a sysctl.d drop-in, written
 * to any stream.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "out/field.h"
#include "out/format.h"
#include "out/json.h"
#include "out/recommend.h"
#include "out/status.h"
#include "model/snapshot.h"

static int stream_status(FILE *out)
{
	return ferror(out) ? -EIO : 0;
}

/* What a finding is about: its sysctl, or what to change instead. */
static const char *finding_name(const struct nq_finding *fd)
{
	return fd->sysctl ? fd->sysctl : fd->subject ? fd->subject : "-";
}

/*
 * prefix, then s escaped (evidence quotes file names, endpoints: they reach
 * a terminal), then a newline.
 */
static void line(FILE *out, const char *prefix, const char *s)
{
	fputs(prefix, out);
	format_fputs_escaped(s, out);
	fputc('\n', out);
}

static void print_finding(FILE *out, const struct nq_finding *fd)
{
	size_t i;

	fprintf(out, "    %s", finding_name(fd));
	if (fd->sysctl && fd->subject)
		fprintf(out, " (%s)", fd->subject);
	if (fd->current || fd->recommended)
		fprintf(out, ": %s -> %s", fd->current ? fd->current : "?",
			fd->recommended ? fd->recommended : "(remove)");
	if (!fd->sysctl)
		fprintf(out, " (no sysctl)");
	else if (fd->recommended && !fd->settable)
		fprintf(out, " (not settable in this namespace)");
	fputc('\n', out);
	for (i = 0; i < fd->n_evidence; i++)
		line(out, "      evidence: ", fd->evidence[i]);
	if (fd->reasoning)
		line(out, "      why: ", fd->reasoning);
	if (fd->risk)
		line(out, "      risk: ", fd->risk);
}

int recommend_print_text(FILE *out, const struct nq_findings *f,
			 uint64_t elapsed_ns)
{
	size_t i, j;
	int s;

	if (f->kernel_only)
		fprintf(out, "(Without the nqstat module: from the namespace's counters and the sockets the kernel reports, no per-listener split by kind.)\n");
	if (!f->n) {
		fprintf(out, "nothing to change%s\n",
			elapsed_ns ? " over the window" : "");
		return stream_status(out);
	}
	for (i = 0; i < f->n; i++) {
		bool seen = false;

		for (j = 0; j < i && !seen; j++)
			seen = f->v[j].netns == f->v[i].netns;
		if (seen)
			continue;
		if (i)
			fputc('\n', out);
		if (f->v[i].netns)
			fprintf(out, "Namespace %" PRIu32, f->v[i].netns);
		else
			fprintf(out, "Namespace (unknown)");
		if (f->v[i].netns_name) {
			fputs(" (", out);
			format_fputs_escaped(f->v[i].netns_name, out);
			fputc(')', out);
		}
		if (elapsed_ns)
			fprintf(out, ", observed for %.1f s",
				(double)elapsed_ns / 1e9);
		fprintf(out, ":\n");
		for (s = 0; s < NQ_N_SEV; s++) {
			bool head = false;

			for (j = i; j < f->n; j++) {
				const struct nq_finding *fd = &f->v[j];

				if (fd->netns != f->v[i].netns ||
				    (int)fd->severity != s)
					continue;
				if (!head)
					fprintf(out, "  %s:\n",
						nq_severity_name(fd->severity));
				head = true;
				print_finding(out, fd);
			}
		}
	}
	return stream_status(out);
}

int recommend_print_json(FILE *out, bool pretty, const struct nq_findings *f,
			 uint64_t elapsed_ns)
{
	struct json *j = json_new(out, pretty);
	size_t i, k;

	if (!j)
		return -ENOMEM;
	json_obj_begin(j);
	/* window_s always: null without --duration. */
	nq_json_header(j, 0);
	json_kv_double_opt(j, "window_s", elapsed_ns != 0,
			   (double)elapsed_ns / 1e9, 3);
	json_kv_str(j, "source", f->kernel_only ? "kernel" : "module");
	if (f->kernel_only && f->modfacts)
		nq_module_json(j, f->modfacts);
	json_key(j, "changes_recommended");
	json_bool(j, nq_findings_actionable(f));
	json_key(j, "findings");
	json_arr_begin(j);
	for (i = 0; i < f->n; i++) {
		const struct nq_finding *fd = &f->v[i];

		json_obj_begin(j);
		json_kv_u64_opt(j, "netns", fd->netns != 0, fd->netns);
		json_kv_str(j, "netns_name", fd->netns_name);	/* or null */
		json_kv_str(j, "severity", nq_severity_name(fd->severity));
		json_kv_str(j, "sysctl", fd->sysctl);
		json_kv_str(j, "subject", fd->subject);
		json_kv_str(j, "current", fd->current);
		json_kv_str(j, "recommended", fd->recommended);
		json_key(j, "settable");
		json_bool(j, fd->settable);
		json_key(j, "evidence");
		json_arr_begin(j);
		for (k = 0; k < fd->n_evidence; k++)
			json_str(j, fd->evidence[k]);
		json_arr_end(j);
		json_kv_str(j, "reasoning", fd->reasoning);
		json_kv_str(j, "risk", fd->risk);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	return json_end(j);
}

/* A comment of the drop-in: one line, newlines never in our strings. */
static void comment(FILE *out, const char *prefix, const char *s)
{
	fputs("# ", out);
	line(out, prefix, s);
}

/* "# " prefix, then s escaped (a namespace name comes from argv). */
static void header_name(FILE *out, const char *prefix, const char *name,
			const char *suffix)
{
	fputs(prefix, out);
	format_fputs_escaped(name, out);
	fputs(suffix, out);
}

static void conf_header(FILE *out, const struct nq_conf_target *t)
{
	if (t->init_known && t->init) {
		fprintf(out,
			"# Written by nqstat recommend --sysctl-conf: a drop-in for /etc/sysctl.d/\n"
			"# (for example /etc/sysctl.d/" NQ_CONF_DROPIN "; load with sysctl -p FILE).\n");
		return;
	}
	if (t->init_known && t->netns_name) {
		header_name(out, "# Written by nqstat recommend --sysctl-conf for network namespace ",
			    t->netns_name, ", not the host's.\n");
		header_name(out, "# Load it with: ip netns exec ", t->netns_name,
			    " sysctl -p FILE\n");
		fprintf(out,
			"# each time the namespace is created (in what creates it): the files of\n"
			"# the sysctl.d search path configure the host's namespace at boot, not this one.\n");
		return;
	}
	if (t->init_known) {
		fprintf(out,
			"# Written by nqstat recommend --sysctl-conf for this network namespace, not\n"
			"# the host's. Load it from inside the namespace (sysctl -p FILE in the\n"
			"# container, or nsenter --net=/proc/PID/ns/net sysctl -p FILE) each time it\n"
			"# is created: the files of the sysctl.d search path configure the host's\n"
			"# namespace at boot, not this one.\n");
		return;
	}
	fprintf(out,
		"# Written by nqstat recommend --sysctl-conf. Whether this is the host's\n"
		"# (initial) network namespace is unknown (no access to /proc/1/ns/net): if it\n"
		"# is, this is a drop-in for /etc/sysctl.d/ (load with sysctl -p FILE); if not,\n"
		"# load it from inside the namespace (ip netns exec NAME sysctl -p FILE).\n");
}

int recommend_print_conf_to(FILE *out, const struct nq_findings *f,
			    const struct nq_conf_target *t)
{
	size_t i, k;

	conf_header(out, t);
	for (i = 0; i < f->n; i++) {
		const struct nq_finding *fd = &f->v[i];
		bool set = fd->sysctl && fd->recommended && fd->settable;

		fputc('\n', out);
		fprintf(out, "# %s (%s", finding_name(fd),
			nq_severity_name(fd->severity));
		if (fd->netns)	/* never "namespace 0": unknown */
			fprintf(out, ", namespace %" PRIu32, fd->netns);
		fprintf(out, ")%s\n", set ? "" : ": not set by this file");
		for (k = 0; k < fd->n_evidence; k++)
			comment(out, "evidence: ", fd->evidence[k]);
		if (fd->reasoning)
			comment(out, "why: ", fd->reasoning);
		if (fd->risk)
			comment(out, "risk: ", fd->risk);
		if (set && !strncmp(fd->sysctl, "net.netfilter.nf_conntrack", 26))
			fprintf(out,
				"# at boot: nf_conntrack must be loaded before systemd-sysctl applies this\n"
				"# (a net.netfilter line of a file whose module is not loaded is skipped):\n"
				"# list it in /etc/modules-load.d/ (echo nf_conntrack > /etc/modules-load.d/nf_conntrack.conf)\n");
		if (set)
			fprintf(out, "%s = %s\n", fd->sysctl, fd->recommended);
	}
	return stream_status(out);
}

int recommend_print_conf(FILE *out, const struct nq_findings *f)
{
	const struct nq_conf_target t = { .init_known = true, .init = true };

	return recommend_print_conf_to(out, f, &t);
}
