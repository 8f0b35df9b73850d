/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_NETLINK_H
#define NQSTAT_NETLINK_H

int nq_netlink_init(void);
void nq_netlink_exit(void);

#endif /* NQSTAT_NETLINK_H */
