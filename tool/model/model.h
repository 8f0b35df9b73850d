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

/*
 * Every number of the model is a uint64_t; NQ_UNKNOWN (all ones, which no
 * counter of the module can reach) means the module did not report it:
 * an older module, an unavailable hook, an unprivileged caller. Nothing
 * past the parser knows which attributes came; it reads values.
 */
#define NQ_UNKNOWN UINT64_MAX

static inline bool nq_known(uint64_t v)
{
	return v != NQ_UNKNOWN;
}

/* One GET_LISTENERS dump message: a listener. */
struct nq_listener {
	uint64_t cookie;
	uint64_t netns_cookie;
	uint64_t netns_inode;
	uint64_t family;		/* AF_INET or AF_INET6 */
	uint64_t port;
	uint64_t ifindex;
	uint64_t state;			/* enum nqstat_listener_state */
	uint64_t backlog;
	uint64_t closed_ms;		/* u32 or u64 on the wire */
	uint64_t backlog_source;	/* enum nqstat_backlog_source */
	uint64_t acceptq_len;
	uint64_t synq_len;
	uint64_t acceptq_peak;		/* since first seen */
	uint64_t synq_peak;
	uint64_t acceptq_peak_reset;	/* since the last reset */
	uint64_t synq_peak_reset;
	uint64_t kernel_drops;		/* the socket's sk_drops */
	uint64_t reset_ms;		/* since the last reset; u32 or u64 */
	uint64_t counters[NQSTAT_CTR_MAX + 1];	/* by NQSTAT_CTR_* */
	uint8_t addr_len;		/* 4, 16, or 0: unknown */
	uint8_t addr[16];		/* network byte order */
};

/* A record with every value unknown. */
void nq_listener_init(struct nq_listener *l);

/* The hook names of a hook's feeds: "<object>.<field>". */
struct nq_hook {
	char *name;			/* NULL: unknown */
	uint64_t kind;			/* enum nqstat_hook_kind */
	uint64_t state;			/* enum nqstat_hook_state */
	uint64_t err;			/* positive errno */
	char *reason;			/* NULL: none */
	uint64_t missed;		/* kretprobes: calls not followed */
	/* NQSTAT_A_HOOK_FEEDS when the module sends it, else NULL. */
	char **feeds;
	size_t n_feeds;
};

struct nq_status {
	char *version;			/* NULL: unknown */
	char *kernel_release;
	bool hooks_known;
	struct nq_hook *hooks;
	size_t n_hooks;
	/*
	 * Host-wide figures: unknown for a caller without CAP_NET_ADMIN
	 * when the module reports only the caller's namespace.
	 */
	uint64_t listeners_tracked;
	uint64_t listeners_max;
	/* Listeners and events the module could not track or attribute. */
	uint64_t untracked_events;
	uint64_t grace_period_s;
	/* Listening already when the module was loaded, tracked since. */
	uint64_t listeners_adopted;
	/* Not the kernel's TCP function table (MPTCP, SMC): not counted. */
	uint64_t listeners_foreign;
};

/* One row of NQSTAT_A_NETNS_TW_DESTS: a remote endpoint. */
struct nq_tw_dest {
	uint64_t family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];		/* network byte order */
	uint64_t port;
	uint64_t tw_count;		/* TIME_WAIT sockets to it now */
	uint8_t addr_len;		/* 4, 16, or 0: unknown */
};

/* NQSTAT_A_NETNS_CT: connection tracking in a namespace. */
struct nq_ct {
	uint64_t state;			/* enum nqstat_ct_state; unknown: */
					/* the module sent no conntrack part */
	uint64_t count;			/* entries now */
	uint64_t peak;
	uint64_t max;			/* nf_conntrack_max */
	uint64_t buckets;		/* nf_conntrack_buckets */
	uint64_t table_full_drops;	/* counted by nqstat */
	uint64_t early_drops;		/* the kernel's statistics */
	uint64_t insert_failed;
	uint64_t drops;
};

/* One GET_NETNS dump message: a network namespace. */
struct nq_netns {
	uint64_t inode;
	uint64_t cookie;
	uint64_t tw_count;		/* TIME_WAIT sockets now */
	uint64_t tw_peak;
	uint64_t tw_created;
	uint64_t tw_overflows;		/* TcpExtTCPTimeWaitOverflow */
	uint64_t connect_port_exhausted; /* connect() EADDRNOTAVAIL */
	/* connect() attempts: SYNs retransmitted, how they ended. */
	uint64_t connect_syn_retransmits;
	uint64_t connect_failed_retried;	/* error after a SYN retry */
	uint64_t connect_failed_retried_ms;	/* their total time */
	uint64_t connect_failed_unretried;	/* error, no SYN retry */
	uint64_t connect_closed;		/* no error: closed */
	/* NQSTAT_A_NETNS_SYSCTLS */
	uint64_t max_tw_buckets;
	uint64_t port_range_low;
	uint64_t port_range_high;
	uint64_t tw_reuse;
	uint64_t timestamps;
	uint64_t fin_timeout_s;
	/*
	 * NQSTAT_A_NETNS_TW_DESTS, in the kernel's order (most first):
	 * dests_known when the module sent the list (asked with TOP_N).
	 */
	bool dests_known;
	bool dests_truncated;		/* more destinations than rows */
	struct nq_tw_dest *dests;
	size_t n_dests;
	struct nq_ct ct;		/* NQSTAT_A_NETNS_CT */
};

/* Records with every value unknown. */
void nq_netns_init(struct nq_netns *ns);
void nq_status_init(struct nq_status *st);
void nq_hook_init(struct nq_hook *h);
void nq_tw_dest_init(struct nq_tw_dest *d);

/* Whether the module reported any of the namespace's sysctls. */
bool nq_netns_has_sysctls(const struct nq_netns *ns);

/* Free what the parser allocated in a record (model.c). */
void nq_status_free(struct nq_status *st);
void nq_netns_free(struct nq_netns *ns);

#endif /* NQSTAT_MODEL_MODEL_H */
