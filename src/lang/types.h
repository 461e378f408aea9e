/* SPDX-License-Identifier: MIT */
/*
 * The nft type system as data: datatypes (with their symbol tables, parse
 * and print), protocol header fields, and meta/ct/... keys.  The compiler
 * (text -> expressions) and the decompiler (expressions -> text) both read
 * these tables, so a value parses and prints the same way everywhere.
 */
#ifndef NFK_TYPES_H
#define NFK_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum nfk_byteorder {
	NFK_BO_INVALID = 0,
	NFK_BO_BIG,     /* network order, as in packet headers */
	NFK_BO_HOST,    /* host order, as meta mark */
};

/* A named constant of a datatype: "established", "echo-request", "tcp". */
struct nfk_sym {
	const char *name;
	uint64_t value;
};

/* Print flags, mirroring nft's output options. */
enum {
	NFK_PRINT_NUMERIC = 1 << 0,   /* -n: numbers, not names, where nft does */
	NFK_PRINT_SERVICE = 1 << 1,   /* -S: port names */
	NFK_PRINT_GUID = 1 << 2,      /* -u */
	NFK_PRINT_NUMERIC_PROTO = 1 << 3, /* -p */
	NFK_PRINT_NUMERIC_TIME = 1 << 4,  /* -T */
	NFK_PRINT_RESOLVE = 1 << 5,   /* -N: resolve addresses to names */
};

/* nft's datatype numbers (NFTA_SET_KEY_TYPE / NFTA_SET_DATA_TYPE).  A
 * concatenation's id packs the member ids NFK_TYPE_BITS apart, first
 * member highest. */
#define NFK_TYPE_IDS(X) \
	X(INVALID, 0) X(VERDICT, 1) X(NFPROTO, 2) X(BITMASK, 3) X(INTEGER, 4) \
	X(STRING, 5) X(LLADDR, 6) X(IPADDR, 7) X(IP6ADDR, 8) X(ETHERADDR, 9) \
	X(ETHERTYPE, 10) X(ARPOP, 11) X(INET_PROTOCOL, 12) X(INET_SERVICE, 13) \
	X(ICMP_TYPE, 14) X(TCP_FLAG, 15) X(DCCP_PKTTYPE, 16) X(MH_TYPE, 17) \
	X(TIME, 18) X(MARK, 19) X(IFINDEX, 20) X(ARPHRD, 21) X(REALM, 22) \
	X(CLASSID, 23) X(UID, 24) X(GID, 25) X(CT_STATE, 26) X(CT_DIR, 27) \
	X(CT_STATUS, 28) X(ICMP6_TYPE, 29) X(CT_LABEL, 30) X(PKTTYPE, 31) \
	X(ICMP_CODE, 32) X(ICMPV6_CODE, 33) X(ICMPX_CODE, 34) X(DEVGROUP, 35) \
	X(DSCP, 36) X(ECN, 37) X(FIB_ADDR, 38) X(BOOLEAN, 39) X(CT_EVENTBIT, 40) \
	X(IFNAME, 41) X(IGMP_TYPE, 42) X(TIME_DATE, 43) X(TIME_HOUR, 44) \
	X(TIME_DAY, 45) X(CGROUPV2, 46)

enum nfk_type_id {
#define NFK_TYPE_ENUM_(n, v) NFK_TYPE_##n = v,
	NFK_TYPE_IDS(NFK_TYPE_ENUM_)
#undef NFK_TYPE_ENUM_
	NFK_TYPE_MAX,
};
#define NFK_TYPE_BITS 6
#define NFK_TYPE_MASK ((1u << NFK_TYPE_BITS) - 1)

/* How a value is printed when no symbol names it. */
enum nfk_dtype_fmt {
	NFK_FMT_DEC = 0,     /* 22 */
	NFK_FMT_HEX,         /* 0x%0*x, two digits per byte: 0x00000001, 0x0800 */
	NFK_FMT_HEXBITS,     /* bitmask leftovers: 0x3 */
};

struct nfk_dtype;

/* Parses a textual value into len bytes at out (len is the type's size in
 * bytes, or for strings the buffer size).  0, or -EINVAL with err filled
 * in nft's wording ("Could not parse ipv4 address", ...). */
typedef int (*nfk_dtype_parse_fn)(const struct nfk_dtype *t, const char *text,
				  uint8_t *out, unsigned *len, char *err, size_t errlen);
