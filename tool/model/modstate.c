// SPDX-License-Identifier: GPL-2.0
/*
 * Why the module is not there: the decision and its words, no I/O.
 */
#include <stdio.h>
#include <string.h>

#include "model/modstate.h"

enum nq_mod_why nq_modstate_why(const struct nq_modfacts *f)
{
	if (!f->proc_modules)
		return NQ_MOD_NO_MODULES;
	if (f->loaded)
		return NQ_MOD_LOADED_NO_FAMILY;
	if (f->modules_disabled)
		return NQ_MOD_DISABLED;
	if (!f->installed)
		return NQ_MOD_NOT_BUILT;
	if (f->blacklist[0])
		return NQ_MOD_BLACKLISTED;
	if (f->sig_enforce || f->lockdown[0])
		return NQ_MOD_SIGNATURE;
	return NQ_MOD_AUTOLOAD_FAILED;
}

const char *nq_modstate_key(enum nq_mod_why why)
{
	switch (why) {
	case NQ_MOD_NO_MODULES:
		return "no_module_support";
	case NQ_MOD_LOADED_NO_FAMILY:
		return "loaded_no_family";
	case NQ_MOD_DISABLED:
		return "modules_disabled";
	case NQ_MOD_NOT_BUILT:
		return "not_built";
	case NQ_MOD_BLACKLISTED:
		return "blacklisted";
	case NQ_MOD_SIGNATURE:
		return "signature";
	case NQ_MOD_AUTOLOAD_FAILED:
		return "autoload_failed";
	}
	return "?";
}

void nq_modstate_explain(const struct nq_modfacts *f, enum nq_mod_why why,
			 char *text, size_t text_len, char *fix,
			 size_t fix_len)
{
	const char *rel = f->release[0] ? f->release : "?";
	char enforce[96];

	switch (why) {
	case NQ_MOD_NO_MODULES:
		snprintf(text, text_len,
			 "this kernel has no loadable module support (no /proc/modules: CONFIG_MODULES is off)");
		snprintf(fix, fix_len,
			 "boot a kernel built with CONFIG_MODULES=y (Debian's linux-image-amd64 is)");
		break;
	case NQ_MOD_LOADED_NO_FAMILY:
		snprintf(text, text_len,
			 "module nqstat is loaded (/sys/module/nqstat) but its generic netlink family \"nqstat\" is not registered: another build, or one being unloaded");
		snprintf(fix, fix_len,
			 "sudo modprobe -r nqstat && sudo modprobe nqstat");
		break;
	case NQ_MOD_DISABLED:
		snprintf(text, text_len,
			 "module loading is disabled until the next boot (kernel.modules_disabled = 1)");
		snprintf(fix, fix_len,
			 "echo nqstat | sudo tee /etc/modules-load.d/nqstat.conf, then reboot (modules-load.d runs before modules_disabled is set)");
		break;
	case NQ_MOD_NOT_BUILT:
		snprintf(text, text_len,
			 "nqstat is not built for the running kernel %s (no nqstat.ko in /lib/modules/%s/modules.dep%s)",
			 rel, rel,
			 f->dkms_version[0] ? "; see dkms status nqstat" : "");
		if (!f->dkms_version[0])
			snprintf(fix, fix_len, "sudo apt install nqstat-dkms");
		else if (!f->headers)
			snprintf(fix, fix_len,
				 "sudo apt install linux-headers-%s (DKMS then builds nqstat for it)",
				 rel);
		else
			snprintf(fix, fix_len,
				 "sudo dkms install nqstat/%s -k %s",
				 f->dkms_version, rel);
		break;
	case NQ_MOD_BLACKLISTED:
		snprintf(text, text_len,
			 "the automatic load is blocked by %s nqstat line in %s",
			 f->blacklist_install ? "an \"install\"" :
			 "a \"blacklist\"", f->blacklist);
		if (f->blacklist_install)
			snprintf(fix, fix_len, "remove the \"install nqstat\" line from %s",
				 f->blacklist);
		else
			snprintf(fix, fix_len, "sudo modprobe nqstat");
		break;
	case NQ_MOD_SIGNATURE:
		snprintf(enforce, sizeof(enforce), "%s%s%s%s",
			 f->sig_enforce ? "module.sig_enforce=1" : "",
			 f->sig_enforce && f->lockdown[0] ? ", " : "",
			 f->lockdown[0] ? "lockdown=" : "", f->lockdown);
		snprintf(text, text_len,
			 "this kernel loads only signed modules (%s, as under Secure Boot) and loading %s failed: its signature was most likely rejected (%s; the kernel's error is not visible to nqstat: sudo modprobe nqstat shows it)",
			 enforce, f->ko[0] ? f->ko : "nqstat.ko",
			 f->ko_signed == 0 ? "the module is not signed" :
			 f->ko_signed == 1 ?
			 "it is signed, with a key the kernel may not trust" :
			 "compressed: whether it is signed is not known");
		snprintf(fix, fix_len,
			 "sudo mokutil --import /var/lib/dkms/mok.pub, reboot and enrol the key, then sudo dkms install --force nqstat/%s -k %s",
			 f->dkms_version[0] ? f->dkms_version : "VERSION", rel);
		break;
	case NQ_MOD_AUTOLOAD_FAILED:
		snprintf(text, text_len,
			 "nqstat.ko is installed for %s but loading it on demand failed (the kernel's error is not visible to nqstat)",
			 rel);
		snprintf(fix, fix_len,
			 "sudo modprobe nqstat (prints why it cannot load)");
		break;
	}
}
