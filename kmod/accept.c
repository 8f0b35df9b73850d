// SPDX-License-Identifier: GPL-2.0
/*
 * accept(): the kernel calls it through sk->sk_socket->ops, the socket's
 * proto_ops. A tracked listener gets a copy of its family's with accept
 * wrapped, one copy per address family; accept() copies the listener's
 * proto_ops to the new socket, and the wrapper puts the kernel's back.
 *
 * Unload: the copies are made identical to the kernel's and left allocated
 * (a caller such as do_accept() may hold a pointer to one across a sleep,
 * and kernel_accept() gives one to the socket it returns); a count of the
 * calls in the wrapper tells when none runs any more. A thread in a
 * blocking accept() holds a module reference: rmmod fails with EBUSY until
 * it returns. One that enters the wrapper after rmmod began (it read the
 * table before rmmod took it back) never waits in it: see nq_accept().
 */

#include <linux/delay.h>
#include <linux/kmemleak.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "accept.h"
#include "af_ops.h"
#include "compat.h"
#include "hooks.h"
#include "listeners.h"
#include "stock.h"

/* Copies of nq_stock_ops with accept wrapped; never freed (see above). */
static const struct proto_ops *nq_ops[2];

/* Const to everyone else; this file sets the accept entry of its copies. */
static void nq_ops_set_accept(const struct proto_ops *ops, void *accept)
{
	void **slot = (void **)&ops->accept;

	WRITE_ONCE(*slot, accept);
}

/* accept() calls that entered the wrapper, and those that left it. */
static DEFINE_PER_CPU(u64, nq_accept_calls);
static DEFINE_PER_CPU(u64, nq_accept_returns);

static void nq_accept_enter(void)
{
	this_cpu_inc(nq_accept_calls);
}

static void nq_accept_leave(void)
{
	this_cpu_inc(nq_accept_returns);
}

/* Wrapper calls in progress, once no new one can start. */
static u64 nq_accepts_in_flight(void)
{
	u64 calls = 0, returns = 0;
	int cpu;

	/* Returns last: calls no longer grow, returns only do. */
	for_each_possible_cpu(cpu)
		calls += READ_ONCE(*per_cpu_ptr(&nq_accept_calls, cpu));
	for_each_possible_cpu(cpu)
		returns += READ_ONCE(*per_cpu_ptr(&nq_accept_returns, cpu));
	return calls - returns;
}

/*
 * A user task's accept() can be restarted: a signal without a handler does
 * it (-ERESTARTNOINTR, then the flag that sends the task through the
 * signal code on its way out). A kernel socket's (kernel_accept()) or an
 * io_uring worker's cannot.
 */
static bool nq_accept_restartable(bool kern)
{
	return !kern && !(current->flags & (PF_KTHREAD | PF_IO_WORKER));
}

/* Before a restart: @sock's accept() is the kernel's again (unloading). */
static void nq_accept_give_back(struct socket *sock)
{
	unsigned long flags;

	lock_sock(sock->sk);
	spin_lock_irqsave(&nq_lock, flags);
	nq_accept_restore(sock->sk);
	spin_unlock_irqrestore(&nq_lock, flags);
	release_sock(sock->sk);
}

int nq_accept(struct socket *sock, struct socket *newsock, NQ_ACCEPT_PARAMS)
{
	bool may_block = !nq_accept_nonblock(), pinned = false, retry = false;
	int fam = nq_family_index(sock->sk);
	struct nq_listener *l;
	int err;

	/*
	 * Pins the module while accept() may wait for a connection: rmmod
	 * gets EBUSY. A non-blocking accept() waits at most for the socket
	 * lock: the unload waits for it (nq_accept_wait()), and the module's
	 * reference count, shared by every CPU, is left alone. Once rmmod
	 * is past the point of no return, a blocking call must not wait in
	 * this module's text for a client that may never come: a user
	 * task's is tried without waiting and, with nothing to accept,
	 * restarted on the kernel's table. Any other caller's waits here,
	 * and rmmod for it.
	 */
	if (may_block) {
		pinned = try_module_get(THIS_MODULE);
		retry = !pinned && nq_accept_restartable(nq_accept_kern());
	}
	nq_accept_enter();
	if (unlikely(retry))
		err = nq_accept_forward_nonblock(nq_stock_ops[fam]->accept,
						 sock, newsock);
	else
		err = nq_accept_forward(nq_stock_ops[fam]->accept, sock,
					newsock);
	if (READ_ONCE(newsock->ops) == nq_ops[fam])
		WRITE_ONCE(newsock->ops, nq_stock_ops[fam]);
	if (!err) {
		rcu_read_lock();
		l = nq_listener_of(sock->sk);
		if (l)
			nq_counter_inc(l, NQSTAT_CTR_ACCEPTED);
		else
			nq_untracked_inc();	/* stopped listening meanwhile */
		rcu_read_unlock();
	} else if (unlikely(retry) && err == -EAGAIN) {
		nq_accept_give_back(sock);
		set_tsk_thread_flag(current, TIF_NOTIFY_SIGNAL);
		err = -ERESTARTNOINTR;
	}
	nq_accept_leave();
	if (pinned)
		module_put(THIS_MODULE);
	return err;
}

/* After nq_stock_init(): a copy for each family the kernel has. */
int nq_accept_init(void)
{
	int fam;

	for (fam = 0; fam < 2; fam++) {
		if (!nq_stock_ops[fam])
			continue;
		nq_ops[fam] = kmemdup(nq_stock_ops[fam], sizeof(*nq_ops[fam]),
				      GFP_KERNEL);
		if (!nq_ops[fam])
			goto nomem;
		nq_ops_set_accept(nq_ops[fam], nq_accept);
	}
	return 0;
nomem:
	/* Never installed: these may go. */
	while (fam--) {
		kfree(nq_ops[fam]);
		nq_ops[fam] = NULL;
	}
	return -ENOMEM;
}

/*
 * Caller holds lock_sock(@sk) and nq_lock; nq_tables_stock(@sk). Left out
 * (disable_hooks), the listener's accept() is the kernel's: no module pin.
 */
void nq_accept_install(struct sock *sk)
{
	if (nq_hook_attached(NQ_HOOK_ACCEPT))
		WRITE_ONCE(sk->sk_socket->ops, nq_ops[nq_family_index(sk)]);
}

/* Caller holds lock_sock(@sk) and nq_lock. Only if it is still ours. */
void nq_accept_restore(struct sock *sk)
{
	int fam = nq_family_index(sk);
	struct socket *sock = sk->sk_socket;

	if (sock && READ_ONCE(sock->ops) == nq_ops[fam])
		WRITE_ONCE(sock->ops, nq_stock_ops[fam]);
}

/* At unload, once no socket has a copy: make them the kernel's own. */
void nq_accept_retire(void)
{
	int fam;

	for (fam = 0; fam < 2; fam++) {
		if (!nq_ops[fam])
			continue;
		nq_ops_set_accept(nq_ops[fam], nq_stock_ops[fam]->accept);
		kmemleak_not_leak(nq_ops[fam]);
	}
}

/* At unload: only an accept() that began while rmmod did is waited for. */
void nq_accept_wait(void)
{
	while (nq_accepts_in_flight())
		msleep(20);
}
