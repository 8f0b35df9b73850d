/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the nqstat selftests: a raw generic netlink client (raw, so
 * that tests can also send malformed requests), parsers for the replies, and
 * the kernel's own bookkeeping (MIBs, sysctls, socket cookies) to compare
 * against.
 */
#ifndef NQ_LIB_H
#define NQ_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/nqstat.h>

struct nq_nl {
	int fd;
	uint16_t family;
	uint32_t seq;
	char extack[256];	/* message of the last error, if any */
};

struct nq_req {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char buf[1024];
};

struct nq_hook_row {
	char name[64];
	uint8_t kind, state;
	uint32_t err;
	bool has_missed;	/* NQSTAT_A_HOOK_MISSED: kretprobes only */
	uint64_t missed;
	bool has_feeds;		/* NQSTAT_A_HOOK_FEEDS */
	int nfeeds;
	char feeds[16][48];	/* NQSTAT_A_HOOK_FEED */
};

struct nq_status {
	char version[32];
	char release[128];
	int nhooks;
	struct nq_hook_row hooks[16];
	uint32_t tracked, max, grace;
	uint64_t untracked;
	bool has_untracked, has_adopted, has_foreign;
	uint32_t adopted;	/* NQSTAT_A_LISTENERS_ADOPTED */
	uint64_t foreign;	/* NQSTAT_A_LISTENERS_FOREIGN */
};

struct nq_row {
	uint64_t cookie, netns_cookie;
	uint32_t netns_ino, ifindex, backlog;
	uint64_t closed_ms, reset_ms;	/* NLA_U64 */
	uint32_t acceptq_len, synq_len, acceptq_peak, synq_peak;
	uint32_t acceptq_peak_reset, synq_peak_reset;
	uint64_t kernel_drops;
	uint8_t backlog_source;
	bool has_acceptq_len, has_kernel_drops, has_reset_ms;
	uint8_t family, state;
	uint16_t port;
	unsigned char addr[16];
	bool has_closed_ms;
	bool has_ctr[NQSTAT_CTR_MAX + 1];
	uint64_t ctr[NQSTAT_CTR_MAX + 1];
};

struct nq_rows {
	struct nq_row *v;
	size_t n;
};

struct nq_dest_row {
	uint8_t family;
	unsigned char addr[16];
	uint16_t port;
	uint32_t count;
};

struct nq_ct_row {
	bool present;			/* NQSTAT_A_NETNS_CT */
	uint8_t state;
	bool has_count, has_peak, has_table_full;
	uint32_t count, peak, limit, buckets;
	uint64_t table_full, early_drops, insert_failed, drops;
};

struct nq_ns_row {
	uint32_t ino;
	uint64_t cookie;
	uint32_t tw_count, tw_peak;
	uint64_t tw_created, tw_overflows, port_exhausted;
	bool has_tw_created, has_port_exhausted;
	/* connect() attempts; has_connect: the state hook's four. */
	uint64_t syn_retransmits, failed_retried, failed_retried_ms;
	uint64_t failed_unretried, connect_closed;
	bool has_syn_retransmits, has_connect;
	uint32_t max_tw_buckets, fin_timeout;
	uint16_t port_lo, port_hi;
	uint8_t tw_reuse, timestamps;
	int ndests;
	struct nq_dest_row dests[100];
	bool truncated;
	struct nq_ct_row ct;
};

typedef int (*nq_msg_cb)(const struct nlmsghdr *nh, void *arg);

/* Netlink. Functions return 0 or a negative errno. */
int nq_nl_open(struct nq_nl *nl);
void nq_nl_close(struct nq_nl *nl);
void nq_req_init(struct nq_req *r, const struct nq_nl *nl, uint8_t cmd,
		 uint16_t flags);
void nq_req_put(struct nq_req *r, uint16_t type, const void *data,
		uint16_t len);
int nq_req_send(struct nq_nl *nl, struct nq_req *r, nq_msg_cb cb, void *arg);