/* Prints len bytes (in the type's byte order) as nft lists them. */
typedef void (*nfk_dtype_print_fn)(const struct nfk_dtype *t, const uint8_t *data,
				   unsigned len, unsigned flags, FILE *f);

struct nfk_dtype {
	const char *name;             /* "ipv4_addr": used in `type X` */
	const char *desc;             /* "IPv4 address": used in messages */
	unsigned id;                  /* nft's TYPE_* number (set key types) */
	unsigned bits;                /* size in bits; 0 = variable (string) */
	enum nfk_byteorder bo;
	const struct nfk_dtype *base; /* integer, string, bitmask, ... or NULL */
	const struct nfk_sym *syms;   /* symbol table, NULL-terminated by name */
	bool bitmask;                 /* printed as a,b,c; parsed from a list */
	nfk_dtype_parse_fn parse;     /* NULL: use base's */
	nfk_dtype_print_fn print;     /* NULL: use base's */
	enum nfk_dtype_fmt fmt;       /* fallback number style (integer-based types) */
	bool quoted;                  /* symbol names are printed in double quotes */
};

/* All datatypes, indexed by id (entries with name NULL are unused). */
extern const struct nfk_dtype nfk_dtypes[NFK_TYPE_MAX];
#define NFK_DTYPE(id) (&nfk_dtypes[NFK_TYPE_##id])

const struct nfk_dtype *nfk_dtype_by_name(const char *name);
const struct nfk_dtype *nfk_dtype_by_id(unsigned id);
/* The members of a set's key or data type as nft numbers it (a single
 * type, or a concatenation of up to 5 packed 6 bits apart): their count,
 * or -1 when nft has no type for one of them (it then leaves the set out:
 * "Unknown data type in set key"). */
int nfk_dtype_members(uint32_t id, const struct nfk_dtype **out, unsigned max);
/* 0 when nft has types for a set's key (and map data), else the type id it
 * has none for: nft leaves such a set out of everything. */
uint32_t nfk_set_unknown_type(uint32_t flags, uint32_t key_type, uint32_t data_type);

/* Parses text as type t, trying its symbols first, then t->parse, then its
 * base types' parsers.  Bytes are written in t's byte order. */
int nfk_dtype_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		    unsigned *len, char *err, size_t errlen);
/* Prints in t's style: symbol name when one matches (unless numeric),
 * otherwise the base's printer. */
void nfk_dtype_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		     unsigned flags, FILE *f);
const char *nfk_dtype_sym_name(const struct nfk_dtype *t, uint64_t value);
/* 0 and *value when name is one of t's (or its bases') symbols, else -ENOENT. */
int nfk_dtype_sym_value(const struct nfk_dtype *t, const char *name, uint64_t *value);
/* True when t is u or has u among its base types (ether_addr is an lladdr). */
bool nfk_dtype_is(const struct nfk_dtype *t, const struct nfk_dtype *u);
/* The byte order values of t use by default (host for integer, string). */
enum nfk_byteorder nfk_dtype_bo(const struct nfk_dtype *t);
/* Size in bytes (0 = variable). */
unsigned nfk_dtype_len(const struct nfk_dtype *t);

/*
 * Parse and print for a value of a given width and byte order, as a header
 * field or key has it (integer has no order of its own; `ip length` is a
 * big-endian 16-bit integer).  bits 0 means t's size; *len is set to the
 * bytes written (for strings: the buffer size, or the prefix length of a
 * wildcard "eth*").  Range errors read "Value 70000 exceeds valid range
 * 0-65535" as nft says.
 */
int nfk_value_parse(const struct nfk_dtype *t, enum nfk_byteorder bo, unsigned bits,
		    const char *text, uint8_t *out, unsigned *len, char *err, size_t errlen);
void nfk_value_print(const struct nfk_dtype *t, enum nfk_byteorder bo, const uint8_t *data,
		     unsigned len, unsigned flags, FILE *f);
/* snprintf-style variants (return the length that was needed). */
int nfk_value_snprint(char *buf, size_t size, const struct nfk_dtype *t,
		      enum nfk_byteorder bo, const uint8_t *data, unsigned len, unsigned flags);

/* Host-order integer <-> bytes of len (<= 8) in byte order bo. */
uint64_t nfk_value_get_uint(const uint8_t *data, unsigned len, enum nfk_byteorder bo);
void nfk_value_put_uint(uint8_t *data, unsigned len, enum nfk_byteorder bo, uint64_t v);

