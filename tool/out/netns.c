// SPDX-License-Identifier: GPL-2.0
/*
 * What the per-namespace reports ("tw", "ct") share: the document around
 * the blocks or objects of each namespace.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "out/field.h"
#include "out/format.h"
#include "out/json.h"
#include "out/netns.h"

void nq_netns_print_header(FILE *f, const struct nq_netns *ns)
{
	char ino[FORMAT_NUM_LEN], cookie[FORMAT_NUM_LEN];

	fprintf(f, "netns %s (cookie %s)\n",
		format_counter(ino, sizeof(ino),
			       nq_known(ns->inode),
			       ns->inode),
		format_counter(cookie, sizeof(cookie),
			       nq_known(ns->cookie),
			       ns->cookie));
}

int nq_netns_print_text(FILE *f, const struct nq_netns_list *l,
			const struct nq_netns_rates *rates,
			uint64_t elapsed_ns, nq_netns_block_fn *block)
{
	size_t i;
	int ret;

	/* Marks where a report starts when it has several blocks. */
	if (rates)
		fprintf(f, "rates over %.3f s\n", (double)elapsed_ns / 1e9);
	for (i = 0; i < l->n; i++) {
		if (i)
			fputc('\n', f);
		ret = block(f, &l->v[i], rates ? &rates[i] : NULL);
		if (ret < 0)
			return ret;
	}
	return ferror(f) ? -EIO : 0;
}

void nq_netns_json_ids(struct json *j, const struct nq_netns *ns)
{
	json_kv_u64_opt(j, "netns",
			nq_known(ns->inode), ns->inode);
	json_kv_u64_opt(j, "netns_cookie",
			nq_known(ns->cookie), ns->cookie);
}

int nq_netns_print_json(FILE *f, bool pretty, const struct nq_netns_list *l,
			const struct nq_netns_rates *rates,
			uint64_t elapsed_ns, nq_netns_json_fn *object)
{
	struct json *j = json_new(f, pretty);
	size_t i;

	if (!j)
		return -ENOMEM;
	json_obj_begin(j);
	nq_json_header(j, rates ? elapsed_ns : 0);
	json_key(j, "namespaces");
	json_arr_begin(j);
	for (i = 0; i < l->n; i++)
		object(j, &l->v[i], rates ? &rates[i] : NULL);
	json_arr_end(j);
	json_obj_end(j);
	return json_end(j);
}
