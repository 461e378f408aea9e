/* SPDX-License-Identifier: MIT */
/*
 * meta and ct keys, families, hooks, chain types and the standard chain
 * priorities, as tables.  Types, widths and byte orders follow
 * `nft describe meta KEY` / `nft describe ct KEY` of nftables 1.0.6.
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

/* First entry of a key number is the one printed; later ones are aliases. */
const struct nfk_key nfk_meta_keys[] = {
	{ "length", NFT_META_LEN, DT(INTEGER), 32, HO, 0 },
	{ "protocol", NFT_META_PROTOCOL, DT(ETHERTYPE), 16, BE, 0 },
	{ "priority", NFT_META_PRIORITY, DT(CLASSID), 32, HO, 0 },
	{ "mark", NFT_META_MARK, DT(MARK), 32, HO, UNQ },
	{ "iif", NFT_META_IIF, DT(IFINDEX), 32, HO, BARE },
	{ "oif", NFT_META_OIF, DT(IFINDEX), 32, HO, BARE },
	{ "iifname", NFT_META_IIFNAME, DT(IFNAME), 128, HO, BARE },
	{ "oifname", NFT_META_OIFNAME, DT(IFNAME), 128, HO, BARE },
	{ "iiftype", NFT_META_IIFTYPE, DT(ARPHRD), 16, HO, UNQ },
	{ "oiftype", NFT_META_OIFTYPE, DT(ARPHRD), 16, HO, UNQ },
	{ "skuid", NFT_META_SKUID, DT(UID), 32, HO, UNQ },
	{ "skgid", NFT_META_SKGID, DT(GID), 32, HO, UNQ },
	{ "nftrace", NFT_META_NFTRACE, DT(INTEGER), 1, HO, UNQ },
	{ "rtclassid", NFT_META_RTCLASSID, DT(REALM), 32, HO, UNQ },
	{ "secmark", NFT_META_SECMARK, DT(INTEGER), 32, HO, 0 },
	{ "nfproto", NFT_META_NFPROTO, DT(NFPROTO), 8, HO, 0 },
	{ "l4proto", NFT_META_L4PROTO, DT(INET_PROTOCOL), 8, HO, 0 },
	{ "ibrname", NFT_META_BRI_IIFNAME, DT(IFNAME), 128, HO, UNQ },
	{ "obrname", NFT_META_BRI_OIFNAME, DT(IFNAME), 128, HO, UNQ },
	{ "pkttype", NFT_META_PKTTYPE, DT(PKTTYPE), 8, HO, UNQ },
	{ "cpu", NFT_META_CPU, DT(INTEGER), 32, HO, UNQ },
	{ "iifgroup", NFT_META_IIFGROUP, DT(DEVGROUP), 32, HO, BARE },
	{ "oifgroup", NFT_META_OIFGROUP, DT(DEVGROUP), 32, HO, BARE },
	{ "cgroup", NFT_META_CGROUP, DT(INTEGER), 32, HO, UNQ },
	{ "random", NFT_META_PRANDOM, DT(INTEGER), 32, BE, UNQ | NFK_KEY_NOSET },
	{ "ipsec", NFT_META_SECPATH, DT(BOOLEAN), 8, HO, UNQ | NFK_KEY_NOSET },
	{ "iifkind", NFT_META_IIFKIND, DT(IFNAME), 128, HO, UNQ },
	{ "oifkind", NFT_META_OIFKIND, DT(IFNAME), 128, HO, UNQ },
	{ "ibrpvid", NFT_META_BRI_IIFPVID, DT(INTEGER), 16, HO, 0 },
	{ "ibrvproto", NFT_META_BRI_IIFVPROTO, DT(ETHERTYPE), 16, BE, 0 },
	{ "time", NFT_META_TIME_NS, DT(TIME_DATE), 64, HO, UNQ | NFK_KEY_NOSET },
	{ "day", NFT_META_TIME_DAY, DT(TIME_DAY), 8, HO, UNQ | NFK_KEY_NOSET },
	{ "hour", NFT_META_TIME_HOUR, DT(TIME_HOUR), 32, HO, UNQ | NFK_KEY_NOSET },
	{ "sdif", NFT_META_SDIF, DT(IFINDEX), 32, HO, 0 },
	{ "sdifname", NFT_META_SDIFNAME, DT(IFNAME), 128, HO, 0 },
	/* old spellings nft still accepts */
	{ "ibriport", NFT_META_BRI_IIFNAME, DT(IFNAME), 128, HO, UNQ | NFK_KEY_ALIAS },
	{ "obriport", NFT_META_BRI_OIFNAME, DT(IFNAME), 128, HO, UNQ | NFK_KEY_ALIAS },
	{ "secpath", NFT_META_SECPATH, DT(BOOLEAN), 8, HO, NFK_KEY_ALIAS | NFK_KEY_NOSET },
	{ NULL, 0, NULL, 0, 0, 0 },
};

#define DIR NFK_KEY_DIR
#define DONLY (NFK_KEY_DIR | NFK_KEY_DIR_ONLY)
#define NODIR NFK_KEY_NODIR

