// SPDX-License-Identifier: GPL-2.0
/*
 * "report --prometheus": the text exposition format of every exported
 * field of the field tables, families grouped across rows and
 * namespaces, with stable labels: a listener is named by its socket
 * cookie, address, port and state (never by its place among its
 * SO_REUSEPORT siblings), a namespace by its inode and "ip netns" name.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "out/field.h"
#include "out/format.h"
#include "out/prometheus.h"

/* Room for every label of a sample, a netns name of 255 bytes included. */
#define LABELS_LEN 768

struct prow {
	const void *row;
	char labels[LABELS_LEN];
};

struct pset {
	struct prow *v;
	size_t n;
};

int nq_prom_label(char *buf, size_t len, const char *name, const char *v)
{
	size_t o = strlen(buf), start = o;
	int n;

	n = snprintf(buf + o, len - o, "%s%s=\"", o ? "," : "", name);
	if (n < 0 || (size_t)n >= len - o)
		goto full;
	o += (size_t)n;
	for (; *v; v++) {
		if (o + 4 >= len)
			goto full;
		if (*v == '\\' || *v == '"') {
			buf[o++] = '\\';
			buf[o++] = *v;
		} else if (*v == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else {
			buf[o++] = *v;
		}
	}
	if (o + 2 > len)
		goto full;
	buf[o++] = '"';
	buf[o] = '\0';
	return 0;
full:
	buf[start] = '\0';
	return -ENOSPC;
}

/*
 * The family of table[k] (every field of the table with its name): HELP
 * and TYPE, then the samples of each field for every row. Nothing when
 * no value is known, or when an earlier field of the table had the name.
 */
static int family(FILE *out, const struct nq_field *t, size_t n, size_t k,
		  const struct pset *set)
{
	char *buf = NULL;
	size_t len = 0, i, j;
	bool any = false;
	FILE *mem;

	if (!t[k].prom || t[k].type == NQ_FT_STR)
		return 0;
	for (j = 0; j < k; j++)
		if (t[j].prom && nq_prom_same_family(t[j].prom, t[k].prom))
			return 0;
	mem = open_memstream(&buf, &len);
	if (!mem)
		return -ENOMEM;
	for (j = k; j < n; j++) {
		if (!t[j].prom || !nq_prom_same_family(t[j].prom, t[k].prom))
			continue;
		for (i = 0; i < set->n; i++)
			any |= nq_field_prom(mem, &t[j], set->v[i].row,
					     set->v[i].labels);
	}
	if (fclose(mem)) {
		free(buf);
		return -ENOMEM;
	}
	if (any) {
		nq_field_prom_help(out, &t[k]);
		fputs(buf, out);
	}
	free(buf);
	return 0;
}

/* Every family of a table (n entries) over the rows of set. */
static int families(FILE *out, const struct nq_field *t, size_t n,
		    const struct pset *set)
{
	size_t k;
	int ret = 0;

	for (k = 0; !ret && k < n; k++)
		ret = family(out, t, n, k, set);
	return ret;
}

/* netns="inode"[,netns_name="name"]: the labels of every namespace row. */
static void ns_labels(char *buf, size_t len, const struct nq_prom_ns *p)
{
	char ino[24] = "0";

	buf[0] = '\0';
	if (p->s->has_netns && nq_known(p->s->ns.inode))
		snprintf(ino, sizeof(ino), "%" PRIu64, p->s->ns.inode);
	nq_prom_label(buf, len, "netns", ino);
	if (p->name)
		nq_prom_label(buf, len, "netns_name", p->name);
}

static void listener_labels(char *buf, size_t len, const char *ns,
			    const struct nq_listener *l)
{
	char v[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s", ns);
	snprintf(v, sizeof(v), "%" PRIu64, l->cookie);
	nq_prom_label(buf, len, "cookie", nq_known(l->cookie) ? v : "");
	if (!l->addr_len ||
	    format_addr(v, sizeof(v), (uint8_t)l->family, l->addr) < 0)
		snprintf(v, sizeof(v), "?");
	nq_prom_label(buf, len, "addr", v);
	snprintf(v, sizeof(v), "%" PRIu64, l->port);
	nq_prom_label(buf, len, "port", nq_known(l->port) ? v : "");
	nq_prom_label(buf, len, "state", nq_known(l->state) ?
		      format_state_json((uint8_t)l->state) : "unknown");
}

static void dest_labels(char *buf, size_t len, const char *ns,
			const struct nq_tw_dest *d)
{
	char v[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s", ns);
	if (!d->addr_len || format_addr(v, sizeof(v), (uint8_t)d->family,
					d->addr) < 0)
		snprintf(v, sizeof(v), "?");
	nq_prom_label(buf, len, "remote_addr", v);
	snprintf(v, sizeof(v), "%" PRIu64, d->port);
	nq_prom_label(buf, len, "remote_port", v);
}

const char *const nq_prom_health_families[] = {
	"up", "report_errors", "module_info", NULL,
};

static void health(FILE *out, const struct nq_prom_doc *d)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} parts[] = {
		{ NQ_PROM_PART_MODULE, "module" },
		{ NQ_PROM_PART_STATUS, "status" },
		{ NQ_PROM_PART_LISTENERS, "listeners" },
		{ NQ_PROM_PART_NAMESPACES, "namespaces" },
	};
	char labels[LABELS_LEN];
	size_t i;

	fputs("# HELP nqstat_up 1 when the nqstat module answered this report, 0 when it did not.\n"
	      "# TYPE nqstat_up gauge\n", out);
	fprintf(out, "nqstat_up %d\n",
		!(d->failed & NQ_PROM_PART_MODULE));
	fputs("# HELP nqstat_report_errors 1 for each part of this report that could not be read.\n"
	      "# TYPE nqstat_report_errors gauge\n", out);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		fprintf(out, "nqstat_report_errors{part=\"%s\"} %d\n",
			parts[i].name, !!(d->failed & parts[i].bit));
	if (!d->st)
		return;
	labels[0] = '\0';
	nq_prom_label(labels, sizeof(labels), "version",
		      d->st->version ? d->st->version : "");
	nq_prom_label(labels, sizeof(labels), "kernel",
		      d->st->kernel_release ? d->st->kernel_release : "");
	fputs("# HELP nqstat_module_info The nqstat module's version and the kernel it runs on.\n"
	      "# TYPE nqstat_module_info gauge\n", out);
	fprintf(out, "nqstat_module_info{%s} 1\n", labels);
}

/* The rows of every namespace: listeners, namespaces, destinations. */
struct rows {
	struct pset l, ns, dest;
	struct nq_lrow *lrow;
	struct nq_nsrow *nsrow;
	struct nq_drow *drow;
};

static void rows_free(struct rows *r)
{
	free(r->l.v);
	free(r->ns.v);
	free(r->dest.v);
	free(r->lrow);
	free(r->nsrow);
	free(r->drow);
}

static int rows_build(struct rows *r, const struct nq_prom_doc *d)
{
	size_t nl = 0, nd = 0, i, k;
	char ns[LABELS_LEN];

	memset(r, 0, sizeof(*r));
	for (i = 0; i < d->n_ns; i++) {
		nl += d->ns[i].s->ls.n;
		if (d->ns[i].s->has_netns)
			nd += d->ns[i].s->ns.n_dests;
	}
	r->l.v = calloc(nl + 1, sizeof(*r->l.v));
	r->lrow = calloc(nl + 1, sizeof(*r->lrow));
	r->ns.v = calloc(d->n_ns + 1, sizeof(*r->ns.v));
	r->nsrow = calloc(d->n_ns + 1, sizeof(*r->nsrow));
	r->dest.v = calloc(nd + 1, sizeof(*r->dest.v));
	r->drow = calloc(nd + 1, sizeof(*r->drow));
	if (!r->l.v || !r->lrow || !r->ns.v || !r->nsrow || !r->dest.v ||
	    !r->drow) {
		rows_free(r);
		return -ENOMEM;
	}
	for (i = 0; i < d->n_ns; i++) {
		const struct nq_snapshot *s = d->ns[i].s;

		ns_labels(ns, sizeof(ns), &d->ns[i]);
		for (k = 0; k < s->ls.n; k++) {
			struct prow *p = &r->l.v[r->l.n];

			r->lrow[r->l.n].l = &s->ls.v[k];
			p->row = &r->lrow[r->l.n++];
			listener_labels(p->labels, sizeof(p->labels), ns,
					&s->ls.v[k]);
		}
		if (!s->has_netns)
			continue;
		r->nsrow[r->ns.n].ns = &s->ns;
		r->ns.v[r->ns.n].row = &r->nsrow[r->ns.n];
		snprintf(r->ns.v[r->ns.n++].labels, LABELS_LEN, "%s", ns);
		for (k = 0; k < s->ns.n_dests; k++) {
			struct prow *p = &r->dest.v[r->dest.n];

			r->drow[r->dest.n].ns = &s->ns;
			r->drow[r->dest.n].d = &s->ns.dests[k];
			p->row = &r->drow[r->dest.n++];
			dest_labels(p->labels, sizeof(p->labels), ns,
				    &s->ns.dests[k]);
		}
	}
	return 0;
}

static int status_families(FILE *out, const struct nq_status *st)
{
	struct prow one = { .row = st };
	struct pset set = { &one, 1 }, hooks = { 0 };
	size_t i;
	int ret;

	ret = families(out, nq_status_fields, nq_n_status_fields, &set);
	if (ret || !st->n_hooks)
		return ret;
	hooks.v = calloc(st->n_hooks, sizeof(*hooks.v));
	if (!hooks.v)
		return -ENOMEM;
	for (i = 0; i < st->n_hooks; i++) {
		const struct nq_hook *h = &st->hooks[i];
		char *lb = hooks.v[hooks.n].labels;

		if (!h->name)
			continue;
		nq_prom_label(lb, LABELS_LEN, "hook", h->name);
		if (nq_known(h->kind))
			nq_prom_label(lb, LABELS_LEN, "kind",
				      format_hook_kind((uint8_t)h->kind));
		hooks.v[hooks.n++].row = h;
	}
	ret = families(out, nq_hook_fields, nq_n_hook_fields, &hooks);
	free(hooks.v);
	return ret;
}

int nq_prom_print(FILE *out, const struct nq_prom_doc *d)
{
	struct rows r;
	int ret;

	if (d->health || d->st || d->failed)
		health(out, d);
	ret = d->st ? status_families(out, d->st) : 0;
	if (ret)
		return ret;
	ret = rows_build(&r, d);
	if (ret)
		return ret;
	ret = families(out, nq_listener_fields, nq_n_listener_fields, &r.l);
	if (!ret)
		ret = families(out, nq_netns_fields, nq_n_netns_fields, &r.ns);
	if (!ret)
		ret = families(out, nq_ct_fields, nq_n_ct_fields, &r.ns);
	if (!ret)
		ret = families(out, nq_dest_fields, nq_n_dest_fields, &r.dest);
	rows_free(&r);
	if (ret)
		return ret;
	return ferror(out) ? -EIO : 0;
}
