/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A snapshot of one network namespace: everything "recommend" and its rules
 * need. The module's data (listeners, namespace figures, conntrack) comes
 * from netlink; the sysctls the module does not report, the memory size,
 * socket states and sysctl configuration files are read by the tool, from
 * /proc and /etc under a root directory prefix (tests use a fake tree).
 *
 * The parsers and the containers are pure (snapshot.c); the reading
 * functions (snapshot_read.c) do file I/O only.
 */
#ifndef NQSTAT_SNAPSHOT_H
#define NQSTAT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/listeners.h"
#include "model/model.h"
#include "model/sockets.h"

/* Sysctls read from /proc/sys, indexes of struct nq_snapshot.sys[]. */
enum nq_sys {
	NQ_SYS_SOMAXCONN,
	NQ_SYS_MAX_SYN_BACKLOG,
	NQ_SYS_SYNCOOKIES,
	NQ_SYS_ABORT_ON_OVERFLOW,
	NQ_SYS_SYNACK_RETRIES,
	NQ_SYS_SYN_RETRIES,
	NQ_SYS_MAX_ORPHANS,
	NQ_SYS_TW_RECYCLE,		/* removed in Linux 4.12 */
	NQ_SYS_SYN_LINEAR_TIMEOUTS,	/* Linux 6.5 and later */
	NQ_N_SYS
};

/* "net.core.somaxconn" etc.; NULL out of range. */
const char *nq_sys_name(unsigned int sys);

/* A setting of an obsolete or nonexistent sysctl in a configuration file. */
struct nq_conf_hit {
	char *file;			/* without the root prefix */
	unsigned int line;
	char *key;			/* as normalised: dots */
	char *value;
};

/* CLOSE_WAIT sockets of one local port. */
struct nq_port_count {
	uint16_t port;
	uint32_t count;
};

/* A socket by its cookie, and its local port. */
struct nq_sock_ref {
	uint64_t cookie;
	uint16_t port;
};

/* One socket line of /proc/net/tcp or tcp6. */
struct nq_tcp_sock {
	uint16_t local_port;
	uint8_t state;			/* TCP_* of <netinet/tcp.h> */
	uint64_t inode;			/* 0: no file (orphan or TIME_WAIT) */
};

struct nq_snapshot {
	uint64_t time_ns;		/* CLOCK_MONOTONIC when taken */
	/* Taken without the module: the kernel's part only. */
	bool kernel_only;
	/* The module's figures: the namespace and its listeners (owned). */
	bool has_netns;
	struct nq_netns ns;
	struct nq_listeners ls;
	/* Whether this is the initial network namespace (unknown: false). */
	bool init_netns_known;
	bool init_netns;
	/*
	 * Whether nf_conntrack_max is writable here (its mode: 0444 outside
	 * the initial namespace), which also tells the initial namespace
	 * apart inside a PID namespace, where /proc/1 is the container's.
	 */
	bool ct_mode_known;
	bool ct_writable;
	/* Sysctls: bit 1 << NQ_SYS_* of sys_present; absent: not readable. */
	uint32_t sys_present;
	uint64_t sys[NQ_N_SYS];
	bool has_mem_total;
	uint64_t mem_total_bytes;	/* MemTotal of /proc/meminfo */
	/* The namespace's loss counters: bit 1 << NQ_MIB_* of mib_present. */
	uint32_t mib_present;
	uint64_t mib[NQ_N_MIB];
	/* tcp_orphan_count, of /proc/net/sockstat (the whole host). */
	bool has_orphan_count;
	uint64_t orphan_count;
	/*
	 * Listening sockets, from sock_diag: how many, and those with
	 * sk_drops > 0 (owned, in the kernel's order).
	 */
	bool has_diag_listeners;
	uint32_t n_diag_listeners;
	struct nq_diag_sock *ldrops;
	size_t n_ldrops, cap_ldrops;
	/*
	 * CLOSE_WAIT and orphaned FIN_WAIT2 sockets: from sock_diag (the
	 * states filtered in the kernel), else /proc/net/tcp and tcp6.
	 */
	bool has_sockets;
	uint32_t fin_wait2_orphans;	/* FIN_WAIT2 without a file */
	uint32_t orphans;		/* any non-TIME_WAIT socket without one */
	struct nq_port_count *close_wait;	/* most first */
	size_t n_close_wait;
	/* CLOSE_WAIT sockets by cookie (sock_diag only), by cookie. */
	struct nq_sock_ref *cw_socks;
	size_t n_cw_socks, cap_cw_socks;
	/* Settings of tcp_tw_recycle and tcp_tw_timeout in the conf files. */
	struct nq_conf_hit *conf;
	size_t n_conf;
	/* Every setting of the conf files (nq_conf_after(): when applied). */
	struct nq_conf_hit *settings;
	size_t n_settings;
};

void nq_snapshot_free(struct nq_snapshot *s);

/* Whether sysctl sys is known, and its value. */
static inline bool nq_snap_sys(const struct nq_snapshot *s, unsigned int sys,
			       uint64_t *v)
{
	if (sys >= NQ_N_SYS || !(s->sys_present & (UINT32_C(1) << sys)))
		return false;
	*v = s->sys[sys];
	return true;
}

/*
 * Sets the module's part: a copy of the listeners of ls in the namespace
 * of ns (by inode; every listener when ns has no inode), and *ns itself,
 * whose destinations the snapshot takes over. Returns 0 or -ENOMEM.
 */
int nq_snapshot_set_module(struct nq_snapshot *s, struct nq_netns *ns,
			   const struct nq_listeners *ls);

