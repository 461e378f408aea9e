/* SPDX-License-Identifier: MIT */
/*
 * Key lookups, families, hooks, chain types and the standard chain
 * priorities, as tables.  (The meta and ct keys are in meta.c and ct.c.)
 */
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>
#include <string.h>

#include "types.h"

#define DT(ID) (&nfk_dtypes[NFK_TYPE_##ID])
#define HO NFK_BO_HOST
#define BE NFK_BO_BIG
#define UNQ NFK_KEY_UNQUALIFIED
#define BARE (NFK_KEY_UNQUALIFIED | NFK_KEY_PRINT_BARE)



const struct nfk_key *nfk_key_by_name(const struct nfk_key *tab, const char *name)
{
	for (const struct nfk_key *k = tab; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

/* The first entry of a key number is the one printed; later ones are
 * aliases. */
const struct nfk_key *nfk_key_by_num(const struct nfk_key *tab, unsigned key)
{
	for (const struct nfk_key *k = tab; k->name; k++)
		if (k->key == key && !(k->flags & NFK_KEY_ALIAS))
			return k;
	return NULL;
}


/* ---- families and hooks ------------------------------------------------- */

static const char *const family_names[] = {
	[NFPROTO_INET] = "inet",
	[NFPROTO_IPV4] = "ip",
	[NFPROTO_ARP] = "arp",
	[NFPROTO_NETDEV] = "netdev",
	[NFPROTO_BRIDGE] = "bridge",
	[NFPROTO_IPV6] = "ip6",
};
#define NFAMILIES (sizeof(family_names) / sizeof(family_names[0]))

const char *nfk_family_name(unsigned family)
{
	return family < NFAMILIES ? family_names[family] : NULL;
}

int nfk_family_by_name(const char *name)
{
	for (unsigned i = 0; i < NFAMILIES; i++)
		if (family_names[i] && !strcmp(family_names[i], name))
			return (int)i;
	return -1;
}

/* ---- conntrack timeout policies ------------------------------------------ */

/* name, attribute, nft's default in seconds */
#define CT_TCP_STATES(X) \
	X("syn_sent", TCP_SYN_SENT, 120) X("syn_recv", TCP_SYN_RECV, 60) \
	X("established", TCP_ESTABLISHED, 432000) X("fin_wait", TCP_FIN_WAIT, 120) \
	X("close_wait", TCP_CLOSE_WAIT, 60) X("last_ack", TCP_LAST_ACK, 30) \
	X("time_wait", TCP_TIME_WAIT, 120) X("close", TCP_CLOSE, 10) \
	X("syn_sent2", TCP_SYN_SENT2, 120) X("retrans", TCP_RETRANS, 300) \
	X("unack", TCP_UNACK, 300)
#define CT_UDP_STATES(X) X("unreplied", UDP_UNREPLIED, 30) X("replied", UDP_REPLIED, 120)

#define CT_STATE_NAME(name, attr, secs) [CTA_TIMEOUT_##attr] = name,
#define CT_STATE_DFLT(name, attr, secs) [CTA_TIMEOUT_##attr] = secs,
static const char *const ct_tcp_names[] = { CT_TCP_STATES(CT_STATE_NAME) };
static const uint32_t ct_tcp_dflt[] = { CT_TCP_STATES(CT_STATE_DFLT) };
static const char *const ct_udp_names[] = { CT_UDP_STATES(CT_STATE_NAME) };
static const uint32_t ct_udp_dflt[] = { CT_UDP_STATES(CT_STATE_DFLT) };

static const struct nfk_ct_timeout_proto ct_timeout_protos[] = {
	{ IPPROTO_TCP, CTA_TIMEOUT_TCP_MAX, ct_tcp_names, ct_tcp_dflt },
	{ IPPROTO_UDP, CTA_TIMEOUT_UDP_MAX, ct_udp_names, ct_udp_dflt },
};

const struct nfk_ct_timeout_proto *nfk_ct_timeout_proto(unsigned l4proto)
{
	for (size_t i = 0; i < sizeof(ct_timeout_protos) / sizeof(ct_timeout_protos[0]); i++)
		if (ct_timeout_protos[i].l4proto == l4proto)
			return &ct_timeout_protos[i];
	return NULL;
}

unsigned nfk_ct_timeout_state(const struct nfk_ct_timeout_proto *p, const char *name)
{
	for (unsigned i = 1; p && i <= p->nstates; i++)
		if (!strcmp(p->states[i], name))
			return i;
	return 0;
}

/* Hook names per family; the index is the hook number. */
static const char *const inet_hooks[] = {
	"prerouting", "input", "forward", "output", "postrouting", "ingress",
};
static const char *const arp_hooks[] = { "input", "output", "forward" };
static const char *const netdev_hooks[] = { "ingress", "egress" };

struct hook_set {
	const char *const *names;
	unsigned n;
};

static struct hook_set hooks_of(unsigned family)
{
	switch (family) {
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
	case NFPROTO_BRIDGE:
		return (struct hook_set){ inet_hooks, 5 };
	case NFPROTO_INET:
		return (struct hook_set){ inet_hooks, 6 };
	case NFPROTO_ARP:
		return (struct hook_set){ arp_hooks, 3 };
	case NFPROTO_NETDEV:
		return (struct hook_set){ netdev_hooks, 2 };
	default:
		return (struct hook_set){ NULL, 0 };
	}
}

const char *nfk_hook_name(unsigned family, unsigned hooknum)
{
	struct hook_set hs = hooks_of(family);

	return hooknum < hs.n ? hs.names[hooknum] : NULL;
}

int nfk_hook_by_name(unsigned family, const char *name)
{
	struct hook_set hs = hooks_of(family);

	for (unsigned i = 0; i < hs.n; i++)
		if (!strcmp(hs.names[i], name))
			return (int)i;
	return -1;
}

/* ---- chain types ---------------------------------------------------------- */

#define FAM(f) (1u << (f))
#define IPFAMS (FAM(NFPROTO_IPV4) | FAM(NFPROTO_IPV6) | FAM(NFPROTO_INET))
#define ALLFAMS (IPFAMS | FAM(NFPROTO_ARP) | FAM(NFPROTO_BRIDGE) | FAM(NFPROTO_NETDEV))
#define HK(h) (1u << (h))
#define ALLHOOKS 0xffu

static const struct {
	const char *name;
	unsigned families;
	unsigned hooks;   /* for the IP families; other families take any of theirs */
} chain_types[] = {
	{ "filter", ALLFAMS, ALLHOOKS },
	{ "nat", IPFAMS, HK(NF_INET_PRE_ROUTING) | HK(NF_INET_LOCAL_IN) |
			 HK(NF_INET_LOCAL_OUT) | HK(NF_INET_POST_ROUTING) },
	{ "route", IPFAMS, HK(NF_INET_LOCAL_OUT) },
};

int nfk_chain_type_check(unsigned family, unsigned hooknum, const char *type)
{
	for (unsigned i = 0; i < sizeof(chain_types) / sizeof(chain_types[0]); i++) {
		if (strcmp(chain_types[i].name, type))
			continue;
		if (family >= 32 || !(chain_types[i].families & FAM(family)))
			return -EOPNOTSUPP;
		if (hooknum < 32 && !(chain_types[i].hooks & HK(hooknum)))
			return -EOPNOTSUPP;
		return 0;
	}
	return -ENOENT;
}

/* ---- standard priorities -------------------------------------------------- */

#define PRE HK(NF_INET_PRE_ROUTING)
#define POST HK(NF_INET_POST_ROUTING)
#define OUT HK(NF_INET_LOCAL_OUT)
#define NOBRIDGE (IPFAMS | FAM(NFPROTO_ARP) | FAM(NFPROTO_NETDEV))

/*
 * nft lists a priority as NAME, NAME + N or NAME - N when |N| <= 10 and the
 * name applies to the family and hook (observed with nft 1.0.6).  The
 * bridge family has its own values.
 */
static const struct {
	const char *name;
	int value;
	unsigned families;
	unsigned hooks;
} std_prios[] = {
	{ "raw", -300, IPFAMS, ALLHOOKS },
	{ "mangle", -150, IPFAMS, ALLHOOKS },
	{ "dstnat", -100, IPFAMS, PRE },
	{ "filter", 0, NOBRIDGE, ALLHOOKS },
	{ "security", 50, IPFAMS, ALLHOOKS },
	{ "srcnat", 100, IPFAMS, POST },
	{ "dstnat", -300, FAM(NFPROTO_BRIDGE), PRE },
	{ "filter", -200, FAM(NFPROTO_BRIDGE), ALLHOOKS },
	{ "out", 100, FAM(NFPROTO_BRIDGE), OUT },
	{ "srcnat", 300, FAM(NFPROTO_BRIDGE), POST },
};
#define NPRIOS (sizeof(std_prios) / sizeof(std_prios[0]))
#define PRIO_SPAN 10

static bool prio_applies(unsigned i, unsigned family, unsigned hooknum)
{
	return family < 32 && (std_prios[i].families & FAM(family)) &&
	       (hooknum >= 8 || (std_prios[i].hooks & HK(hooknum)));
}

int nfk_prio_by_name(unsigned family, unsigned hooknum, const char *name, int *prio)
{
	for (unsigned i = 0; i < NPRIOS; i++)
		if (!strcmp(std_prios[i].name, name) && prio_applies(i, family, hooknum)) {
			*prio = std_prios[i].value;
			return 0;
		}
	return -ENOENT;
}

int nfk_prio_snprint(char *buf, size_t size, unsigned family, unsigned hooknum, int prio,
		     unsigned flags)
{
	if (!(flags & NFK_PRINT_NUMERIC)) {
		for (unsigned i = 0; i < NPRIOS; i++) {
			/* 64 bits: a priority at either end of the 32 */
			int64_t off = (int64_t)prio - std_prios[i].value;

			if (!prio_applies(i, family, hooknum) || off < -PRIO_SPAN || off > PRIO_SPAN)
				continue;
			if (!off)
				return snprintf(buf, size, "%s", std_prios[i].name);
			return snprintf(buf, size, "%s %c %d", std_prios[i].name,
					off < 0 ? '-' : '+', (int)(off < 0 ? -off : off));
		}
	}
	return snprintf(buf, size, "%d", prio);
}

void nfk_prio_print(unsigned family, unsigned hooknum, int prio, unsigned flags, FILE *f)
{
	char buf[64];

	nfk_prio_snprint(buf, sizeof(buf), family, hooknum, prio, flags);
	fputs(buf, f);
}