const struct nfk_key nfk_ct_keys[] = {
	{ "state", NFT_CT_STATE, DT(CT_STATE), 32, HO, NODIR | NFK_KEY_NOSET },
	{ "direction", NFT_CT_DIRECTION, DT(CT_DIR), 8, HO, NODIR | NFK_KEY_NOSET },
	{ "status", NFT_CT_STATUS, DT(CT_STATUS), 32, HO, NODIR | NFK_KEY_NOSET },
	{ "mark", NFT_CT_MARK, DT(MARK), 32, HO, NODIR },
	{ "secmark", NFT_CT_SECMARK, DT(INTEGER), 32, HO, NODIR },
	{ "expiration", NFT_CT_EXPIRATION, DT(TIME), 32, HO, NODIR },
	{ "helper", NFT_CT_HELPER, DT(STRING), 128, HO, NODIR },
	{ "l3proto", NFT_CT_L3PROTOCOL, DT(NFPROTO), 8, HO, DIR | NFK_KEY_NOSET },
	/* dtype depends on the family: see nfk_ct_key_dtype() */
	{ "saddr", NFT_CT_SRC, NULL, 0, BE, DONLY | NFK_KEY_NOSET },
	{ "daddr", NFT_CT_DST, NULL, 0, BE, DONLY | NFK_KEY_NOSET },
	{ "protocol", NFT_CT_PROTOCOL, DT(INET_PROTOCOL), 8, BE, DIR | NFK_KEY_NOSET },
	{ "proto-src", NFT_CT_PROTO_SRC, DT(INET_SERVICE), 16, BE, DONLY | NFK_KEY_NOSET },
	{ "proto-dst", NFT_CT_PROTO_DST, DT(INET_SERVICE), 16, BE, DONLY | NFK_KEY_NOSET },
	{ "label", NFT_CT_LABELS, DT(CT_LABEL), 128, HO, NODIR },
	{ "packets", NFT_CT_PKTS, DT(INTEGER), 64, HO, DIR | NFK_KEY_NOSET },
	{ "bytes", NFT_CT_BYTES, DT(INTEGER), 64, HO, DIR | NFK_KEY_NOSET },
	{ "avgpkt", NFT_CT_AVGPKT, DT(INTEGER), 64, HO, DIR | NFK_KEY_NOSET },
	{ "zone", NFT_CT_ZONE, DT(INTEGER), 16, HO, DIR },
	{ "event", NFT_CT_EVENTMASK, DT(CT_EVENTBIT), 32, HO, NODIR },
	{ "ip saddr", NFT_CT_SRC_IP, DT(IPADDR), 32, BE, DONLY | NFK_KEY_NOSET },
	{ "ip daddr", NFT_CT_DST_IP, DT(IPADDR), 32, BE, DONLY | NFK_KEY_NOSET },
	{ "ip6 saddr", NFT_CT_SRC_IP6, DT(IP6ADDR), 128, BE, DONLY | NFK_KEY_NOSET },
	{ "ip6 daddr", NFT_CT_DST_IP6, DT(IP6ADDR), 128, BE, DONLY | NFK_KEY_NOSET },
	{ "id", NFT_CT_ID, DT(INTEGER), 32, BE, NODIR | NFK_KEY_NOSET },
	{ NULL, 0, NULL, 0, 0, 0 },
};

static const struct nfk_key *key_by_name(const struct nfk_key *tab, const char *name)
{
	for (const struct nfk_key *k = tab; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

static const struct nfk_key *key_by_num(const struct nfk_key *tab, unsigned key)
{
	for (const struct nfk_key *k = tab; k->name; k++)
		if (k->key == key && !(k->flags & NFK_KEY_ALIAS))
			return k;
	return NULL;
}

const struct nfk_key *nfk_meta_key_by_name(const char *name)
{
	return key_by_name(nfk_meta_keys, name);
}

const struct nfk_key *nfk_meta_key_by_num(unsigned key)
{
	return key_by_num(nfk_meta_keys, key);
}

const struct nfk_key *nfk_ct_key_by_name(const char *name)
{
	return key_by_name(nfk_ct_keys, name);
}

const struct nfk_key *nfk_ct_key_by_num(unsigned key)
{
	return key_by_num(nfk_ct_keys, key);
}

const struct nfk_dtype *nfk_ct_key_dtype(const struct nfk_key *k, unsigned nfproto,
					 unsigned *bits)
{
	if (k->dtype) {
		if (bits)
			*bits = k->bits;
		return k->dtype;
	}
	if (nfproto != NFPROTO_IPV4 && nfproto != NFPROTO_IPV6)
		return NULL;
	if (bits)
		*bits = nfproto == NFPROTO_IPV4 ? 32 : 128;
	return nfproto == NFPROTO_IPV4 ? DT(IPADDR) : DT(IP6ADDR);
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
			int off = prio - std_prios[i].value;

			if (!prio_applies(i, family, hooknum) || off < -PRIO_SPAN || off > PRIO_SPAN)
				continue;
			if (!off)
				return snprintf(buf, size, "%s", std_prios[i].name);
			return snprintf(buf, size, "%s %c %d", std_prios[i].name,
					off < 0 ? '-' : '+', off < 0 ? -off : off);
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
