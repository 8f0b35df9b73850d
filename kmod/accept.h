/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_ACCEPT_H
#define NQSTAT_ACCEPT_H

#include <linux/net.h>
#include <net/sock.h>

#include "compat.h"

/* The wrapper, with the type of the entry it replaces. */
typeof(*((const struct proto_ops *)NULL)->accept) nq_accept;

int nq_accept_init(void);
void nq_accept_install(struct sock *sk);
void nq_accept_restore(struct sock *sk);
void nq_accept_retire(void);
void nq_accept_wait(void);

#endif /* NQSTAT_ACCEPT_H */
