// SPDX-License-Identifier: GPL-2.0
/*
 * "ct": connection tracking pressure per network namespace, as text and
 * JSON.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "out/field.h"
#include "out/format.h"
#include "out/json.h"
#include "out/netns.h"
#include "out/table.h"

/* Labels and JSON names, in nq_ct_counters[] order. */
static const char *const ct_label[] = {
	"table full, dropped:",
	"early drops (evicted):",
	"insert failed:",
	"all conntrack drops:",
};

static const char *const ct_json[] = {
	"table_full_drops",
	"early_drops",
	"insert_failed",
	"drops",
};

_Static_assert(sizeof(ct_label) / sizeof(ct_label[0]) ==
	       NQ_N_CT_COUNTERS,
	       "a counter has no label");
_Static_assert(sizeof(ct_json) / sizeof(ct_json[0]) ==
	       NQ_N_CT_COUNTERS,
	       "a counter has no JSON name");

/* Longest value of the summary. */
#define VALUE_LEN 160

/* "N (P% of nf_conntrack_max)[ !]"; "-" when absent. */
static const char *entries_value(char *buf, size_t len, const struct nq_ct *ct,
				 uint64_t v)
{
	char num[FORMAT_NUM_LEN];
	double use;

	format_counter(num, sizeof(num), nq_known(v), v);
	if (nq_known(v) && nq_ct_use(ct, v, &use))
		snprintf(buf, len, "%s (%.1f%% of nf_conntrack_max)%s", num,
			 use * 100, use >= 1.0 ? " !! full" :
			 use >= NQ_CT_USE_WARN ? " ! nearly full" : "");
	else
		snprintf(buf, len, "%s", num);
	return buf;
}

/* "N" or "N (R/s)"; "-" when absent. */
static const char *counter_value(char *buf, size_t len, const struct nq_ct *ct,
				 const struct nq_netns_rates *r,
				 unsigned int attr)
{
	char num[FORMAT_NUM_LEN], rate[FORMAT_NUM_LEN];

	format_counter(num, sizeof(num), nq_known(nq_ct_counter(ct, attr)),
		       nq_ct_counter(ct, attr));
	if (!r) {
		snprintf(buf, len, "%s", num);
		return buf;
	}
	format_rate(rate, sizeof(rate), !isnan(r->ct[attr]),
		    r->ct[attr]);
	snprintf(buf, len, "%s (%s/s)", num, rate);
	return buf;
}

static const struct table_col summary_cols[] = {
	{ NULL, TABLE_LEFT },
	{ NULL, TABLE_LEFT },
};

static int add_row(struct table *t, const char *label, const char *value)
{
	int ret = table_add(t, label);

	return ret ? ret : table_add(t, value);
}

static int print_loaded(FILE *f, const struct nq_ct *ct,
			const struct nq_netns_rates *r)
{
	struct table *t = table_new(summary_cols, 2);
	char buf[VALUE_LEN];
	size_t i;
	int ret;

	if (!t)
		return -ENOMEM;
	ret = add_row(t, "entries:", entries_value(buf, sizeof(buf), ct,
						   ct->count));
	if (!ret)
		ret = add_row(t, "peak:", entries_value(buf, sizeof(buf), ct,
							ct->peak));
	if (!ret && nq_known(ct->max) && !ct->max)
		ret = add_row(t, "nf_conntrack_max:", "0 (no limit)");
	else if (!ret)
		ret = add_row(t, "nf_conntrack_max:",
			      format_counter(buf, sizeof(buf),
					     nq_known(ct->max),
					     ct->max));
	if (!ret)
		ret = add_row(t, "nf_conntrack_buckets:",
			      format_counter(buf, sizeof(buf),
					     nq_known(ct->buckets),
					     ct->buckets));
	for (i = 0; i < nq_n_ct_counters && !ret; i++)
		ret = add_row(t, ct_label[i],
			      counter_value(buf, sizeof(buf), ct, r,
					    nq_ct_counters[i]));
	if (!ret)
		ret = table_print(t, f, "  ", false);
	table_free(t);
	return ret;
}

static int print_netns(FILE *f, const struct nq_netns *ns,
		       const struct nq_netns_rates *r)
{
	nq_netns_print_header(f, ns);
	if (!nq_known(ns->ct.state)) {
		fprintf(f, "  conntrack: unknown (the loaded nqstat module is too old)\n");
		return 0;
	}
	if (!nq_ct_loaded(&ns->ct)) {
		fprintf(f, "  conntrack: nf_conntrack not loaded\n");
		return 0;
	}
	return print_loaded(f, &ns->ct, r);
}

int ct_print_text(FILE *f, const struct nq_netns_list *l,
		  const struct nq_netns_rates *rates, uint64_t elapsed_ns)
{
	return nq_netns_print_text(f, l, rates, elapsed_ns, print_netns);
}

/* The namespace's ids, then its conntrack fields (out/f_netns.c). */
static void json_netns(struct json *j, const struct nq_netns *ns,
		       const struct nq_netns_rates *r)
{
	struct nq_nsrow row = { ns, r };

	json_obj_begin(j);
	nq_netns_json_ids(j, ns);
	nq_fields_json(j, nq_ct_fields, nq_n_ct_fields, &row, r);
	json_obj_end(j);
}

int ct_print_json(FILE *f, bool pretty, const struct nq_netns_list *l,
		  const struct nq_netns_rates *rates, uint64_t elapsed_ns)
{
	return nq_netns_print_json(f, pretty, l, rates, elapsed_ns,
				   json_netns);
}
