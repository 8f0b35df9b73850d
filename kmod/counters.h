/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_COUNTERS_H
#define NQSTAT_COUNTERS_H

#include <linux/types.h>

struct net;
struct nq_counters;
struct nq_listener;

void nq_listener_read(const struct nq_listener *l, struct nq_counters *val);
void nq_listeners_reset(const struct net *net,
			bool (*match)(const struct nq_listener *l,
				      const void *arg),
			const void *arg);

#endif /* NQSTAT_COUNTERS_H */
