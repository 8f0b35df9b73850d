// SPDX-License-Identifier: GPL-2.0
/*
 * A connection-rate client worker: connect, write a request, read the
 * reply, close, again, until the deadline (netperf TCP_CRR's client side).
 */
#include <stdio.h>
#include <unistd.h>

#include "nqbench.h"
#include "nq_lib.h"

static int nqb_transact(uint16_t port)
{
	char buf[64] = "GET";
	int fd = nq_connect(AF_INET, "127.0.0.1", port);
	ssize_t n;

	if (fd < 0)
		return fd;
	if (write(fd, buf, 4) != 4) {
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == 4 ? 0 : -1;
}

long nqb_client_run(uint16_t port, double deadline)
{
	long n = 0;

	while (nqb_now() < deadline) {
		if (nqb_transact(port)) {
			fprintf(stderr, "nqbench: client: connection %ld failed\n", n);
			return -1;
		}
		n++;
	}
	return n;
}
