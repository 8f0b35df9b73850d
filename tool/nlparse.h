/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of nqstat netlink messages into plain C structures. No I/O.
 */
#ifndef NQSTAT_NLPARSE_H
#define NQSTAT_NLPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <linux/nqstat.h>

/* Bit for attribute or counter type n in a "present" mask. */
#define NQ_BIT(n) (UINT32_C(1) << (n))

struct nq_listener {
	uint32_t present;		/* NQ_BIT(NQSTAT_A_LISTENER_*) */
	uint64_t cookie;
	uint64_t netns_cookie;
	uint32_t netns_inode;
	uint8_t family;
	uint8_t addr[16];		/* network byte order */
	uint16_t port;
	uint32_t ifindex;
	uint8_t state;			/* enum nqstat_listener_state */
	uint32_t backlog;
	uint32_t closed_ms;
	uint8_t backlog_source;		/* enum nqstat_backlog_source */
	uint32_t acceptq_len;
	uint32_t synq_len;
	uint32_t acceptq_peak;		/* since first seen */
	uint32_t synq_peak;
	uint32_t acceptq_peak_reset;	/* since the last reset */
	uint32_t synq_peak_reset;
	uint64_t kernel_drops;		/* the socket's sk_drops */
	uint32_t reset_ms;		/* since the last reset */
	uint32_t counters_present;	/* NQ_BIT(NQSTAT_CTR_*) */
	uint64_t counters[NQSTAT_CTR_MAX + 1];
};

struct nq_hook {
	uint32_t present;		/* NQ_BIT(NQSTAT_A_HOOK_*) */
	char *name;
	uint8_t kind;			/* enum nqstat_hook_kind */
	uint8_t state;			/* enum nqstat_hook_state */
	uint32_t err;			/* positive errno */
	char *reason;
	uint64_t missed;		/* kretprobes: calls not followed */
};

struct nq_status {
	uint32_t present;		/* NQ_BIT(NQSTAT_A_*) */
	char *version;
	char *kernel_release;
	struct nq_hook *hooks;
	size_t n_hooks;
	uint32_t listeners_tracked;
	uint32_t listeners_max;
	uint64_t untracked_events;
	uint32_t grace_period_s;
};

static inline bool nq_has(uint32_t present, unsigned int type)
{
	return present & NQ_BIT(type);
}

/*
 * Each parser returns 0, -EBADMSG for a message that breaks the protocol
 * (with a static description in *why), or -ENOMEM. Attributes and counters
 * of types this version does not know are ignored.
 */

/* A GET_STATUS reply (generic netlink message). Free with nq_status_free(). */
int nq_parse_status(struct nlmsghdr *nlh, struct nq_status *st,
		    const char **why);
void nq_status_free(struct nq_status *st);

/* One GET_LISTENERS dump message. */
int nq_parse_listener(struct nlmsghdr *nlh, struct nq_listener *l,
		      const char **why);

/*
 * An NLMSG_ERROR or NLMSG_DONE message: *error gets the (negative or zero)
 * error code, *extack a copy of the kernel's NLMSGERR_ATTR_MSG or NULL.
 * Handles NLM_F_CAPPED and messages without NLM_F_ACK_TLVS.
 */
int nq_parse_ack(struct nlmsghdr *nlh, int *error, char **extack,
		 const char **why);

#endif /* NQSTAT_NLPARSE_H */
