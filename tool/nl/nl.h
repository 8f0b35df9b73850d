/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink transport to the nqstat module.
 */
#ifndef NQSTAT_NL_H
#define NQSTAT_NL_H

#include <stdbool.h>
#include <stdint.h>

#include "model/listeners.h"
#include "nl/nlparse.h"
#include "model/model.h"

struct nq_nl;

struct nq_dump_req {
	bool all_netns;			/* NQSTAT_A_ALL_NETNS */
	struct nq_filter filter;	/* NQSTAT_A_FILTER_* */
};

/*
 * Opens a generic netlink socket in the current network namespace and
 * resolves the nqstat family (which loads the module if it is installed).
 * Returns 0, -ENOENT if the family does not exist, or another -errno.
 * On failure *nl is still set when possible, so that nq_nl_strerror() can
 * describe the problem; release it with nq_nl_close().
 */
int nq_nl_open(struct nq_nl **nl);
void nq_nl_close(struct nq_nl *nl);

/* NQSTAT_CMD_GET_STATUS. Free *st with nq_status_free(). */
int nq_nl_get_status(struct nq_nl *nl, struct nq_status *st);

/* NQSTAT_CMD_GET_LISTENERS dump, appended to *ls (unsorted). */
int nq_nl_get_listeners(struct nq_nl *nl, const struct nq_dump_req *req,
			struct nq_listeners *ls);

/* What to ask NQSTAT_CMD_GET_NETNS for. */
struct nq_netns_req {
	bool all_netns;			/* NQSTAT_A_ALL_NETNS */
	uint32_t top_n;			/* NQSTAT_A_TOP_N; 0: not sent */
};

struct nq_netns_list;

/* NQSTAT_CMD_GET_NETNS dump, appended to *l (in the kernel's order). */
int nq_nl_get_netns(struct nq_nl *nl, const struct nq_netns_req *req,
		    struct nq_netns_list *l);

/*
 * NQSTAT_CMD_RESET of the listeners of the current namespace that match f.
 * The kernel answers with an ack only.
 */
int nq_nl_reset(struct nq_nl *nl, const struct nq_filter *f);

/*
 * Description of the last failure, whose return value was err: the
 * system or libnl error, or what was wrong with the reply.
 */
const char *nq_nl_strerror(const struct nq_nl *nl, int err);

/* The kernel's extended ack message for the last failure, or NULL. */
const char *nq_nl_extack(const struct nq_nl *nl);

#endif /* NQSTAT_NL_H */
