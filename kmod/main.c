// SPDX-License-Identifier: GPL-2.0
/*
 * nqstat: per-listener TCP queue accounting, per network namespace.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/nqstat.h>

#include "conntrack.h"
#include "hooks.h"
#include "listeners.h"
#include "netns.h"
#include "netlink.h"
#include "track.h"
#include "version.h"

/* The probes of the hooks in the kernel image, for hooks.c. */
static const struct nq_hook_probe nq_probes[] = {
	{ .id = NQ_HOOK_INET_SOCK_SET_STATE,
	  .tp_probe = nq_probe_inet_sock_set_state },
	{ .id = NQ_HOOK_TCP_RETRANSMIT_SYNACK,
	  .tp_probe = nq_probe_tcp_retransmit_synack },
	{ .id = NQ_HOOK_TCP_RETRANSMIT_SKB,
	  .tp_probe = nq_probe_tcp_retransmit_skb },
	{ .id = NQ_HOOK_TCP_PEER_IS_PROVEN,
	  .krp = &nq_krp_tcp_peer_is_proven },
};

static int __init nq_init(void)
{
	int err;

	err = nq_hooks_parse_params();
	if (err)
		return err;
	/* Namespaces first: their state holds their listeners' lists. */
	err = nq_netns_init();
	if (err)
		return err;
	err = nq_listeners_init();
	if (err)
		goto err_netns;
	err = nq_track_init();
	if (err)
		goto err_listeners;
	nq_hooks_attach(nq_probes, ARRAY_SIZE(nq_probes));
	/*
	 * Without the state hook no listener would ever be unwrapped as it
	 * closes, nor a child given the kernel's tables back: no tables.
	 */
	if (!nq_hook_attached(NQ_HOOK_INET_SOCK_SET_STATE)) {
		pr_err("the tracepoint sock:inet_sock_set_state could not be attached: not loading\n");
		err = -ENOENT;
		goto err_tables;
	}
	/* After the state hook: a listener that starts now is wrapped there. */
	nq_track_adopt();
	err = nq_ct_init();
	if (err)
		goto err_tables;
	err = nq_netlink_init();
	if (err)
		goto err_ct;
	pr_info("version " NQSTAT_VERSION " loaded\n");
	return 0;

err_ct:
	nq_ct_exit();
err_tables:
	nq_track_stop();
	nq_hooks_detach();
	nq_track_exit();
err_listeners:
	nq_listeners_exit();
err_netns:
	nq_netns_exit();
	return err;
}

static void __exit nq_exit(void)
{
	nq_netlink_exit();
	nq_ct_exit();
	/* With the state hook still there: listeners may close meanwhile. */
	nq_track_stop();
	nq_hooks_detach();
	nq_track_exit();
	nq_listeners_exit();
	nq_netns_exit();
}

module_init(nq_init);
module_exit(nq_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-listener TCP queue accounting");
MODULE_AUTHOR("nqstat developers");
MODULE_VERSION(NQSTAT_VERSION);
MODULE_ALIAS_GENL_FAMILY(NQSTAT_GENL_NAME);
