// SPDX-License-Identifier: GPL-2.0
/*
 * nqbench-reuseport: the cost of opening and closing many SO_REUSEPORT
 * listeners (scripts/bench-reuseport.sh, `make bench`).
 *
 *   nqbench-reuseport [-a ADDRS] [-p PER_ADDR]
 *
 * In a fresh network namespace: ADDRS (300) loopback addresses, 127.0.x.y,
 * each with PER_ADDR (80) SO_REUSEPORT listeners on port 443: 24,000
 * listeners, the shape of the kernel's stress_reuseport_listen selftest.
 * Phase "listen": socket(), SO_REUSEPORT, bind(), listen() of all of
 * them; phase "close": close() of all of them.  Prints one line:
 *
 *   listeners=N listen_cpu_ns=... listen_ns=... close_cpu_ns=... close_ns=...
 *
 * cpu: the process's CPU time (user and system: the system calls are
 * almost all of it); the other: its wall time.  Under QEMU -icount both
 * count guest instructions (scripts/bench.sh).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int ret;

	if (fd < 0)
		return -1;
	strcpy(ifr.ifr_name, "lo");
	ret = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (!ret) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	long addrs = 300, per = 80, n, i;
	long long c0, w0, c1, w1, c2, w2;
	struct rlimit rl;
	int opt, *fds;

	while ((opt = getopt(argc, argv, "a:p:")) != -1) {
		switch (opt) {
		case 'a':
			addrs = strtol(optarg, NULL, 10);
			break;
		case 'p':
			per = strtol(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: %s [-a ADDRS] [-p PER_ADDR]\n", argv[0]);
			return 2;
		}
	}
	if (addrs < 1 || addrs > 65000 || per < 1 || per > 1000) {
		fprintf(stderr, "nqbench-reuseport: -a 1..65000, -p 1..1000\n");
		return 2;
	}
	n = addrs * per;
	rl.rlim_cur = rl.rlim_max = n + 64;
	fds = calloc(n, sizeof(*fds));
	if (!fds || setrlimit(RLIMIT_NOFILE, &rl) || unshare(CLONE_NEWNET) ||
	    lo_up()) {
		perror("nqbench-reuseport: set-up");
		return 1;
	}

	c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	w0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		struct sockaddr_in sin = {
			.sin_family = AF_INET,
			.sin_port = htons(443),
			/* 127.0.1.0 + i / per: 127.0.1.0 to 127.0.2.43 */
			.sin_addr.s_addr = htonl(0x7f000100 + i / per),
		};
		int one = 1;

		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0 ||
		    setsockopt(fds[i], SOL_SOCKET, SO_REUSEPORT, &one,
			       sizeof(one)) ||
		    bind(fds[i], (struct sockaddr *)&sin, sizeof(sin)) ||
		    listen(fds[i], 16)) {
			fprintf(stderr, "nqbench-reuseport: listener %ld: %s\n",
				i, strerror(errno));
			return 1;
		}
	}
	c1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	w1 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++)
		close(fds[i]);
	c2 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	w2 = now_ns(CLOCK_MONOTONIC);
	printf("listeners=%ld listen_cpu_ns=%lld listen_ns=%lld close_cpu_ns=%lld close_ns=%lld\n",
	       n, c1 - c0, w1 - w0, c2 - c1, w2 - w1);
	free(fds);
	return 0;
}
