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
#include <net/tcp.h>

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

/*
 * The hash tables of TCP: its listening hash holds the listeners of every
 * namespace (a namespace's own established hash shares it).
 */
static inline struct inet_hashinfo *nq_listen_hashinfo(void)
{
	return init_net.ipv4.tcp_death_row.hashinfo;
}

/* The established hash holding @net's sockets (per netns or global). */
static inline const struct inet_hashinfo *nq_tw_hashinfo(const struct net *net)
{
	return net->ipv4.tcp_death_row.hashinfo;
}

/*
 * The parameters of struct proto_ops .accept after (struct socket *sock,
 * struct socket *newsock): 6.10 gathered flags and kern into a struct
 * proto_accept_arg. A wrapper is defined with NQ_ACCEPT_PARAMS and calls
 * the function it wraps with nq_accept_forward(); it is declared with the
 * type of the table entry (accept.h), so the compiler checks the prototype.
 */
#ifdef NQ_HAVE_PROTO_ACCEPT_ARG
#define NQ_ACCEPT_PARAMS struct proto_accept_arg *arg
#define nq_accept_forward(fn, sock, newsock) ((fn)((sock), (newsock), arg))
#define nq_accept_nonblock() (arg->flags & O_NONBLOCK)
#define nq_accept_kern() (arg->kern)
/* The caller's flags are its own again after the call (io_uring reads them). */
#define nq_accept_forward_nonblock(fn, sock, newsock)			\
({									\
	int __f = arg->flags, __err;					\
									\
	arg->flags |= O_NONBLOCK;					\
	__err = (fn)((sock), (newsock), arg);				\
	arg->flags = __f;						\
	__err;								\
})
#else
#define NQ_ACCEPT_PARAMS int flags, bool kern
#define nq_accept_forward(fn, sock, newsock)				\
	((fn)((sock), (newsock), flags, kern))
#define nq_accept_nonblock() (flags & O_NONBLOCK)
#define nq_accept_kern() (kern)
#define nq_accept_forward_nonblock(fn, sock, newsock)			\
	((fn)((sock), (newsock), flags | O_NONBLOCK, kern))
#endif

/*
 * The parameters of icsk_af_ops->syn_recv_sock after (const struct sock *sk,
 * struct sk_buff *skb, struct request_sock *req, struct dst_entry *dst,
 * struct request_sock *req_unhash, bool *own_req): some kernels (Debian's
 * 6.1.192 among them) add opt_child_init.
 */
#ifdef NQ_HAVE_SYN_RECV_OPT_CHILD_INIT
#define NQ_SYN_RECV_PARAMS bool *own_req,				\
	void (*opt_child_init)(struct sock *newsk, const struct sock *sk)
#define nq_syn_recv_forward(fn, sk, skb, req, dst, req_unhash)		\
	((fn)((sk), (skb), (req), (dst), (req_unhash), own_req,		\
	      opt_child_init))
#else
#define NQ_SYN_RECV_PARAMS bool *own_req
#define nq_syn_recv_forward(fn, sk, skb, req, dst, req_unhash)		\
	((fn)((sk), (skb), (req), (dst), (req_unhash), own_req))
#endif

/*
 * The probe @name of tcp:tcp_retransmit_skb, declared or defined, and
 * whether the segment was sent. Kernels after 6.12 pass the result of the
 * send and fire the event on every exit of __tcp_retransmit_skb(),
 * failures included; earlier ones fire it only once a segment was sent.
 */
#ifdef NQ_HAVE_TCP_RETRANSMIT_SKB_ERR
#define NQ_RETRANSMIT_SKB_PROBE(name)					\
	void name(void *data, const struct sock *sk,			\
		  const struct sk_buff *skb, int err)
#define nq_retransmit_sent() (!err)
#else
#define NQ_RETRANSMIT_SKB_PROBE(name)					\
	void name(void *data, const struct sock *sk,			\
		  const struct sk_buff *skb)
#define nq_retransmit_sent() true
#endif

/*
 * Milliseconds since @sk, in SYN_SENT, sent its first SYN: tcp_connect()
 * stamps retrans_stamp then, with the clock of tcp_clock_us() in
 * milliseconds, or in microseconds on a socket with microsecond
 * timestamps (6.7 and later: tcp_usec_ts, from the route).
 */
static inline u32 nq_syn_elapsed_ms(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 stamp = READ_ONCE(tp->retrans_stamp);

#ifdef NQ_HAVE_TCP_USEC_TS
	if (tp->tcp_usec_ts)
		return ((u32)tcp_clock_us() - stamp) / USEC_PER_MSEC;
#endif
	return (u32)div_u64(tcp_clock_us(), USEC_PER_MSEC) - stamp;
}

/*
 * Waits for the callbacks queued by call_rcu_tasks(), which is call_rcu()
 * on a kernel without tasks RCU (not preemptible: RCU covers every task).
 */
static inline void nq_rcu_barrier_tasks(void)
{
#ifdef CONFIG_TASKS_RCU
	rcu_barrier_tasks();
#else
	rcu_barrier();
#endif
}

#endif /* NQSTAT_COMPAT_H */
