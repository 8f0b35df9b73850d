// SPDX-License-Identifier: GPL-2.0
/*
 * Mode crr: the server and @clients client processes on loopback for a
 * fixed time; connections per second and the machine's CPU time per
 * connection.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nqbench.h"
#include "nq_lib.h"

#define NQB_MAX_CLIENTS 64

/* More ephemeral ports, and TIME_WAIT ports reused (loopback). */
static int nqb_netns_setup(void)
{
	int err = nq_netns_new();

	if (!err)
		err = nq_sysctl_write("/proc/sys/net/ipv4/ip_local_port_range",
				      "1024 65000");
	if (!err)
		err = nq_sysctl_write("/proc/sys/net/ipv4/tcp_tw_reuse", "1");
	return err;
}

static pid_t nqb_spawn_client(uint16_t port, double deadline, int wfd)
{
	pid_t pid = fork();
	long n;

	if (pid)
		return pid;
	n = nqb_client_run(port, deadline);
	if (write(wfd, &n, sizeof(n)) != sizeof(n))
		_exit(1);
	_exit(n < 0);
}

int nqb_crr(int clients, double secs)
{
	struct nqb_cpu c0, c1;
	pid_t server, pids[NQB_MAX_CLIENTS];
	double t0, t1, deadline;
	long total = 0, n;
	uint16_t port = 0;
	int lfd, p[2], i, status, err = 0;

	if (clients < 1 || clients > NQB_MAX_CLIENTS) {
		fprintf(stderr, "nqbench: 1 to %d clients\n", NQB_MAX_CLIENTS);
		return 2;
	}
	if (nqb_netns_setup() || pipe(p)) {
		perror("nqbench: network namespace");
		return 1;
	}
	lfd = nq_listen(AF_INET, "127.0.0.1", 4096, &port);
	if (lfd < 0) {
		fprintf(stderr, "nqbench: listen: %d\n", lfd);
		return 1;
	}
	server = fork();
	if (!server)
		nqb_server_run(lfd);
	close(lfd);

	nqb_idle_wait();
	nqb_cpu_read(&c0);
	t0 = nqb_now();
	deadline = t0 + secs;
	for (i = 0; i < clients; i++)
		pids[i] = nqb_spawn_client(port, deadline, p[1]);
	for (i = 0; i < clients; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			err = 1;
	}
	t1 = nqb_now();
	nqb_cpu_read(&c1);
	kill(server, SIGKILL);
	waitpid(server, &status, 0);
	for (i = 0; i < clients; i++)
		if (read(p[0], &n, sizeof(n)) == sizeof(n) && n > 0)
			total += n;
	if (err)
		return 1;
	printf("conns=%ld secs=%.3f conns_per_s=%.1f cpu_ns_per_conn=%.0f kernel_ns_per_conn=%.0f\n",
	       total, t1 - t0, total / (t1 - t0),
	       total ? (c1.busy_ms - c0.busy_ms) * 1e6 / total : 0.0,
	       total ? (c1.kernel_ms - c0.kernel_ms) * 1e6 / total : 0.0);
	return 0;
}