/* Concatenated type id from member type ids, as nft computes it. */
unsigned nfk_dtype_concat_id(const unsigned *ids, unsigned n);

/* Durations as nft writes them: "1d3h46m40s", "1s500ms", or a bare number
 * of seconds; value in ms.  The one time parser: statements, sets,
 * elements, objects and time values all use it. */
int nfk_time_parse(const char *text, uint64_t *ms, char *err, size_t errlen);
/* Length of the longest prefix of s[0, n) that nft's scanner reads as a
 * time string (units d, h, m, s, ms in that order, each once); 0: none. */
size_t nfk_time_span(const char *s, size_t n);
void nfk_time_print(uint64_t ms, FILE *f);

/* ---- protocol headers ------------------------------------------------- */

enum nfk_base {
	NFK_BASE_LL = 0,          /* NFT_PAYLOAD_LL_HEADER */
	NFK_BASE_NETWORK = 1,
	NFK_BASE_TRANSPORT = 2,
	NFK_BASE_INNER = 3,
};

struct nfk_hdr_field {
	const char *name;             /* "dport" */
	unsigned offset;              /* in bits from the header start */
	unsigned bits;                /* length in bits */
	const struct nfk_dtype *dtype;
	enum nfk_byteorder bo;
};

struct nfk_proto {
	const char *name;             /* "tcp": the selector keyword */
	enum nfk_base base;
	const struct nfk_hdr_field *fields; /* NULL-name terminated */
	/* How the layer below names this protocol: for a transport header the
	 * IP protocol number (tcp = 6), for a network header the ethertype
	 * (ip = 0x0800) and the nfproto (NFPROTO_IPV4). */
	unsigned l4num;
	unsigned ethertype;
	unsigned nfproto;
	unsigned hdr_bits;            /* fixed header length, for offsets */
};

/* All headers, name-NULL terminated. */
extern const struct nfk_proto nfk_protos[];
const struct nfk_proto *nfk_proto_by_name(const char *name);
/* The transport header for an IP protocol number, the network header for
 * an ethertype; NULL when nft has none. */
const struct nfk_proto *nfk_proto_by_l4num(unsigned l4num);
const struct nfk_proto *nfk_proto_by_ethertype(unsigned ethertype);
/* The field covering exactly (offset, bits) in p, or NULL. */
const struct nfk_hdr_field *nfk_proto_field_at(const struct nfk_proto *p, unsigned offset,
					       unsigned bits);
const struct nfk_hdr_field *nfk_proto_field(const struct nfk_proto *p, const char *name);
/* The header whose field lies at (base, offset bits, len bits), given the
 * protocol context known so far (ctx_* may be 0 when unknown).  Used by the
 * decompiler; NULL when nothing matches. */
const struct nfk_proto *nfk_proto_at(enum nfk_base base, unsigned l3_nfproto, unsigned l4num,
				     unsigned ll_ethertype);

/* ---- meta, ct and other keyed selectors -------------------------------- */

struct nfk_key {
	const char *name;             /* "l4proto", "state" */
	unsigned key;                 /* NFT_META_*, NFT_CT_*, NFT_RT_*... */
	const struct nfk_dtype *dtype;
	unsigned bits;
	enum nfk_byteorder bo;
	unsigned flags;               /* NFK_KEY_* */
};

enum {
	NFK_KEY_UNQUALIFIED = 1 << 0, /* meta key usable without "meta" (iif, mark...) */
	NFK_KEY_DIR = 1 << 1,         /* ct key that takes original/reply */
	NFK_KEY_NOSET = 1 << 2,       /* cannot be a statement target */
	NFK_KEY_PRINT_BARE = 1 << 3,  /* listed without "meta" (iif, iifname, iifgroup...) */
	NFK_KEY_ALIAS = 1 << 4,       /* accepted spelling, never printed (ibriport) */
	NFK_KEY_DIR_ONLY = 1 << 5,    /* ct key that needs original/reply (saddr, proto-src) */
	NFK_KEY_NODIR = 1 << 6,       /* ct key that refuses a direction */
};

/* The tables themselves, name-NULL terminated, for iteration. */
extern const struct nfk_key nfk_meta_keys[];
extern const struct nfk_key nfk_ct_keys[];
/* ct keys whose type depends on the layer 3 family (saddr, daddr): the
 * dtype for nfproto (NFPROTO_IPV4/IPV6) and its bits; NULL when unknown. */
