// SPDX-License-Identifier: GPL-2.0
/*
 * "ct": connection tracking pressure per network namespace, as text and
 * JSON, both from the conntrack field table (out/f_netns.c).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "out/field.h"
#include "out/format.h"
#include "out/json.h"
#include "out/netns.h"
#include "out/table.h"

/*
 * The namespace's conntrack fields (out/f_netns.c): only its state when
 * nf_conntrack is not loaded or the module does not say.
 */
static int print_netns(FILE *f, const struct nq_netns *ns,
		       const struct nq_netns_rates *r)
{
	struct nq_nsrow row = { ns, r };

	nq_netns_print_header(f, ns);
	return nq_fields_print_block(f, nq_ct_fields,
				     nq_ct_loaded(&ns->ct) ? nq_n_ct_fields : 1,
				     &row, r, "  ");
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
