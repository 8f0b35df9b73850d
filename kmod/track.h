/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_TRACK_H
#define NQSTAT_TRACK_H

#include <linux/types.h>

struct sock;

int nq_track_init(void);
void nq_track_adopt(void);
void nq_track_stop(void);
void nq_track_exit(void);

void nq_listener_open(struct sock *sk);
void nq_listener_close(struct sock *sk);

u32 nq_listeners_adopted(void);
u64 nq_listeners_foreign(void);

#endif /* NQSTAT_TRACK_H */
