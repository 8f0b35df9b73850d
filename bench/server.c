// SPDX-License-Identifier: GPL-2.0
/*
 * The connection-rate server: one epoll loop that accepts, reads a request,
 * writes the reply and closes (netperf TCP_CRR's server side).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nqbench.h"

#define NQB_EVENTS 64

static void nqb_accept_all(int ep, int lfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd;

	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;	/* EAGAIN: the accept queue is empty */
		ev.data.fd = fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
			close(fd);
	}
}

static void nqb_serve(int fd)
{
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0 && errno == EAGAIN)
		return;	/* spurious wake-up: wait for the request */
	if (n > 0 && write(fd, buf, n) != n)
		perror("nqbench: server: write");
	close(fd);	/* also removes it from the epoll set */
}

void nqb_server_run(int lfd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = lfd };
	struct epoll_event evs[NQB_EVENTS];
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int i, n;

	if (ep < 0 || fcntl(lfd, F_SETFL, O_NONBLOCK) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev)) {
		perror("nqbench: server: epoll");
		exit(1);
	}
	for (;;) {
		n = epoll_wait(ep, evs, NQB_EVENTS, -1);
		if (n < 0 && errno != EINTR) {
			perror("nqbench: server: epoll_wait");
			exit(1);
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == lfd)
				nqb_accept_all(ep, lfd);
			else
				nqb_serve(evs[i].data.fd);
		}
	}
}