int nq_get_status(struct nq_nl *nl, struct nq_status *st);
int nq_dump(struct nq_nl *nl, bool all_netns, struct nq_rows *rows);
const struct nq_row *nq_rows_find(const struct nq_rows *rows, uint64_t cookie);
void nq_rows_free(struct nq_rows *rows);
/* One listener by cookie, from a fresh dump of the caller's namespace. */
int nq_lookup(uint64_t cookie, struct nq_row *row);
/* nq_lookup() over every namespace (as root). */
int nq_lookup_all(uint64_t cookie, struct nq_row *row);

/*
 * GET_NETNS: the caller's namespace, or all into rows (may be NULL);
 * top_n 0 sends no NQSTAT_A_TOP_N.
 */
int nq_netns_dump(struct nq_nl *nl, bool all, uint32_t top_n,
		  struct nq_ns_row *rows, int max, int *n);
/* The same, read with recv() buffers of @bufsize: -EMSGSIZE if one is cut. */
int nq_netns_dump_size(struct nq_nl *nl, bool all, uint32_t top_n,
		       size_t bufsize, struct nq_ns_row *rows, int max, int *n);

/* Kernel bookkeeping. */
int nq_netns_new(void);
/* The caller's network namespace as a file descriptor, to come back to. */
int nq_netns_fd(void);
/* setns() into the namespace of nq_netns_fd(); /proc/net follows. */
int nq_netns_enter(int fd);
uint64_t nq_mib(const char *proto, const char *name);
/*
 * Column @name of /proc/net/stat/nf_conntrack (the caller's namespace),
 * summed over the CPUs; UINT64_MAX if unavailable.
 */
uint64_t nq_ct_stat(const char *name);
/* Connection tracking on in the caller's namespace: a ruleset using it. */
int nq_ct_enable(void);
int nq_sysctl_write(const char *path, const char *value);
long nq_sysctl_read(const char *path);
uint64_t nq_sock_cookie(int fd);
long nq_sk_drops(int fd);
/* The "tw" figure of this namespace's /proc/net/sockstat, or -errno. */
long nq_sockstat_tw(void);
uint32_t nq_netns_inode(void);
/* @addr (text) and @port as a sockaddr of @family; returns its length. */
socklen_t nq_sockaddr(int family, const char *addr, uint16_t port,
		      struct sockaddr_storage *ss);
/*
 * The five drop counters of a listener (indexed by enum nqstat_counter):
 * what the namespace's ListenDrops counts of it.
 */
uint64_t nq_drops_sum(const uint64_t *ctr);
uint64_t nq_netns_cookie(int fd);

/* Sockets. */
int nq_listen(int family, const char *addr, int backlog, uint16_t *port);
/* nq_listen() with socket options, set before bind(). */
struct nq_listen_opts {
	int protocol;		/* 0, or IPPROTO_MPTCP */
	int v6only;		/* IPV6_V6ONLY: 0 or 1; -1 leaves the default */
	bool reuseport;		/* SO_REUSEPORT */
	const char *dev;	/* SO_BINDTODEVICE, or NULL */
	bool nonblock;		/* SOCK_NONBLOCK */
};
int nq_listen_ex(int family, const char *addr, int backlog, uint16_t *port,
		 const struct nq_listen_opts *o);
int nq_connect(int family, const char *addr, uint16_t port);
/*
 * A non-blocking connect() of a socket of @protocol (0: TCP): returns the
 * socket once the SYN is on its way, whatever becomes of it.
 */
int nq_connect_nb(int family, const char *addr, uint16_t port, int protocol);
/*
 * Runs "$NQSTAT_TOOL ARGS" (stderr too) in the caller's namespace: its exit
 * status, its output in @out; -1 if NQSTAT_TOOL is not set or it died.
 */
int nq_tool(char *out, size_t len, const char *args);
/*
 * One datagram from a socket of its own, from 127.0.0.1:@sport (0: any
 * free port, which may be one a previous call used) to 127.0.0.1:@dport.
 */
int nq_udp_send(uint16_t sport, uint16_t dport);
int nq_module_param_write(const char *name, const char *value);

/* Modules: finit_module() of a file; delete_module(), retried while busy. */
int nq_module_load(const char *path);
/* With module parameters, as insmod takes them ("name=value ..."). */
int nq_module_load_params(const char *path, const char *params);
int nq_module_unload(const char *name);
bool nq_module_loaded(void);

#endif /* NQ_LIB_H */
