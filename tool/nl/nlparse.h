/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of nqstat netlink messages into plain C structures. No I/O.
 */
#ifndef NQSTAT_NL_NLPARSE_H
#define NQSTAT_NL_NLPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <linux/nqstat.h>

#include "model/model.h"

/*
 * Each parser returns 0, -EBADMSG for a message that breaks the protocol
 * (with a static description in *why), or -ENOMEM. Attributes and counters
 * of types this version does not know are ignored.
 */

/* A GET_STATUS reply (generic netlink message). Free with nq_status_free(). */
int nq_parse_status(struct nlmsghdr *nlh, struct nq_status *st,
		    const char **why);

/* One GET_LISTENERS dump message. */
int nq_parse_listener(struct nlmsghdr *nlh, struct nq_listener *l,
		      const char **why);

/*
 * One GET_NETNS dump message. Free with nq_netns_free() after success; on
 * failure nothing is left to free and *ns is untouched.
 */
int nq_parse_netns(struct nlmsghdr *nlh, struct nq_netns *ns,
		   const char **why);

/*
 * An NLMSG_ERROR or NLMSG_DONE message: *error gets the (negative or zero)
 * error code, *extack a copy of the kernel's NLMSGERR_ATTR_MSG or NULL.
 * Handles NLM_F_CAPPED and messages without NLM_F_ACK_TLVS.
 */
int nq_parse_ack(struct nlmsghdr *nlh, int *error, char **extack,
		 const char **why);

#endif /* NQSTAT_NL_NLPARSE_H */
