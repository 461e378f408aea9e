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
};

const struct nfk_dtype *nfk_dtype_by_name(const char *name);
const struct nfk_dtype *nfk_dtype_by_id(unsigned id);

/* Parses text as type t, trying its symbols first, then t->parse, then its
 * base types' parsers.  Bytes are written in t's byte order. */
int nfk_dtype_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		    unsigned *len, char *err, size_t errlen);
/* Prints in t's style: symbol name when one matches (unless numeric),
 * otherwise the base's printer. */
void nfk_dtype_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		     unsigned flags, FILE *f);
const char *nfk_dtype_sym_name(const struct nfk_dtype *t, uint64_t value);

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

const struct nfk_proto *nfk_proto_by_name(const char *name);
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
};

const struct nfk_key *nfk_meta_key_by_name(const char *name);
const struct nfk_key *nfk_meta_key_by_num(unsigned key);
const struct nfk_key *nfk_ct_key_by_name(const char *name);
const struct nfk_key *nfk_ct_key_by_num(unsigned key);

/* Families: "ip", "ip6", "inet", "arp", "bridge", "netdev" <-> NFPROTO_*. */
const char *nfk_family_name(unsigned family);
int nfk_family_by_name(const char *name);   /* -1 when unknown */

/* Hooks per family, chain types and priorities as nft names them. */
const char *nfk_hook_name(unsigned family, unsigned hooknum);
int nfk_hook_by_name(unsigned family, const char *name);
/* "filter", "raw", "mangle", "dstnat", "srcnat", "security" / "out" for
 * bridge: the standard priority names and values per family and hook. */
int nfk_prio_by_name(unsigned family, unsigned hooknum, const char *name, int *prio);
/* Prints the priority as nft lists it: a standard name +/- offset when one
 * applies (unless numeric), otherwise the number. */
void nfk_prio_print(unsigned family, unsigned hooknum, int prio, unsigned flags, FILE *f);

#endif
