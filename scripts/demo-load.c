// SPDX-License-Identifier: GPL-2.0
/*
 * demo-load: load generator for `make demo` (scripts/demo.sh).
 *
 *   demo-load listen ADDR PORT BACKLOG
 *	Open a TCP listener with listen(fd, BACKLOG) and never accept():
 *	once BACKLOG + 1 connections are queued, the kernel drops further
 *	SYNs (ListenOverflows/ListenDrops).  Prints "ready" and then sleeps
 *	until killed.
 *
 *   demo-load connect ADDR PORT N [HOLD_SECONDS]
 *	Start N non-blocking connect()s to ADDR:PORT, keep them open for
 *	HOLD_SECONDS (default 3; the kernel retransmits unanswered SYNs
 *	meanwhile, each one dropped again), then print how many completed,
 *	are still pending or failed, and close them.
 *
 * ADDR is an IPv4 or IPv6 literal.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "demo-load: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
		"usage: demo-load listen ADDR PORT BACKLOG\n"
		"       demo-load connect ADDR PORT N [HOLD_SECONDS]\n");
	exit(2);
}

static long num(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "demo-load: bad number '%s' (%ld..%ld)\n", s, min, max);
		exit(2);
	}
	return v;
}

static socklen_t parse_addr(const char *addr, const char *port,
			    struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	in_port_t p = htons((in_port_t)num(port, 1, 65535));

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = p;
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = p;
		return sizeof(*s6);
	}
	fprintf(stderr, "demo-load: '%s' is not an IPv4/IPv6 address\n", addr);
	exit(2);
}

static int do_listen(const char *addr, const char *port, const char *backlog)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int one = 1;
	int fd;

	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind");
	if (listen(fd, (int)num(backlog, 0, 65535)))
		die("listen");
	printf("ready: listening on %s port %s, backlog %s, never accepting\n",
	       addr, port, backlog);
	fflush(stdout);
	for (;;)
		pause(); /* until killed */
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int do_connect(const char *addr, const char *port, const char *count,
		      const char *hold)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int n = (int)num(count, 1, 10000);
	double end = now() + (hold ? num(hold, 0, 3600) : 3);
	struct pollfd *pfd = calloc(n, sizeof(*pfd));
	int connected = 0, failed = 0, pending;
	int i;

	if (!pfd)
		die("calloc");
	for (i = 0; i < n; i++) {
		int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (fd < 0)
			die("socket");
		pfd[i].fd = fd;
		pfd[i].events = POLLOUT;
		if (connect(fd, (struct sockaddr *)&ss, len) == 0) {
			connected++;
			pfd[i].fd = -fd - 1; /* done: poll() ignores it */
		} else if (errno != EINPROGRESS) {
			failed++;
			pfd[i].fd = -fd - 1;
		}
	}

	/* Wait for the handshakes until HOLD runs out; keep sockets open. */
	while (connected + failed < n) {
		int left = (int)((end - now()) * 1000);
		int r;

		if (left <= 0)
			break;
		r = poll(pfd, n, left);
		if (r < 0 && errno != EINTR)
			die("poll");
		for (i = 0; r > 0 && i < n; i++) {
			int err = 0;
			socklen_t elen = sizeof(err);

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			if (getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &err, &elen) || err)
				failed++;
			else
				connected++;
			pfd[i].fd = -pfd[i].fd - 1;
		}
	}
	pending = n - connected - failed;
	printf("connect %s port %s: %d started, %d established (client view), %d still in SYN-SENT, %d failed\n",
	       addr, port, n, connected, pending, failed);
	fflush(stdout);

	while (now() < end)
		usleep(100 * 1000);
	for (i = 0; i < n; i++)
		close(pfd[i].fd < 0 ? -pfd[i].fd - 1 : pfd[i].fd);
	free(pfd);
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 5 && !strcmp(argv[1], "listen"))
		return do_listen(argv[2], argv[3], argv[4]);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "connect"))
		return do_connect(argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL);
	usage();
}
