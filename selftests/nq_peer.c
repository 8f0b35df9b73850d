// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "nq_peer.h"

#define NQ_PEER_ISN 1000000u

static int run(const char *fmt, const char *ifname)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), fmt, ifname);
	return system(cmd) ? -EIO : 0;
}

int nq_peer_open(struct nq_peer *p, int family)
{
	struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI };
	int err;

	memset(p, 0, sizeof(*p));
	p->family = family;
	/* A minimal /dev (as in a virtme-ng guest) may lack the node. */
	if (access("/dev/net/tun", F_OK)) {
		if (system("modprobe tun"))
			return -ENOENT;
		mkdir("/dev/net", 0755);
		if (mknod("/dev/net/tun", S_IFCHR | 0666, makedev(10, 200)) &&
		    errno != EEXIST)
			return -errno;
	}
	p->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (p->fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, "nqpeer%d");
	if (ioctl(p->fd, TUNSETIFF, &ifr) < 0)
		return -errno;
	snprintf(p->ifname, sizeof(p->ifname), "%s", ifr.ifr_name);
	err = run("ip link set dev %s up", p->ifname);
	if (!err && family == AF_INET)
		err = run("ip addr add 10.9.0.1/24 dev %s", p->ifname);
	if (!err && family == AF_INET6)
		err = run("ip -6 addr add fd00:9::1/64 dev %s nodad",
			  p->ifname);
	if (err)
		return err;
	p->local_str = family == AF_INET ? "10.9.0.1" : "fd00:9::1";
	inet_pton(family, p->local_str, p->local);
	inet_pton(family, family == AF_INET ? "10.9.0.2" : "fd00:9::2",
		  p->remote);
	return 0;
}

void nq_peer_close(struct nq_peer *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

static uint32_t sum16(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *b = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

int nq_peer_send(struct nq_peer *p, uint16_t sport, uint16_t dport,
		 uint32_t seq, uint32_t ack, uint8_t flags)
{
	return nq_peer_send_data(p, sport, dport, seq, ack, flags, NULL, 0);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One TCP segment from the kernel, or 0 when the packet is something else. */
static int parse(const struct nq_peer *p, const unsigned char *pkt, ssize_t n,
		 struct nq_seg *seg)
{
	const struct tcphdr *th;

	if (p->family == AF_INET) {
		const struct iphdr *iph = (const struct iphdr *)pkt;

		if (n < (ssize_t)sizeof(*iph) || iph->version != 4 ||
		    iph->protocol != IPPROTO_TCP)
			return 0;
		th = (const struct tcphdr *)(pkt + iph->ihl * 4);
	} else {
		const struct ip6_hdr *ip6 = (const struct ip6_hdr *)pkt;

		if (n < (ssize_t)sizeof(*ip6) || ip6->ip6_nxt != IPPROTO_TCP)
			return 0;
		th = (const struct tcphdr *)(ip6 + 1);
	}
	if ((const unsigned char *)(th + 1) > pkt + n)
		return 0;
	seg->sport = ntohs(th->source);
	seg->dport = ntohs(th->dest);
	seg->seq = ntohl(th->seq);
	seg->ack = ntohl(th->ack_seq);
	seg->flags = th->th_flags;
	return 1;
}

int nq_peer_recv(struct nq_peer *p, uint8_t flags, int timeout_ms,
		 struct nq_seg *seg)
{
	long end = now_ms() + timeout_ms;
	unsigned char pkt[2048];

	for (;;) {
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
		long left = end - now_ms();
		ssize_t n;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, left) < 0)
			return -errno;
		n = read(p->fd, pkt, sizeof(pkt));
		if (n < 0) {
			if (errno == EAGAIN)
				continue;
			return -errno;
		}
		if (parse(p, pkt, n, seg) && (seg->flags & flags) == flags)
			return 0;
	}
}

int nq_peer_syn(struct nq_peer *p, uint16_t sport, uint16_t dport,
		uint32_t *isn)
{
	struct nq_seg seg;
	int err;

	err = nq_peer_send(p, sport, dport, NQ_PEER_ISN, 0, NQ_SYN);
	if (err)
		return err;
	do {
		err = nq_peer_recv(p, NQ_SYN | NQ_ACK, 1000, &seg);
	} while (!err && seg.dport != sport);
	if (!err)
		*isn = seg.seq;
	return err;
}

int nq_peer_ack(struct nq_peer *p, uint16_t sport, uint16_t dport,
		uint32_t isn)
{
	return nq_peer_send(p, sport, dport, NQ_PEER_ISN + 1, isn + 1, NQ_ACK);
}

int nq_peer_count(struct nq_peer *p, uint8_t flags, int ms)
{
	long end = now_ms() + ms;
	struct nq_seg seg;
	int n = 0;

	while (now_ms() < end)
		if (!nq_peer_recv(p, flags, end - now_ms(), &seg))
			n++;
	return n;
}

int nq_peer_send_to(struct nq_peer *p, const void *dst, uint16_t sport,
		    uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags)
{
	struct nq_peer q = *p;

	/* The destination, and the checksum's pseudo-header with it. */
	memcpy(q.local, dst, p->family == AF_INET ? 4 : 16);
	return nq_peer_send(&q, sport, dport, seq, ack, flags);
}

int nq_peer_send_data(struct nq_peer *p, uint16_t sport, uint16_t dport,
		      uint32_t seq, uint32_t ack, uint8_t flags,
		      const void *data, unsigned int len)
{
	unsigned char pkt[128 + 256] = {};
	size_t alen = p->family == AF_INET ? 4 : 16;
	size_t iplen = p->family == AF_INET ? sizeof(struct iphdr) :
					       sizeof(struct ip6_hdr);
	struct tcphdr *th = (struct tcphdr *)(pkt + iplen);
	size_t hlen = sizeof(*th) + ((flags & NQ_SYN) ? 4 : 0);
	size_t tcplen = hlen + len;
	uint32_t sum;

	if (len > 256)
		return -EINVAL;
	th->source = htons(sport);
	th->dest = htons(dport);
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = hlen / 4;
	th->th_flags = flags;
	th->window = htons(65535);
	if (flags & NQ_SYN) {
		unsigned char *opt = (unsigned char *)(th + 1);

		opt[0] = 2;	/* MSS 1400 */
		opt[1] = 4;
		opt[2] = 1400 >> 8;
		opt[3] = 1400 & 0xff;
	}
	if (len)
		memcpy((unsigned char *)th + hlen, data, len);
	sum = sum16(p->remote, alen, 0);
	sum = sum16(p->local, alen, sum);
	sum += IPPROTO_TCP + tcplen;
	th->check = fold(sum16(th, tcplen, sum));

	if (p->family == AF_INET) {
		struct iphdr *iph = (struct iphdr *)pkt;

		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(iplen + tcplen);
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		memcpy(&iph->saddr, p->remote, 4);
		memcpy(&iph->daddr, p->local, 4);
		iph->check = fold(sum16(iph, sizeof(*iph), 0));
	} else {
		struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt;

		ip6->ip6_flow = htonl(6u << 28);
		ip6->ip6_plen = htons(tcplen);
		ip6->ip6_nxt = IPPROTO_TCP;
		ip6->ip6_hlim = 64;
		memcpy(&ip6->ip6_src, p->remote, 16);
		memcpy(&ip6->ip6_dst, p->local, 16);
	}
	if (write(p->fd, pkt, iplen + tcplen) != (ssize_t)(iplen + tcplen))
		return -errno;
	return 0;
}
