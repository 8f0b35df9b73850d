/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels nqstat supports lives here, as a
 * feature or version test, so that the rest of the module reads as if there
 * were only one kernel.
 */
#ifndef NQSTAT_COMPAT_H
#define NQSTAT_COMPAT_H

#include <linux/ptrace.h>
#include <linux/sock_diag.h>
#include <net/genetlink.h>
#include <net/ip.h>
#include <net/sock.h>

/*
 * Feature tests run by kmod/Kbuild against the target kernel's headers
 * define the NQ_HAVE_* macros used here.
 *
 * Attributes of a dump request, parsed by genetlink against the command's
 * policy. 6.5 moved them into a struct genl_info inside the dump info.
 */
#ifdef NQ_HAVE_GENL_INFO_DUMP
#define nq_dump_attrs(cb) (genl_info_dump(cb)->attrs)
#else
#define nq_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#endif

/*
 * The socket cookie of @sk, generated on first use. __sock_gen_cookie() is
 * not exported on 6.1; sock_diag_save_cookie() is, on every kernel.
 */
static inline u64 nq_sock_cookie(const struct sock *sk)
{
	u32 c[2];

	sock_diag_save_cookie((struct sock *)sk, c);
	return (u64)c[1] << 32 | c[0];
}

/* Argument @n (from 0) of the probed function, at its entry. */
#define nq_arg(regs, n) regs_get_kernel_argument(regs, n)

/* The socket's own drop count, as "ss -m" shows it. */
#ifdef NQ_HAVE_SK_DROPS_READ
#define nq_sk_drops(sk) sk_drops_read(sk)
#else
#define nq_sk_drops(sk) atomic_read(&(sk)->sk_drops)
#endif

/*
 * This CPU's share of a namespace MIB counter (LINUX_MIB_*). NET_INC_STATS()
 * increments it with this_cpu_inc(): the difference across a call made in
 * softirq context on this CPU is exactly what that call counted.
 */
static inline unsigned long nq_mib_this_cpu(const struct net *net, int field)
{
	return this_cpu_read(net->mib.net_statistics->mibs[field]);
}

/* A namespace MIB counter (LINUX_MIB_*), all CPUs: what nstat shows. */
static inline unsigned long nq_mib_sum(const struct net *net, int field)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(net->mib.net_statistics,
					     cpu)->mibs[field]);
	return sum;
}

/* TIME_WAIT sockets of @net now: the "tw" figure of /proc/net/sockstat. */
static inline u32 nq_tw_count(const struct net *net)
{
	return refcount_read(&net->ipv4.tcp_death_row.tw_refcount) - 1;
}

static inline u32 nq_max_tw_buckets(const struct net *net)
{
	return READ_ONCE(net->ipv4.tcp_death_row.sysctl_max_tw_buckets);
}

/* The established hash holding @net's sockets (per netns or global). */
static inline const struct inet_hashinfo *nq_tw_hashinfo(const struct net *net)
{
	return net->ipv4.tcp_death_row.hashinfo;
}

#endif /* NQSTAT_COMPAT_H */
