// SPDX-License-Identifier: GPL-2.0
/*
 * Mode flood: SYNs from a TUN peer (selftests/nq_peer.c) at a listener
 * with a backlog of 8 and syncookies off, so that nearly every SYN is
 * dropped in tcp_conn_request(); SYNs processed per second.
 */
#include <stdio.h>
#include <unistd.h>

#include "nqbench.h"
#include "nq_lib.h"
#include "nq_peer.h"

#define NQB_FLOOD_BACKLOG 8

int nqb_flood(double secs)
{
	unsigned char buf[2048];
	struct nq_peer peer;
	struct nqb_cpu c0, c1;
	uint64_t drops0, drops1;
	double t0, t1, deadline;
	uint16_t port = 0;
	long n = 0;
	int lfd;

	if (nq_netns_new() ||
	    nq_sysctl_write("/proc/sys/net/ipv4/tcp_syncookies", "0") ||
	    nq_peer_open(&peer, AF_INET)) {
		perror("nqbench: flood: set-up");
		return 1;
	}
	lfd = nq_listen(AF_INET, peer.local_str, NQB_FLOOD_BACKLOG, &port);
	if (lfd < 0) {
		fprintf(stderr, "nqbench: flood: listen: %d\n", lfd);
		return 1;
	}
	drops0 = nq_mib("TcpExt", "ListenDrops");
	nqb_idle_wait();
	nqb_cpu_read(&c0);
	t0 = nqb_now();
	deadline = t0 + secs;
	/* The clock is read once per 64 SYNs: it costs a vDSO call. */
	while (n % 64 || nqb_now() < deadline) {
		n++;
		if (nq_peer_send(&peer, 1024 + n % 60000, port, n, 0, NQ_SYN)) {
			perror("nqbench: flood: send");
			return 1;
		}
		while (read(peer.fd, buf, sizeof(buf)) > 0)
			;	/* SYN-ACKs of the few queued requests */
	}
	t1 = nqb_now();
	nqb_cpu_read(&c1);
	drops1 = nq_mib("TcpExt", "ListenDrops");
	printf("syns=%ld secs=%.3f syns_per_s=%.1f dropped=%llu cpu_ns_per_syn=%.0f kernel_ns_per_syn=%.0f\n",
	       n, t1 - t0, n / (t1 - t0),
	       (unsigned long long)(drops1 - drops0),
	       (c1.busy_ms - c0.busy_ms) * 1e6 / n,
	       (c1.kernel_ms - c0.kernel_ms) * 1e6 / n);
	close(lfd);
	nq_peer_close(&peer);
	return 0;
}
