/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why the nqstat module is not there, when its generic netlink family
 * cannot be resolved (resolving it already asked the kernel to load it
 * through the module's alias, "net-pf-16-proto-16-family-nqstat"), and
 * the one command that fixes it on this host.
 *
 * The errno of the kernel's failed load (finit_module() run by modprobe
 * on the kernel's request) does not reach the tool, and dmesg needs
 * privileges: the reason is told from what /proc, /sys, /lib/modules and
 * /etc show (nq_modstate_read()), in the order of nq_modstate_why().
 */
#ifndef NQSTAT_MODEL_MODSTATE_H
#define NQSTAT_MODEL_MODSTATE_H

#include <stdbool.h>
#include <stddef.h>

enum nq_mod_why {
	NQ_MOD_NO_MODULES,	/* no /proc/modules: CONFIG_MODULES off */
	NQ_MOD_LOADED_NO_FAMILY, /* /sys/module/nqstat, but no family */
	NQ_MOD_DISABLED,	/* kernel.modules_disabled = 1 */
	NQ_MOD_NOT_BUILT,	/* no nqstat.ko for the running kernel */
	NQ_MOD_BLACKLISTED,	/* modprobe.d blocks the alias */
	NQ_MOD_SIGNATURE,	/* signatures enforced: most likely rejected */
	NQ_MOD_AUTOLOAD_FAILED,	/* installed, and the autoload failed */
};

/* What the host shows. */
struct nq_modfacts {
	char release[65];		/* uname -r */
	bool proc_modules;		/* /proc/modules exists */
	bool loaded;			/* /sys/module/nqstat exists */
	bool modules_disabled;		/* /proc/sys/kernel/modules_disabled */
	bool installed;			/* nqstat.ko in modules.dep */
	char ko[256];			/* its path under /lib/modules/REL */
	int ko_signed;			/* 1, 0, -1: unknown (compressed) */
	bool headers;			/* /lib/modules/REL/build */
	char dkms_version[64];		/* of /usr/src/nqstat-V/dkms.conf */
	bool sig_enforce;		/* module.sig_enforce=1 */
	char lockdown[32];		/* "integrity", "confidentiality", "" */
	char blacklist[256];		/* the modprobe.d file that blocks */
	bool blacklist_install;		/* an "install nqstat" line */
};

/* The reason, from the facts. */
enum nq_mod_why nq_modstate_why(const struct nq_modfacts *f);

/* "not_built" etc.: JSON. */
const char *nq_modstate_key(enum nq_mod_why why);

/*
 * The reason in words (why) and the command that fixes it (fix), into
 * the buffers. Pure.
 */
void nq_modstate_explain(const struct nq_modfacts *f, enum nq_mod_why why,
			 char *text, size_t text_len, char *fix,
			 size_t fix_len);

/*
 * The facts, from the files under root ("" for the host), for kernel
 * release (uname -r). Whatever cannot be read is left false or empty.
 */
void nq_modstate_read(struct nq_modfacts *f, const char *root,
		      const char *release);

#endif /* NQSTAT_MODEL_MODSTATE_H */