const struct nfk_dtype *nfk_ct_key_dtype(const struct nfk_key *k, unsigned nfproto,
					 unsigned *bits);

/* A key of a table by name; by number, the one printed (not an alias). */
const struct nfk_key *nfk_key_by_name(const struct nfk_key *tab, const char *name);
const struct nfk_key *nfk_key_by_num(const struct nfk_key *tab, unsigned key);
static inline const struct nfk_key *nfk_meta_key_by_name(const char *name)
{
	return nfk_key_by_name(nfk_meta_keys, name);
}
static inline const struct nfk_key *nfk_meta_key_by_num(unsigned key)
{
	return nfk_key_by_num(nfk_meta_keys, key);
}
static inline const struct nfk_key *nfk_ct_key_by_name(const char *name)
{
	return nfk_key_by_name(nfk_ct_keys, name);
}
static inline const struct nfk_key *nfk_ct_key_by_num(unsigned key)
{
	return nfk_key_by_num(nfk_ct_keys, key);
}

/* Families: "ip", "ip6", "inet", "arp", "bridge", "netdev" <-> NFPROTO_*. */
const char *nfk_family_name(unsigned family);
int nfk_family_by_name(const char *name);   /* -1 when unknown */

/* Conntrack timeout policies (ct timeout objects): the states nft names for
 * a layer 4 protocol, indexed by their CTA_TIMEOUT_<PROTO>_* attribute
 * (1..nstates), with the seconds nft sends for the states a policy leaves
 * out, and leaves out of listings when a state has them.  nft 1.0.6 knows
 * tcp and udp only. */
struct nfk_ct_timeout_proto {
	uint8_t l4proto;
	unsigned nstates;
	const char *const *states;    /* [attr] */
	const uint32_t *dflt;         /* [attr] */
};
const struct nfk_ct_timeout_proto *nfk_ct_timeout_proto(unsigned l4proto);   /* or NULL */
/* The state's attribute number, or 0 when p (may be NULL) has no such state. */
unsigned nfk_ct_timeout_state(const struct nfk_ct_timeout_proto *p, const char *name);

/* Hooks per family, chain types and priorities as nft names them. */
const char *nfk_hook_name(unsigned family, unsigned hooknum);
int nfk_hook_by_name(unsigned family, const char *name);
/* "filter", "raw", "mangle", "dstnat", "srcnat", "security" / "out" for
 * bridge: the standard priority names and values per family and hook. */
int nfk_prio_by_name(unsigned family, unsigned hooknum, const char *name, int *prio);
/* Prints the priority as nft lists it: a standard name +/- offset when one
 * applies (unless numeric), otherwise the number. */
void nfk_prio_print(unsigned family, unsigned hooknum, int prio, unsigned flags, FILE *f);
int nfk_prio_snprint(char *buf, size_t size, unsigned family, unsigned hooknum, int prio,
		     unsigned flags);
/* Chain types "filter", "nat", "route": 0 when the family/hook allows it, else
 * -EOPNOTSUPP (nft's "Chain of type X is not supported ..."); -ENOENT unknown. */
int nfk_chain_type_check(unsigned family, unsigned hooknum, const char *type);

/* ---- extension headers, TCP options, SCTP chunks (exthdr) ---------------
 * (table in exthdr.c).  Field offsets are in bits from the start of the
 * header/option/chunk.  A kind with no name match may be given by number. */
struct nfk_exthdr {
	const char *name;             /* "frag", "maxseg", "init" */
	unsigned op;                  /* NFT_EXTHDR_OP_IPV6, _TCPOPT, _IPV4, _SCTP */
	unsigned type;                /* header number, option kind, chunk type */
	const struct nfk_hdr_field *fields;  /* NULL-name terminated */
};

/* The first entry of op named name / of that type, or NULL. */
const struct nfk_exthdr *nfk_exthdr_by_name(unsigned op, const char *name);
const struct nfk_exthdr *nfk_exthdr_by_type(unsigned op, unsigned type);
/* The entry whose field covers exactly (offset, bits) for op/type (sack1
 * left...), and that field; NULL when none. */
const struct nfk_exthdr *nfk_exthdr_field_at(unsigned op, unsigned type, unsigned offset,
					     unsigned bits, const struct nfk_hdr_field **field);

#endif
