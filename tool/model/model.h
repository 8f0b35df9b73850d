/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model: what the module reports, as plain C structures. The parser
 * (nl/) fills them; commands, rules and outputs read them. No I/O.
 */
#ifndef NQSTAT_MODEL_MODEL_H
#define NQSTAT_MODEL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/nqstat.h>

/* What a request selects (NQSTAT_A_FILTER_*). */
struct nq_addr {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t bytes[16];	/* network byte order; AF_INET uses 4 */
};

/* Filters of "show", sent to the kernel as NQSTAT_A_FILTER_*. */
struct nq_filter {
	bool has_addr;
	struct nq_addr addr;
	bool has_port;
	uint16_t port;
};

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
	/* Listeners and events the module could not track or attribute. */
	uint64_t untracked_events;
	uint32_t grace_period_s;
	/* Listening already when the module was loaded, tracked since. */
	uint32_t listeners_adopted;
	/* Not the kernel's TCP function table (MPTCP, SMC): not counted. */
	uint64_t listeners_foreign;
};

/* One row of NQSTAT_A_NETNS_TW_DESTS: a remote endpoint. */
struct nq_tw_dest {
	uint32_t present;		/* NQ_BIT(NQSTAT_A_DEST_*) */
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t addr[16];		/* network byte order */
	uint16_t port;			/* host byte order */
	uint32_t tw_count;		/* TIME_WAIT sockets to it now */
};

/* NQSTAT_A_NETNS_CT: connection tracking in a namespace. */
struct nq_ct {
	uint32_t present;		/* NQ_BIT(NQSTAT_A_CT_*) */
	uint8_t state;			/* enum nqstat_ct_state */
	uint32_t count;			/* entries now */
	uint32_t peak;
	uint32_t max;			/* nf_conntrack_max */
	uint32_t buckets;		/* nf_conntrack_buckets */
	uint64_t table_full_drops;	/* counted by nqstat */
	uint64_t early_drops;		/* the kernel's statistics */
	uint64_t insert_failed;
	uint64_t drops;
};

/* One GET_NETNS dump message: a network namespace. */
struct nq_netns {
	uint32_t present;		/* NQ_BIT(NQSTAT_A_NETNS_*) */
	uint32_t inode;
	uint64_t cookie;
	uint32_t tw_count;		/* TIME_WAIT sockets now */
	uint32_t tw_peak;
	uint64_t tw_created;
	uint64_t tw_overflows;		/* TcpExtTCPTimeWaitOverflow */
	uint64_t connect_port_exhausted; /* connect() EADDRNOTAVAIL */
	uint32_t sysctls_present;	/* NQ_BIT(NQSTAT_A_SYSCTL_*) */
	uint32_t max_tw_buckets;
	uint16_t port_range_low;
	uint16_t port_range_high;
	uint8_t tw_reuse;
	uint8_t timestamps;
	uint32_t fin_timeout_s;
	/* NQSTAT_A_NETNS_TW_DESTS, in the kernel's order (most first). */
	struct nq_tw_dest *dests;
	size_t n_dests;
	/* NQSTAT_A_NETNS_TW_DESTS_TRUNCATED is a bit of present. */
	struct nq_ct ct;		/* NQSTAT_A_NETNS_CT */
};

static inline bool nq_has(uint32_t present, unsigned int type)
{
	return present & NQ_BIT(type);
}

/* Free what the parser allocated in a record (model.c). */
void nq_status_free(struct nq_status *st);
void nq_netns_free(struct nq_netns *ns);

#endif /* NQSTAT_MODEL_MODEL_H */
