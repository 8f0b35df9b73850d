// SPDX-License-Identifier: GPL-2.0
/*
 * "tw": TIME_WAIT and local port use per network namespace, as text and
 * JSON, both from the namespace and destination field tables
 * (out/f_netns.c), without I/O other than to the stream it is given.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "out/field.h"
#include "out/format.h"
#include "out/json.h"
#include "out/netns.h"
#include "out/table.h"

const char *format_tw_reuse(uint8_t v)
{
	switch (v) {
	case 0:
		return "off";
	case 1:
		return "on";
	case 2:
		return "loopback only";
	}
	return NULL;
}

const char *format_timestamps(uint8_t v)
{
	switch (v) {
	case 0:
		return "off";
	case 1:
		return "on";
	case 2:
		return "on, without random offsets";
	}
	return NULL;
}

const char *format_port_range_mark(double use)
{
	if (!(use >= NQ_PORT_RANGE_WARN))	/* NaN too */
		return "";
	return use >= 1.0 ? "!! exhausted" : "! near exhaustion";
}

/* The destinations' table: the default columns of their field table. */
static int print_dests(FILE *f, const struct nq_netns *ns)
{
	const struct nq_field *fl = nq_dest_fields;
	struct table_col cols[NQ_MAX_FIELDS];
	size_t idx[NQ_MAX_FIELDS], i, k;
	char buf[FORMAT_DROPPED_BY_LEN], err[64];
	struct nq_drow row = { ns, NULL };
	struct table *t;
	int n, ret = 0;

	if (!ns->n_dests)
		return 0;
	n = nq_fields_columns(fl, nq_n_dest_fields, NULL, false, false, false,
			      idx, err, sizeof(err));
	if (n < 0)
		return n;
	for (k = 0; k < (size_t)n; k++) {
		cols[k].title = fl[idx[k]].title;
		cols[k].align = fl[idx[k]].align;
	}
	t = table_new(cols, (size_t)n);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < ns->n_dests && !ret; i++) {
		row.d = &ns->dests[i];
		for (k = 0; k < (size_t)n && !ret; k++)
			ret = table_add(t, nq_field_text(&fl[idx[k]], &row, buf,
							 sizeof(buf)));
	}
	if (!ret)
		ret = table_print(t, f, "  ", true);
	table_free(t);
	return ret;
}

static int print_netns(FILE *f, const struct nq_netns *ns,
		       const struct nq_netns_rates *r)
{
	int ret;

	struct nq_nsrow row = { ns, r };

	nq_netns_print_header(f, ns);
	ret = nq_fields_print_block(f, nq_netns_fields, nq_n_netns_fields,
				    &row, r, "  ");
	if (ret < 0)
		return ret;
	if (!ns->dests_known)
		return 0;
	fputc('\n', f);
	if (!ns->n_dests)
		fprintf(f, "  no remote endpoint has TIME-WAIT sockets\n");
	ret = print_dests(f, ns);
	if (ret < 0)
		return ret;
	if (ns->dests_truncated)
		fprintf(f, "  note: more remote endpoints than the module could rank: some are missing\n");
	return 0;
}


int tw_print_text(FILE *f, const struct nq_netns_list *l,
		  const struct nq_netns_rates *rates, uint64_t elapsed_ns)
{
	return nq_netns_print_text(f, l, rates, elapsed_ns, print_netns);
}

/* The namespace's fields (out/f_netns.c), then its destinations. */
static void json_netns(struct json *j, const struct nq_netns *ns,
		       const struct nq_netns_rates *r)
{
	struct nq_nsrow row = { ns, r };
	struct nq_drow drow = { ns, NULL };
	size_t i;

	json_obj_begin(j);
	nq_fields_json(j, nq_netns_fields, nq_n_netns_fields, &row, r);
	json_key(j, "tw_destinations");
	if (ns->dests_known) {
		json_arr_begin(j);
		for (i = 0; i < ns->n_dests; i++) {
			drow.d = &ns->dests[i];
			json_obj_begin(j);
			nq_fields_json(j, nq_dest_fields, nq_n_dest_fields,
				       &drow, false);
			json_obj_end(j);
		}
		json_arr_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "tw_destinations_truncated");
	json_bool(j, ns->dests_truncated);
	json_obj_end(j);
}

int tw_print_json(FILE *f, bool pretty, const struct nq_netns_list *l,
		  const struct nq_netns_rates *rates, uint64_t elapsed_ns)
{
	return nq_netns_print_json(f, pretty, l, rates, elapsed_ns,
				   json_netns);
}