/*
 * Increase of conntrack counter attr (NQSTAT_A_CT_TABLE_FULL_DROPS,
 * _EARLY_DROPS, _INSERT_FAILED, _DROPS) from prev to cur. False (d
 * untouched) when either lacks it or it went backwards.
 */
bool nq_ct_delta(const struct nq_ct *prev, const struct nq_ct *cur,
		 unsigned int attr, uint64_t *d);

/* Pure parsers. Each returns 0 or -EINVAL for a line of another form. */

/* A socket line of /proc/net/tcp or /proc/net/tcp6 (not the header). */
int nq_parse_tcp_line(const char *line, struct nq_tcp_sock *sk);

/* "MemTotal:  2030000 kB" in bytes; -ENOENT for another field. */
int nq_parse_meminfo_line(const char *line, uint64_t *bytes);

/* The target of a /proc/PID/ns/net link, "net:[4026531840]". */
int nq_parse_ns_link(const char *target, uint64_t *inode);

/*
 * A line of a sysctl.d(5) file: "key = value" with '.' or '/' separators,
 * an optional leading '-', comments ('#', ';') and blank lines. Returns 1
 * with the key (normalised to dots) and value copied into key and value
 * (truncated to their sizes), 0 for a comment or blank line, -EINVAL.
 */
int nq_parse_sysctl_conf_line(const char *line, char *key, size_t keylen,
			      char *value, size_t valuelen);

/* Whether a sysctl.d key is one the conf scan reports. */
bool nq_conf_key_flagged(const char *key);

/*
 * Counts one socket into s: CLOSE_WAIT per local port, orphans. Returns 0
 * or -ENOMEM.
 */
int nq_snapshot_add_sock(struct nq_snapshot *s, const struct nq_tcp_sock *sk);

/*
 * Counts one socket of a sock_diag dump into s: a listener (kept when
 * it has drops), else as nq_snapshot_add_sock(). 0 or -ENOMEM.
 */
int nq_snapshot_add_diag(struct nq_snapshot *s, const struct nq_diag_sock *d);

/* Sorts cw_socks by cookie (after the dumps). */
void nq_snapshot_sort_cw_socks(struct nq_snapshot *s);

/* Whether s holds CLOSE_WAIT socket cookie (cw_socks sorted). */
bool nq_snapshot_has_cw(const struct nq_snapshot *s, uint64_t cookie);

/* The listener of s->ldrops with this cookie, or NULL. */
const struct nq_diag_sock *nq_snapshot_ldrop(const struct nq_snapshot *s,
					     uint64_t cookie);

/* Sorts close_wait: most first, then by port. */
void nq_snapshot_sort_close_wait(struct nq_snapshot *s);

/* Records a configuration hit (copies the strings). 0 or -ENOMEM. */
int nq_snapshot_add_conf(struct nq_snapshot *s, const char *file,
			 unsigned int line, const char *key,
			 const char *value);

/* The drop-in's name in /etc/sysctl.d/, what --sysctl-conf suggests. */
#define NQ_CONF_DROPIN "90-nqstat.conf"

/* Records a setting of the conf files (copies the strings). */
int nq_snapshot_add_setting(struct nq_snapshot *s, const char *file,
			    unsigned int line, const char *key,
			    const char *value);

/*
 * Whether a setting of file (as recorded: "/etc/sysctl.conf",
 * "/usr/lib/sysctl.d/99-x.conf") is applied after a drop-in named
 * dropin ("90-nqstat.conf") of /etc/sysctl.d/: its name sorts after
 * it, or it is /etc/sysctl.conf (procps applies it last, and Debian's
 * 99-sysctl.conf links to it).
 */
bool nq_conf_after(const char *file, const char *dropin);

/*
 * Reading (snapshot_read.c), from the files under root ("" or "/" for the
 * real system; the namespace is the caller's). Each returns 0 or -errno
 * for a failure other than a missing file; what cannot be read stays
 * absent.
 */

/* The sysctls of enum nq_sys, from root/proc/sys. */
int nq_snapshot_read_sysctls(struct nq_snapshot *s, const char *root);

/* MemTotal from root/proc/meminfo. */
int nq_snapshot_read_meminfo(struct nq_snapshot *s, const char *root);

/* root/proc/self/ns/net against root/proc/1/ns/net. */
int nq_snapshot_read_init_netns(struct nq_snapshot *s, const char *root);

/* The mode of root/proc/sys/net/netfilter/nf_conntrack_max. */
int nq_snapshot_read_ct_mode(struct nq_snapshot *s, const char *root);

/*
 * root/proc/net/tcp and tcp6: the sockets when sock_diag cannot be read
 * (nq_sockdiag_read() of nl/sockdiag.h is the tool's way). Not part of
 * nq_snapshot_read().
 */
int nq_snapshot_read_sockets(struct nq_snapshot *s, const char *root);

/* The TcpExt counters of root/proc/net/netstat. */
int nq_snapshot_read_netstat(struct nq_snapshot *s, const char *root);

/* The orphan count of root/proc/net/sockstat. */
int nq_snapshot_read_sockstat(struct nq_snapshot *s, const char *root);

/*
 * root/etc/sysctl.conf, then the *.conf files of the sysctl.d search path
 * (root/etc, /run, /usr/local/lib, /usr/lib, /lib: sysctl.d/), in name
 * order, a name of an earlier directory masking the same name of a later
 * one (sysctl.d(5)): flagged keys into conf, every setting into
 * settings.
 */
int nq_snapshot_read_conf(struct nq_snapshot *s, const char *root);

/*
 * All of the above but the sockets; the first error, after trying every
 * part.
 */
int nq_snapshot_read(struct nq_snapshot *s, const char *root);

#endif /* NQSTAT_SNAPSHOT_H */
